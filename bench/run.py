"""The benchmark: engine in-process, pages over HTTP against gunicorn, baselines in the same run.

    make bench                       # SQLite, plus the scale test on a throwaway PostgreSQL
    .venv/bin/python -m bench.run    # whatever DATABASE_URL says (scale test only on PostgreSQL)

Every HTTP figure is measured at a fixed concurrency against gunicorn in production mode on
127.0.0.1 and printed beside the same load on two baselines measured in the same run: a view that
returns a short text without touching the database, and a static file served by the same server.
Absolute times vary between machines; the ratios are what to compare. Results are printed as a
table and written to bench/results.json.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

from bench.driver import Client, Measurement, run_load
from bench.flows import STATIC_CSS, Founder, expect
from bench.server import ROOT, running_server

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


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


def get_step(path: str):
    return lambda client, _i: lambda: client.request("GET", path)


def step_saver(base: str):
    """Each worker saves the product step of its own assessment, revision after revision."""

    def make(client: Client, _index: int):
        founder = Founder(client)
        founder.start()
        return lambda: founder.save_step("product")

    return make


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
    times = []
    for _ in range(count):
        founder = Founder(Client(base))
        founder.start()
        founder.complete()
        share = founder.share_path()
        started = time.perf_counter()
        expect(founder.client.request("GET", f"{share}report.pdf"), 200)
        times.append(time.perf_counter() - started)
        founder.client.close()
    return times


def queries_per_page(env: dict, paths: dict[str, str]) -> dict[str, int]:
    """Counts the SQL queries behind each page with Django's test client on the bench database."""
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
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
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


def measure_pages(base: str, concurrency: int, requests: int) -> tuple[dict, dict]:
    founder = Founder(Client(base))
    founder.start()
    founder.complete()
    share = founder.share_path()
    edit = founder.edit_path
    home = founder.get("/").body.decode()
    static_css = STATIC_CSS.search(home).group(1)
    expect(founder.client.request("GET", f"{share}report.pdf"), 200)  # warm the PDF cache

    def load(name, make, ok=(200,)):
        return run_load(
            name, base, make, concurrency=concurrency, requests_per_worker=requests, ok_statuses=ok
        )

    bare = load("bare view (baseline)", get_step("/ping/"))
    static = load("static file (baseline)", get_step(static_css))
    rows = {
        "bare view (baseline)": row(bare, None),
        "static file (baseline)": row(static, None),
        "wizard step GET": row(load("wizard step GET", get_step(f"{edit}step/data/")), bare),
        "wizard step POST": row(load("wizard step POST", step_saver(base), ok=(302,)), bare),
        "recommendation page": row(load("recommendation page", get_step(f"{edit}result/")), bare),
        "share page": row(load("share page", get_step(share)), bare),
        "JSON export": row(load("JSON export", get_step(f"{edit}export.json")), bare),
        "cached PDF download": row(
            load("cached PDF download", get_step(f"{share}report.pdf")), static
        ),
    }
    paths = {
        "wizard step": f"{edit}step/data/",
        "check answers": f"{edit}check/",
        "recommendation page": f"{edit}result/",
        "share page": share,
        "JSON export": f"{edit}export.json",
        "cached PDF download": f"{share}report.pdf",
    }
    return rows, {"paths": paths, "first_page": f"{edit}step/product/"}


def scale(base: str, env: dict, concurrency: int, requests: int) -> dict:
    figures = {}
    for total in (1_000, 1_000_000):
        started = time.perf_counter()
        fill_assessments(env, total)
        filled = time.perf_counter() - started
        founder = Founder(Client(base))
        founder.start()
        founder.complete()
        share = founder.share_path()
        bare = run_load(
            "bare", base, get_step("/ping/"), concurrency=concurrency, requests_per_worker=requests
        )
        share_page = run_load(
            "share", base, get_step(share), concurrency=concurrency, requests_per_worker=requests
        )
        save = run_load(
            "save",
            base,
            step_saver(base),
            concurrency=concurrency,
            requests_per_worker=requests,
            ok_statuses=(302,),
        )
        figures[str(total)] = {
            "fill_seconds": round(filled, 1),
            "bare view": row(bare, None),
            "share page": row(share_page, bare),
            "wizard step POST": row(save, bare),
        }
    small, large = figures["1000"], figures["1000000"]
    figures["share page 1M / 1k"] = round(
        large["share page"]["median_ms"] / small["share page"]["median_ms"], 2
    )
    figures["wizard step POST 1M / 1k"] = round(
        large["wizard step POST"]["median_ms"] / small["wizard step POST"]["median_ms"], 2
    )
    return figures


def print_table(title: str, rows: dict) -> None:
    print(f"\n{title}")
    print(f"{'':<26}{'median ms':>10}{'p95 ms':>9}{'req/s':>9}{'x baseline':>11}{'errors':>7}")
    for name, r in rows.items():
        ratio = f"{r['ratio_to_baseline']:.2f}" if "ratio_to_baseline" in r else "-"
        print(
            f"{name:<26}{r['median_ms']:>10.2f}{r['p95_ms']:>9.2f}{r['rps']:>9.1f}"
            f"{ratio:>11}{r['errors']:>7}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the advisor.")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=100, help="per worker and page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--engine-runs", type=int, default=400)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()

    results: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    results["engine"] = engine = engine_figures(args.engine_runs)
    print(
        f"engine: one full assessment median {engine['median_ms']:.2f} ms, "
        f"p95 {engine['p95_ms']:.2f} ms (target < 5 ms; json.dumps baseline "
        f"{engine['baseline_json_dumps_median_ms'] * 1000:.1f} µs)"
    )

    with running_server(workers=args.workers) as (base, env):
        database = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
        results["database"] = database
        rows, paths = measure_pages(base, args.concurrency, args.requests)
        results["http"] = rows
        print_table(
            f"HTTP, {args.concurrency} concurrent clients, gunicorn {args.workers} workers, "
            f"{database}",
            rows,
        )
        colds = cold_pdf_renders(base, 5)
        results["cold_pdf_ms"] = {
            "median": round(statistics.median(colds) * 1000, 1),
            "max": round(max(colds) * 1000, 1),
        }
        print(
            f"\ncold PDF render over HTTP: median {results['cold_pdf_ms']['median']} ms, "
            f"max {results['cold_pdf_ms']['max']} ms (target < 1,000 ms)"
        )
        results["first_wizard_page"] = size = first_page_bytes(base, paths["first_page"])
        print(
            f"first wizard page with its assets, compressed: {size['total_bytes'] / 1024:.1f} KB "
            f"(HTML {size['html_bytes'] / 1024:.1f} KB; target < 100 KB)"
        )
        if database == "postgresql":
            results["scale"] = figures = scale(base, env, args.concurrency, args.requests)
            for total in ("1000", "1000000"):
                print_table(
                    f"scale: {int(total):,} stored assessments",
                    {k: v for k, v in figures[total].items() if isinstance(v, dict)},
                )
            print(
                f"share page 1M/1k: {figures['share page 1M / 1k']}x, "
                f"step save 1M/1k: {figures['wizard step POST 1M / 1k']}x (target <= 1.2x)"
            )
        else:
            print("\nscale test skipped: it needs PostgreSQL (make bench starts one)")
        results["queries_per_page"] = counts = queries_per_page(env, paths["paths"])
    print("\nqueries per page: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    Path(args.output).write_text(json.dumps(results, indent=2))
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
