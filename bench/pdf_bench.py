"""How long a PDF report takes: import, first render, cold renders and cached downloads.

    .venv/bin/python bench/pdf_bench.py [--runs 7]

"Cold" means not in the PDF cache: the whole report is rendered by WeasyPrint. The process is
warm by then (WeasyPrint imported and one render done, which loads fonts); the import and that
first render are reported on their own lines. The cached download goes through the Django test
client against a throwaway SQLite database, so it includes the view, the token lookup and the
cache read but not the network.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
os.environ["DATABASE_URL"] = "sqlite:///:memory:"


def seconds(started: float) -> float:
    return time.perf_counter() - started


def summary(label: str, times: list[float]) -> str:
    return (
        f"{label:<34} median {statistics.median(times):6.3f} s"
        f"   min {min(times):6.3f}   max {max(times):6.3f}   (n={len(times)})"
    )


def pages(body: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(body)).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs

    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from advisor.engine import assess
    from advisor.reports import pdf
    from advisor.reports.context import Report
    from tests.report_helpers import DOCS, completed_assessment, longest_answers

    started = time.perf_counter()
    import weasyprint  # noqa: F401

    print(f"{'import weasyprint':<34} {seconds(started):6.3f} s")

    def report(answers: dict) -> Report:
        return Report.from_answers(
            answers, assess(answers), title=answers["project_name"], today=dt.date.today()
        )

    typical, longest = report(DOCS), report(longest_answers())
    started = time.perf_counter()
    pdf.render_pdf(typical)
    print(f"{'first render (loads fonts)':<34} {seconds(started):6.3f} s")

    subjects = (("cold render, typical report", typical), ("cold render, longest", longest))
    for label, subject in subjects:
        times, cpu = [], []
        for _ in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            body = pdf.render_pdf(subject)
            times.append(seconds(started))
            cpu.append(time.process_time() - cpu_started)
        print(summary(label, times) + f"   {len(body) // 1024} KB, {pages(body)} pages")
        print(summary("  of which CPU time", cpu))

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    client = Client()
    assessment = completed_assessment()
    url = reverse("share-pdf", args=[assessment.share_token])
    started = time.perf_counter()
    first = client.get(url)
    print(f"{'download, not yet cached':<34} {seconds(started):6.3f} s   ({first.status_code})")
    times = []
    for _ in range(runs * 3):
        started = time.perf_counter()
        response = client.get(url)
        times.append(seconds(started))
        assert response.status_code == 200 and response.content == first.content
    print(summary("download, cached", times))
    print(f"(load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())})")


if __name__ == "__main__":
    main()
