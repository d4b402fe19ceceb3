"""The README's curl examples, run as written against the live server, and every answer checked
against the OpenAPI schema."""

import json
import os
import re
import shutil
import subprocess

import httpx2
import pytest

from advisor.assessments.models import Assessment
from tests.api.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## JSON API", 1)[1].split("\n## ", 1)[0]
ANSWERS = re.search(r"```json\n(.*?)```", SECTION, re.S).group(1)
COMMANDS = [
    line
    for block in re.findall(r"```sh\n(.*?)```", SECTION, re.S)
    for line in block.splitlines()
    if line.startswith("curl ")
]
STATUS_MARK = "\n--status--"


def run(command: str, env: dict[str, str], cwd) -> tuple[int, str, str]:
    done = subprocess.run(
        ["bash", "-c", command + f" -w '{STATUS_MARK}%{{http_code}} %{{content_type}}'"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    body, _, tail = done.stdout.rpartition(STATUS_MARK)
    status, _, content_type = tail.partition(" ")
    return int(status), content_type, body


def test_the_readme_documents_one_curl_example_per_endpoint(api):
    documented = set()
    for command in COMMANDS:
        method = re.search(r"-X (\w+)", command)
        path = re.search(r"\$BASE(/api/v1/[a-z]+)", command).group(1)
        documented.add(((method.group(1) if method else "GET").lower(), path))
    served = {(m, p) for p, ops in api.spec["paths"].items() for m in ops}
    assert documented == served


def test_the_readme_curl_commands_work_against_the_live_server(api, tmp_path):
    if not shutil.which("curl"):
        pytest.fail("curl is needed to run the README's examples (apt-get install curl)")
    (tmp_path / "answers.json").write_text(ANSWERS, encoding="utf-8")
    env = {**os.environ, "BASE": api.http.base_url.__str__().rstrip("/")}
    for command in COMMANDS:
        status, content_type, body = run(command, env, tmp_path)
        method = re.search(r"-X (\w+)", command)
        path = re.search(r"\$BASE(/api/v1/[a-z]+)", command).group(1)
        response = httpx2.Response(
            status, headers={"content-type": content_type}, content=body.encode("utf-8")
        )
        operation = api.spec["paths"][path][(method.group(1) if method else "GET").lower()]
        declared = operation["responses"][str(status)]
        api.validate(
            method.group(1) if method else "GET", path, _without_headers(response, declared)
        )
        assert status < 300, (command, body)
        if path == "/api/v1/assessments":
            created = json.loads(body)
            env["EDIT_TOKEN"], env["SHARE_TOKEN"] = created["edit_token"], created["share_token"]
    assert Assessment.objects.get().revision == 2


def _without_headers(response: httpx2.Response, declared: dict) -> httpx2.Response:
    # curl was asked for the body and status only; the header checks are in test_api.py.
    for header in declared.get("headers", {}):
        response.headers[header] = "(not captured)"
    return response
