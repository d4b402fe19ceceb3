"""A bounded load test: founders completing the wizard, reading results, sharing and downloading.

Starts the app with gunicorn in production mode (several workers) on 127.0.0.1, runs
`--users` simulated founders for `--seconds`, then stops the server. Each founder repeatedly:
starts an assessment, fills every step, confirms, opens the result page, opens the share link,
downloads the share PDF and the JSON export. Prints requests, errors and p50/p95 per page, and
exits non-zero on any error. Traffic goes to 127.0.0.1 only.

    .venv/bin/python -m bench.load_test --users 8 --seconds 45
"""

import argparse
import statistics
import sys
import threading
import time
from collections import defaultdict

from bench.driver import Client
from bench.flows import Founder, download_pdf
from bench.server import running_server


class Recorder:
    def __init__(self) -> None:
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def timed(self, page: str, call):
        started = time.perf_counter()
        try:
            return call()
        except Exception as error:
            with self.lock:
                self.errors.append(f"{page}: {error}")
            raise
        finally:
            with self.lock:
                self.timings[page].append(time.perf_counter() - started)


def one_founder(founder: Founder, recorder: Recorder) -> None:
    recorder.timed("start assessment", founder.start)
    for slug in ("product", "behaviour", "data", "constraints", "costs"):
        recorder.timed("wizard step GET", lambda s=slug: founder.open_step(s))
        recorder.timed("wizard step POST", lambda s=slug: founder.save_step(s))
    check = f"{founder.edit_path}check/"
    recorder.timed("check answers", lambda: founder.remember_form(founder.get(check).body))
    recorder.timed(
        "complete (runs engine)",
        lambda: founder.post(check, {"revision": str(founder.revision)}),
    )
    share = recorder.timed("result page", founder.share_path)
    recorder.timed("share page", lambda: founder.get(share))
    recorder.timed("share PDF", lambda: download_pdf(founder.client, f"{share}report.pdf"))
    recorder.timed("JSON export", lambda: founder.get(f"{founder.edit_path}export.json"))


def founder_loop(base: str, deadline: float, recorder: Recorder) -> None:
    while time.monotonic() < deadline:
        founder = Founder(Client(base))
        try:
            one_founder(founder, recorder)
        except Exception:  # recorded; the next founder starts afresh
            time.sleep(0.2)
        finally:
            founder.client.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    seconds = min(args.seconds, 300)  # bounded, whatever is asked

    recorder = Recorder()
    with running_server(workers=args.workers) as (base, _env):
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(target=founder_loop, args=(base, deadline, recorder))
            for _ in range(args.users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 120)

    total = sum(len(v) for v in recorder.timings.values())
    print(f"load test: {args.users} founders for {seconds:.0f}s, {args.workers} gunicorn workers")
    print(f"{'page':<24}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for page, values in recorder.timings.items():
        p50 = statistics.median(values) * 1000
        p95 = percentile(values, 0.95) * 1000
        print(f"{page:<24}{len(values):>9}{p50:>9.1f}{p95:>9.1f}")
    print(f"{total} timed actions, {len(recorder.errors)} errors")
    for error in recorder.errors[:10]:
        print("  error:", error)
    return 1 if recorder.errors or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
