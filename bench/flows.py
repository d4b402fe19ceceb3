"""What a founder does over HTTP, scripted against a running server (benchmarks, load test)."""

import html
import re
import time
from urllib.parse import urlencode, urlsplit

from bench.driver import Client, Response

# One complete set of answers, step by step, as the wizard's forms post them.
STEPS: dict[str, dict[str, str]] = {
    "product": {
        "project_name": "Support copilot",
        "use_case": "support_assistant",
        "stage": "prototype",
        "problem_type": "both",
        "prompting_result": "mostly_works",
    },
    "behaviour": {
        "output_format": "light_structure",
        "style_consistency": "high",
        "domain_language": "general",
        "task_shape": "open_ended",
        "latency_budget_ms": "2500",
    },
    "data": {
        "data_change_frequency": "weekly",
        "corpus_documents": "4000",
        "corpus_structure": "unstructured",
        "needs_citations": "yes",
        "per_user_permissions": "no",
        "sensitive_data": "no",
        "labeled_examples": "3000",
        "label_quality": "clean",
        "shown": "label_quality",
        "retrieval_issues": "no",
    },
    "constraints": {
        "monthly_queries": "250000",
        "upfront_budget_usd": "40000",
        "time_to_ship": "this_quarter",
        "error_cost": "medium",
        "ml_expertise": "some",
    },
    "costs": {
        "model": "gpt-4o-mini",
        "avg_input_tokens": "600",
        "avg_output_tokens": "300",
        "retrieved_context_tokens": "2000",
        "tokens_per_example": "800",
        "training_epochs": "3",
        "retrains_per_year": "4",
        "engineer_hourly_usd": "100",
        "horizon_months": "12",
    },
}

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION_INPUT = re.compile(r'name="revision" value="(\d+)"')
SHARE_URL = re.compile(r"https?://[^\"'<\s]+(/s/[A-Za-z0-9_\-]+/)")
STATIC_CSS = re.compile(r'href="(/static/css/app[^"]*\.css)"')


class FlowError(AssertionError):
    pass


def expect(response: Response, *statuses: int) -> Response:
    if response.status not in statuses:
        raise FlowError(f"expected {statuses}, got {response.status}: {response.body[:300]!r}")
    return response


def path_of(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Founder:
    """Holds one browser's cookies and the assessment it is working on."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.edit_path = ""  # /a/<token>/
        self.revision = 0
        self.csrf = ""

    def remember_form(self, body: bytes) -> None:
        text = body.decode()
        if match := CSRF_INPUT.search(text):
            self.csrf = match.group(1)
        if match := REVISION_INPUT.search(text):
            self.revision = int(match.group(1))

    def get(self, path: str, *statuses: int) -> Response:
        return expect(self.client.request("GET", path), *(statuses or (200,)))

    def post(self, path: str, data: dict[str, str], *statuses: int) -> Response:
        body = urlencode({"csrfmiddlewaretoken": self.csrf, **data}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": path}
        return expect(self.client.request("POST", path, body, headers), *(statuses or (302,)))

    def start(self) -> None:
        self.remember_form(self.get("/assessments/new/").body)
        response = self.post("/assessments/new/", {})
        first_step = path_of(response.headers["location"])
        self.edit_path = first_step.split("step/")[0]
        self.remember_form(self.get(first_step).body)

    def step_path(self, slug: str) -> str:
        return f"{self.edit_path}step/{slug}/"

    def open_step(self, slug: str) -> Response:
        response = self.get(self.step_path(slug))
        self.remember_form(response.body)
        return response

    def save_step(self, slug: str, **changes: str) -> Response:
        """Posts a step; the answers are assumed to differ from what is stored (a save of
        unchanged answers adds no revision, so the next post would be stale)."""
        data = {**STEPS[slug], **changes, "revision": str(self.revision), "go": "next"}
        response = self.post(self.step_path(slug), data)
        self.revision += 1
        return response

    def edit_step(self) -> Response:
        """Changes an answer, as a founder going back to a step does: each call a new name,
        so each save is a new revision."""
        self.edits = getattr(self, "edits", 0) + 1
        return self.save_step("product", project_name=f"Support copilot {self.edits}")

    def complete(self) -> str:
        """Fills every step, confirms the answers; returns the result page path."""
        for slug in STEPS:
            self.open_step(slug)
            self.save_step(slug)
        self.remember_form(self.get(f"{self.edit_path}check/").body)
        response = self.post(f"{self.edit_path}check/", {"revision": str(self.revision)})
        self.revision += 1
        return path_of(response.headers["location"])

    def share_path(self) -> str:
        page = html.unescape(self.get(f"{self.edit_path}result/").body.decode())
        match = SHARE_URL.search(page)
        if not match:
            raise FlowError("the result page shows no share link")
        return match.group(1)


def download_pdf(client: Client, path: str, timeout: float = 60) -> Response:
    """The PDF at `path`: while the background worker is still rendering it the site answers
    202 with a progress page, which a browser checks again every two seconds; this checks more
    often (every 50 ms for two seconds, then every 250 ms, within the production rate limit)
    to time when the PDF is ready rather than the page's own delay."""
    started = time.monotonic()
    while True:
        response = client.request("GET", path)
        waited = time.monotonic() - started
        if response.status != 202 or waited > timeout:
            return expect(response, 200)
        time.sleep(0.05 if waited < 2 else 0.25)
