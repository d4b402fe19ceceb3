"""The benchmark: engine in-process, pages over HTTP against gunicorn, baselines in the same run.

    make bench                       # SQLite, then the scale test on a throwaway PostgreSQL
    .venv/bin/python -m bench.run    # whatever DATABASE_URL says (scale test only on PostgreSQL)

Every HTTP figure is measured at a fixed concurrency against gunicorn in production mode on
127.0.0.1 (advisor.gunicorn_conf, as `make serve-production` runs it) and set beside two
baselines measured in the same run: a view that returns a short text without touching the
database, and a static file served by the same server. Absolute times vary between machines;
the ratios are what to compare.

To keep a busy machine from favouring one row over another, the rows are measured in rounds:
each round measures every row briefly, in turn, and a row's figures pool its rounds. So each
row and its baseline see the same mix of quiet and busy moments.

"First view" rows time a page right after a save, so nothing kept for the previous revision
applies: what a founder waits for after each step, or on opening a result that changed. The
other page rows are repeat views of an unchanged page.

Results are printed as a table and written to bench/results.json.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.driver import Client, Measurement, Response, run_load
from bench.flows import STATIC_CSS, STEPS, Founder, download_pdf
from bench.server import ROOT, running_server

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')
BARE = "bare view (baseline)"
STATIC = "static file (baseline)"

# Row: (baseline row, most times the baseline's median). From the performance targets.
TARGETS: dict[str, tuple[str, float]] = {
    "wizard step GET": (BARE, 2.0),
    "wizard step GET, first view": (BARE, 3.0),
    "wizard step POST": (BARE, 3.0),
    "recommendation page": (BARE, 2.0),
    "recommendation page, first view": (BARE, 3.0),
    "share page": (BARE, 2.0),
    "share page, first view": (BARE, 3.0),
    "cached PDF download": (STATIC, 1.5),
}
ENGINE_TARGET_MS = 1.0
# From completing an assessment to its PDF being downloadable (rendered by the worker).
COLD_PDF_TARGET_MS = 500.0
FIRST_PAGE_TARGET_BYTES = 100 * 1024
SCALE_TARGET = 1.2


def engine_figures(runs: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from advisor.engine import assess

    examples = json.loads((ROOT / "tests/engine/examples.json").read_text())
    docs = [example["answers"] for example in examples]
    for doc in docs:
        assess(doc)
    samples = []
    baseline = []
    for _ in range(runs):
        for doc in docs:
            started = time.perf_counter()
            assess(doc)
            samples.append(time.perf_counter() - started)
            started = time.perf_counter()
            json.dumps(doc)
            baseline.append(time.perf_counter() - started)
    samples.sort()
    return {
        "median_ms": statistics.median(samples) * 1000,
        "p95_ms": samples[int(len(samples) * 0.95)] * 1000,
        "baseline_json_dumps_median_ms": statistics.median(baseline) * 1000,
        "runs": len(samples),
    }


# ---------------------------------------------------------------------------------------------
# Pure helpers


def pooled(name: str, parts: list[Measurement]) -> Measurement:
    """One measurement from several rounds of the same row."""
    merged = Measurement(name)
    for part in parts:
        merged.latencies.extend(part.latencies)
        merged.errors += part.errors
        merged.wall += part.wall
        merged.bytes += part.bytes
    return merged


def row(m: Measurement, baseline: Measurement | None) -> dict:
    figures = {
        "requests": m.count,
        "errors": m.errors,
        "median_ms": round(m.median_ms, 2),
        "p95_ms": round(m.p95_ms, 2),
        "rps": round(m.rps, 1),
    }
    if baseline is not None:
        figures["ratio_to_baseline"] = round(m.median_ms / baseline.median_ms, 2)
    return figures


def verdicts(rows: dict[str, dict]) -> dict[str, dict]:
    """Each target with its limit, the measured ratio and whether it was met."""
    found = {}
    for name, (baseline, limit) in TARGETS.items():
        if name in rows and "ratio_to_baseline" in rows[name]:
            ratio = rows[name]["ratio_to_baseline"]
            found[name] = {"baseline": baseline, "limit": limit, "ratio": ratio}
            found[name]["met"] = ratio <= limit
    return found


def table(title: str, rows: dict[str, dict]) -> str:
    lines = [
        title,
        f"{'':<38}{'median ms':>10}{'p95 ms':>9}{'req/s':>9}{'x baseline':>11}{'target':>8}"
        f"{'errors':>7}",
    ]
    for name, r in rows.items():
        ratio = f"{r['ratio_to_baseline']:.2f}" if "ratio_to_baseline" in r else "-"
        target = f"{TARGETS[name][1]:g}x" if name in TARGETS else ""
        lines.append(
            f"{name:<38}{r['median_ms']:>10.2f}{r['p95_ms']:>9.2f}{r['rps']:>9.1f}"
            f"{ratio:>11}{target:>8}{r['errors']:>7}"
        )
    return "\n".join(lines)


def combine(paths: list[str]) -> dict:
    """The results of several runs in one document, keyed by their database."""
    combined = {}
    for path in paths:
        results = json.loads(Path(path).read_text())
        combined[results.get("database", Path(path).stem)] = results
    return combined


# ---------------------------------------------------------------------------------------------
# What the workers do


def get_step(path: str):
    return lambda client, _i: lambda: client.request("GET", path)


def step_saver(base: str):
    """Each worker saves the product step of its own assessment, revision after revision."""

    def make(client: Client, _index: int):
        founder = Founder(client)
        founder.start()
        return founder.edit_step

    return make


def first_view(page_of: Callable[[Founder], str], completed: bool):
    """Each worker has its own assessment; each call saves a step (not timed), so the page it
    then times is at a new revision and has to be rendered."""

    def make(client: Client, _index: int):
        founder = Founder(client)
        founder.start()
        if completed:
            founder.complete()
        path = page_of(founder)

        def step() -> Response:
            founder.edit_step()
            started = time.perf_counter()
            response = client.request("GET", path)
            response.elapsed = time.perf_counter() - started
            return response

        return step

    return make


# ---------------------------------------------------------------------------------------------
# Measurements


def measure_in_rounds(
    base: str, plan: dict[str, tuple], concurrency: int, requests: int, rounds: int
) -> dict[str, Measurement]:
    """`plan` maps a row to (make_step, ok statuses). Each row gets `requests` per client in
    all, spread over `rounds` rounds in which every row runs in turn."""
    per_round = max(1, requests // rounds)
    parts: dict[str, list[Measurement]] = {name: [] for name in plan}
    for _ in range(rounds):
        for name, (make, ok) in plan.items():
            parts[name].append(
                run_load(
                    name,
                    base,
                    make,
                    concurrency=concurrency,
                    requests_per_worker=per_round,
                    ok_statuses=ok,
                )
            )
    return {name: pooled(name, measured) for name, measured in parts.items()}


def first_page_bytes(base: str, path: str) -> dict:
    client = Client(base)
    accept = {"Accept-Encoding": "br, gzip"}
    page = client.request("GET", path, headers=accept)
    total = len(page.body)
    assets = {}
    for asset in sorted(set(ASSET.findall(page.body.decode()))):
        response = client.request("GET", asset, headers=accept)
        assets[asset] = {
            "bytes": len(response.body),
            "encoding": response.headers.get("content-encoding", ""),
        }
        total += len(response.body)
    client.close()
    return {"html_bytes": len(page.body), "assets": assets, "total_bytes": total}


def cold_pdf_renders(base: str, count: int) -> list[float]:
    """From the answers confirmed (the POST that saves the result and queues the render) to
    the PDF downloaded, each with a new assessment. One untimed round first: it waits for the
    renders the benchmark's own set-up queued (every completed assessment queues one), and the
    worker's first render loads the fonts, once per worker process."""
    times = []
    for _ in range(count + 1):
        founder = Founder(Client(base))
        founder.start()
        for slug in STEPS:
            founder.open_step(slug)
            founder.save_step(slug)
        check = f"{founder.edit_path}check/"
        founder.remember_form(founder.get(check).body)
        started = time.perf_counter()
        founder.post(check, {"revision": str(founder.revision)})
        founder.revision += 1
        share = founder.share_path()
        download_pdf(founder.client, f"{share}report.pdf", timeout=180)
        times.append(time.perf_counter() - started)
        founder.client.close()
    return times[1:]


def queries_per_page(env: dict, paths: dict[str, str]) -> dict[str, dict[str, int]]:
    """The SQL queries behind each page, first view and repeat view, counted with Django's test
    client on the bench database (in this process, with its own render cache)."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, path in paths.items():
        counts[name] = {}
        for view in ("first", "repeat"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code == 200, (name, response.status_code)
            counts[name][view] = len(queries)
    connection.close()
    return counts


def fill_assessments(env: dict, total: int) -> None:
    """Tops the table up to `total` rows with draft assessments, in SQL (PostgreSQL only)."""
    import psycopg

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        have = conn.execute("SELECT count(*) FROM advisor_assessment").fetchone()[0]
        if have >= total:
            return
        conn.execute(
            """
            INSERT INTO advisor_assessment (public_id, answers, unknown, saved_steps, status,
                revision, created_at, updated_at, edit_token_hash, share_token_hash,
                share_generation)
            SELECT md5('p' || i)::uuid, '{"project_name": "Filler"}', '[]', '[]', 'draft', 1,
                now(), now(), md5('e' || i) || md5('f' || i), md5('s' || i) || md5('t' || i), 1
            FROM generate_series(%s::int, %s::int) AS i
            """,
            (have + 1, total),
        )
        conn.execute("ANALYZE advisor_assessment")


def measure_pages(
    base: str, concurrency: int, requests: int, rounds: int
) -> tuple[dict, dict[str, str], str]:
    """The page rows; the pages to count queries on; the path of the first wizard page."""
    founder = Founder(Client(base))
    founder.start()
    founder.complete()
    share = founder.share_path()
    edit = founder.edit_path
    home = founder.get("/").body.decode()
    static_css = STATIC_CSS.search(home).group(1)
    download_pdf(founder.client, f"{share}report.pdf")  # rendered by the worker and stored

    plan = {
        BARE: (get_step("/ping/"), (200,)),
        STATIC: (get_step(static_css), (200,)),
        "wizard step GET": (get_step(f"{edit}step/data/"), (200,)),
        "wizard step GET, first view": (
            first_view(lambda f: f.step_path("data"), completed=False),
            (200,),
        ),
        "wizard step POST": (step_saver(base), (302,)),
        "recommendation page": (get_step(f"{edit}result/"), (200,)),
        "recommendation page, first view": (
            first_view(lambda f: f"{f.edit_path}result/", completed=True),
            (200,),
        ),
        "share page": (get_step(share), (200,)),
        "share page, first view": (first_view(lambda f: f.share_path(), completed=True), (200,)),
        "JSON export": (get_step(f"{edit}export.json"), (200,)),
        "cached PDF download": (get_step(f"{share}report.pdf"), (200,)),
    }
    measured = measure_in_rounds(base, plan, concurrency, requests, rounds)
    bare, static = measured[BARE], measured[STATIC]
    rows = {}
    for name, m in measured.items():
        baseline = None if name in (BARE, STATIC) else static if "PDF" in name else bare
        rows[name] = row(m, baseline)
    paths = {
        "wizard step": f"{edit}step/data/",
        "check answers": f"{edit}check/",
        "recommendation page": f"{edit}result/",
        "share page": share,
        "JSON export": f"{edit}export.json",
        "cached PDF download": f"{share}report.pdf",
    }
    return rows, paths, founder.step_path("product")


def scale(base: str, env: dict, concurrency: int, requests: int, rounds: int) -> dict:
    """Share page and step save with 1,000 and with 1,000,000 stored assessments. The two sizes
    are measured minutes apart, so each is also given relative to the bare view of its own
    rounds, and the comparison uses those relative figures."""
    figures: dict = {}
    for total in (1_000, 1_000_000):
        started = time.perf_counter()
        fill_assessments(env, total)
        filled = time.perf_counter() - started
        founder = Founder(Client(base))
        founder.start()
        founder.complete()
        share = founder.share_path()
        plan = {
            "bare view": (get_step("/ping/"), (200,)),
            "share page": (get_step(share), (200,)),
            "share page, first view": (
                first_view(lambda f: f.share_path(), completed=True),
                (200,),
            ),
            "wizard step POST": (step_saver(base), (302,)),
        }
        measured = measure_in_rounds(base, plan, concurrency, requests, rounds)
        bare = measured["bare view"]
        figures[str(total)] = {"fill_seconds": round(filled, 1)} | {
            name: row(m, None if name == "bare view" else bare) for name, m in measured.items()
        }
    small, large = figures["1000"], figures["1000000"]
    for name in ("share page", "share page, first view", "wizard step POST"):
        figures[f"{name} 1M / 1k"] = round(
            large[name]["ratio_to_baseline"] / small[name]["ratio_to_baseline"], 2
        )
        figures[f"{name} 1M / 1k, raw"] = round(
            large[name]["median_ms"] / small[name]["median_ms"], 2
        )
    return figures


def gunicorn_workers(env: dict) -> int:
    if env.get("WEB_CONCURRENCY"):
        return int(env["WEB_CONCURRENCY"])
    sys.path.insert(0, str(ROOT))
    from advisor import gunicorn_conf

    return gunicorn_conf.workers


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the advisor.")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=100, help="per client and row")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: production's)"
    )
    parser.add_argument("--engine-runs", type=int, default=400)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument(
        "--combine", nargs="+", metavar="RESULTS", help="only merge result files into --output"
    )
    args = parser.parse_args()
    if args.combine:
        Path(args.output).write_text(json.dumps(combine(args.combine), indent=2) + "\n")
        return 0

    results: dict = {
        "command": " ".join(["python -m bench.run", *sys.argv[1:]]),
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "concurrency": args.concurrency,
        "rounds": args.rounds,
    }
    results["engine"] = engine = engine_figures(args.engine_runs)
    print(
        f"engine: one full assessment median {engine['median_ms']:.2f} ms, "
        f"p95 {engine['p95_ms']:.2f} ms (target <= {ENGINE_TARGET_MS:g} ms; json.dumps baseline "
        f"{engine['baseline_json_dumps_median_ms'] * 1000:.1f} µs)"
    )
    met = {"engine": engine["median_ms"] <= ENGINE_TARGET_MS}

    with running_server(workers=args.workers) as (base, env):
        database = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
        results["database"] = database
        results["gunicorn_workers"] = workers = gunicorn_workers(env)
        rows, paths, first_page = measure_pages(base, args.concurrency, args.requests, args.rounds)
        results["http"] = rows
        print()
        print(
            table(
                f"HTTP, {args.concurrency} concurrent clients, gunicorn {workers} workers, "
                f"{database}, {args.rounds} rounds",
                rows,
            )
        )
        met |= {name: v["met"] for name, v in verdicts(rows).items()}
        colds = cold_pdf_renders(base, 5)
        results["cold_pdf_ms"] = cold = {
            "median": round(statistics.median(colds) * 1000, 1),
            "max": round(max(colds) * 1000, 1),
        }
        met["cold PDF"] = cold["median"] <= COLD_PDF_TARGET_MS
        print(
            f"\nPDF from confirming the answers to downloading it: median {cold['median']} ms, "
            f"max {cold['max']} ms (target <= {COLD_PDF_TARGET_MS:,.0f} ms)"
        )
        results["first_wizard_page"] = size = first_page_bytes(base, first_page)
        met["first wizard page"] = size["total_bytes"] < FIRST_PAGE_TARGET_BYTES
        print(
            f"first wizard page with its assets, compressed: {size['total_bytes'] / 1024:.1f} KB "
            f"(HTML {size['html_bytes'] / 1024:.1f} KB; target < 100 KB)"
        )
        if database == "postgresql":
            results["scale"] = figures = scale(
                base, env, args.concurrency, args.requests, args.rounds
            )
            for total in ("1000", "1000000"):
                print()
                print(
                    table(
                        f"scale: {int(total):,} stored assessments",
                        {k: v for k, v in figures[total].items() if isinstance(v, dict)},
                    )
                )
            print(
                f"\n1M / 1k, each relative to its own bare view: share page "
                f"{figures['share page 1M / 1k']}x, share page first view "
                f"{figures['share page, first view 1M / 1k']}x, step save "
                f"{figures['wizard step POST 1M / 1k']}x (target <= {SCALE_TARGET}x); raw "
                f"medians: {figures['share page 1M / 1k, raw']}x, "
                f"{figures['share page, first view 1M / 1k, raw']}x, "
                f"{figures['wizard step POST 1M / 1k, raw']}x"
            )
            met["share page 1M / 1k"] = figures["share page 1M / 1k"] <= SCALE_TARGET
        else:
            print("\nscale test skipped: it needs PostgreSQL (make bench starts one)")
        results["queries_per_page"] = counts = queries_per_page(env, paths)
    print(
        "\nqueries per page (first view / repeat): "
        + ", ".join(f"{k} {v['first']}/{v['repeat']}" for k, v in counts.items())
    )
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["targets_met"] = met
    missed = [name for name, ok in met.items() if not ok]
    print(f"\ntargets missed: {', '.join(missed)}" if missed else "\nevery target met")
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
