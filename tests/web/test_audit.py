"""The dependency audit (scripts/audit.py) fails on a known advisory and says what it could not
check. Network-free: the index and npm are stand-ins here."""

import importlib.util
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

ADVISORY = {
    "id": "PYSEC-2099-1",
    "aliases": ["CVE-2099-0001"],
    "fixed_in": ["2.0.1"],
    "withdrawn": None,
}


def index(projects: dict[str, dict]):
    def fetch(url: str) -> dict:
        name = url.split("/pypi/")[1].split("/")[0]
        if name not in projects:
            raise OSError("404")
        return projects[name]

    return fetch


def project(latest: str, *advisories: dict) -> dict:
    return {"info": {"version": latest}, "vulnerabilities": list(advisories)}


def npm_answering(stdout: str):
    return lambda *args, **kwargs: subprocess.CompletedProcess(args, 1, stdout, "")


def test_it_reads_the_packages_locked_from_the_index():
    packages = dict(audit.locked_python_packages(ROOT / "uv.lock"))

    assert packages["django"] == "6.1.3"
    assert "advisor" not in packages  # the project itself is not from the index


def test_a_known_advisory_for_the_locked_version_is_reported():
    fetch = index({"lib": project("2.0.0", ADVISORY), "other": project("1.0")})

    findings = audit.audit_python([("lib", "2.0.0"), ("other", "1.0")], fetch)

    assert findings.audited == 2
    assert findings.vulnerable == ["lib==2.0.0: PYSEC-2099-1, CVE-2099-0001 (fixed in: 2.0.1)"]


def test_withdrawn_advisories_do_not_count():
    withdrawn = {**ADVISORY, "withdrawn": "2099-02-01T00:00:00Z"}

    findings = audit.audit_python([("lib", "2.0.0")], index({"lib": project("2.0.0", withdrawn)}))

    assert findings.vulnerable == []


def test_an_older_pin_or_a_silent_index_is_not_audited_rather_than_passed():
    fetch = index({"lib": project("3.0.0")})

    findings = audit.audit_python([("lib", "2.0.0"), ("gone", "1.0")], fetch)

    assert findings.audited == 0
    assert len(findings.not_audited) == 2
    assert "lists vulnerabilities only for 3.0.0" in findings.not_audited[0]


def test_npm_advisories_are_reported_and_an_unreachable_service_is_named():
    report = (
        '{"vulnerabilities": {"bootstrap": {"severity": "moderate", '
        '"via": [{"title": "XSS in tooltips"}]}}, '
        '"metadata": {"dependencies": {"total": 2}}}'
    )
    found = audit.audit_javascript(npm_answering(report))
    refused = audit.audit_javascript(npm_answering('{"message": "405 Method Not Allowed"}'))

    assert found.vulnerable == ["bootstrap (moderate): XSS in tooltips"]
    assert refused.vulnerable == []
    assert refused.not_audited == [
        "package-lock.json: npm audit did not answer (405 Method Not Allowed)"
    ]


@pytest.mark.parametrize(
    ("python", "strict", "status"),
    [
        (audit.Findings(vulnerable=["lib==1: X"], audited=1), False, 1),
        (audit.Findings(not_audited=["lib==1: old"]), False, 0),
        (audit.Findings(not_audited=["lib==1: old"]), True, 1),
        (audit.Findings(audited=3), True, 0),
    ],
)
def test_it_fails_on_a_vulnerability_and_in_strict_mode_on_gaps(
    monkeypatch, capsys, python, strict, status
):
    monkeypatch.setattr(audit, "audit_python", lambda packages: python)
    monkeypatch.setattr(audit, "audit_javascript", lambda: audit.Findings(audited=2))

    assert audit.main(["--strict"] if strict else []) == status
    assert "audited" in capsys.readouterr().out
