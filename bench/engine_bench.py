"""Time assess() on each example, beside two baselines measured in the same run.

    .venv/bin/python bench/engine_bench.py [RUNS]

Prints the median and 95th percentile per example for assess() (validation, decision, what-ifs,
costs, tables), for validate_answers() alone and for json.dumps of the answers, and the ratio of
assess() to the json.dumps baseline. The first call, which loads the price snapshot, is left out.
"""

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from advisor.engine import assess, validate_answers  # noqa: E402

EXAMPLES = json.loads((ROOT / "tests" / "engine" / "examples.json").read_text(encoding="utf-8"))


def timings(call: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return statistics.median(samples) * 1e3, samples[int(0.95 * (runs - 1))] * 1e3


def main(runs: int) -> None:
    for example in EXAMPLES:
        assess(example["answers"])  # warm the price cache
    header = f"{'example':<24} {'assess med/p95 ms':>19} {'validate med/p95':>17} "
    header += f"{'json.dumps med/p95':>19} {'assess/dumps':>12}"
    print(f"{runs} runs of each, Python {sys.version.split()[0]}")
    print(header)
    medians = []
    for example in EXAMPLES:
        doc = example["answers"]
        a_med, a_p95 = timings(lambda doc=doc: assess(doc), runs)
        v_med, v_p95 = timings(lambda doc=doc: validate_answers(doc), runs)
        d_med, d_p95 = timings(lambda doc=doc: json.dumps(doc), runs)
        medians.append(a_med)
        print(
            f"{example['id']:<24} {a_med:>9.3f}/{a_p95:<9.3f} {v_med:>8.4f}/{v_p95:<8.4f} "
            f"{d_med:>9.4f}/{d_p95:<9.4f} {a_med / d_med:>11.0f}x"
        )
    print(f"worst median assess(): {max(medians):.3f} ms (budget: well under 5 ms)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000)
