"""Where a page's time goes: pyinstrument over Django's test client, production settings.

    .venv/bin/python -m bench.profile_pages [--runs 50] [--page share] [--html out.html]

Each page is requested `--runs` times: "first" rows save a changed answer before each request
(not profiled), so every request is at a new revision; "repeat" rows request the same page.
The profile of the chosen page (all of them without --page) is printed as a call tree.
Runs against a throwaway SQLite file with DEBUG off, rate limits at their production values.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--page", default=None)
    parser.add_argument("--html", default=None, help="also write the profile as HTML here")
    parser.add_argument("--all-frames", action="store_true", help="library frames too")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="advisor-profile-"))
    os.environ.update(
        DEBUG="0",
        SECRET_KEY="profile-" + "k" * 60,
        ALLOWED_HOSTS="testserver",
        SITE_ORIGIN="http://testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_MANIFEST="0",
        DATABASE_URL=f"sqlite:///{workdir / 'profile.sqlite3'}",
        PDF_STORAGE_DIR=str(workdir / "pdfs"),
        TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
        DJANGO_SETTINGS_MODULE="advisor.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from pyinstrument import Profiler

    from advisor.engine import known_models
    from tests.report_helpers import completed_assessment
    from tests.wizard_steps import STEP_DATA

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    known_models()  # as the server's worker start-up does

    assessment = completed_assessment(saved_steps=list(STEP_DATA))
    edit, share = assessment.edit_token, assessment.share_token
    client = Client()
    edits = iter(range(10**6))
    # Requests come from many founders (the rate limits count per address, at production values).
    addresses = (f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}" for n in range(10**7))

    def edit_answer() -> None:
        assessment.refresh_from_db()
        data = {
            **STEP_DATA["product"],
            "project_name": f"Docs assistant {next(edits)}",
            "revision": str(assessment.revision),
            "go": "next",
        }
        url = reverse("assessment-step", args=[edit, "product"])
        response = client.post(url, data, REMOTE_ADDR=next(addresses))
        assert response.status_code == 302, response.status_code

    pages = {
        "step": (reverse("assessment-step", args=[edit, "data"]), False),
        "step first": (reverse("assessment-step", args=[edit, "data"]), True),
        "result": (reverse("assessment-result", args=[edit]), False),
        "result first": (reverse("assessment-result", args=[edit]), True),
        "share": (reverse("share-result", args=[share]), False),
        "share first": (reverse("share-result", args=[share]), True),
        "pdf": (reverse("share-pdf", args=[share]), False),
    }
    for name, (url, first) in pages.items():
        if args.page and name != args.page:
            continue
        client.get(url, REMOTE_ADDR=next(addresses))  # warm

        def request(name: str = name, url: str = url, first: bool = first) -> float:
            if first:
                edit_answer()
            started = time.perf_counter()
            response = client.get(url, REMOTE_ADDR=next(addresses))
            if response.streaming:
                b"".join(response.streaming_content)
            assert response.status_code == 200, (name, response.status_code)
            return time.perf_counter() - started

        # Timed without the profiler (which slows what it samples), then profiled.
        times = sorted(request() for _ in range(args.runs))
        median = times[len(times) // 2]
        profiler = Profiler(interval=0.0005)
        if args.page:
            for _ in range(args.runs):
                if first:
                    edit_answer()
                profiler.start()
                response = client.get(url, REMOTE_ADDR=next(addresses))
                if response.streaming:
                    b"".join(response.streaming_content)
                profiler.stop()
        print(f"{name:<14} median {median * 1000:7.2f} ms per request (in process)")
        if args.page:
            print(profiler.output_text(unicode=True, color=False, show_all=args.all_frames))
            if args.html:
                Path(args.html).write_text(profiler.output_html())


if __name__ == "__main__":
    main()
