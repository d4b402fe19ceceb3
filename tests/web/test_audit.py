"""The dependency audit (scripts/audit.py) fails on a known advisory and on anything it could not
check unless the allowlist gives a reason; it says what it could not reach. Network-free: the
index, pip-audit and npm are stand-ins here, except for the last test, which reads the real
allowlist and lock files."""

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
    assert [package for package, _ in findings.not_audited] == ["pypi:lib==2.0.0", "pypi:gone==1.0"]
    assert "lists vulnerabilities only for 3.0.0" in findings.not_audited[0][1]


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
    assert {package for package, _ in refused.not_audited} == {
        f"npm:{name}@{version}"
        for name, version in audit.locked_npm_packages(ROOT / "package-lock.json")
    }
    assert refused.notes == [
        "npm audit could not reach the registry's audit service (405 Method Not Allowed)"
    ]


def test_pip_audit_answers_are_used_and_its_gaps_checked_by_the_index():
    report = {
        "dependencies": [
            {
                "name": "lib",
                "version": "2.0.0",
                "vulns": [
                    {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-0001"], "fix_versions": ["2.0.1"]}
                ],
            },
            {"name": "other", "skip_reason": "Dependency not found on PyPI"},
        ]
    }
    fetch = index({"other": project("1.0")})

    findings = audit.audit_python_locked([("lib", "2.0.0"), ("other", "1.0")], report, fetch)

    assert findings.audited == 2
    assert findings.vulnerable == ["lib==2.0.0: PYSEC-2099-1, CVE-2099-0001 (fixed in: 2.0.1)"]
    assert "pip-audit could not get advisory data for 1 of 2 packages" in findings.notes[0]


def run_main(monkeypatch, python, allowlist):
    monkeypatch.setattr(audit, "pip_audit", lambda: None)
    monkeypatch.setattr(audit, "audit_python_locked", lambda packages, report: python)
    monkeypatch.setattr(audit, "audit_javascript", lambda: audit.Findings(audited=2))
    monkeypatch.setattr(audit, "load_allowlist", lambda: allowlist)
    return audit.main()


@pytest.mark.parametrize(
    ("python", "allowlist", "status"),
    [
        (audit.Findings(vulnerable=["lib==1: X"], audited=1), {}, 1),
        (audit.Findings(not_audited=[("pypi:lib==1", "old")]), {}, 1),
        (audit.Findings(not_audited=[("pypi:lib==1", "old")]), {"pypi:lib==1": "dev only"}, 0),
        (audit.Findings(not_audited=[("pypi:lib==2", "old")]), {"pypi:lib==1": "dev only"}, 1),
        (audit.Findings(audited=3), {}, 0),
    ],
)
def test_it_fails_on_a_vulnerability_and_on_any_gap_the_allowlist_does_not_excuse(
    monkeypatch, capsys, python, allowlist, status
):
    assert run_main(monkeypatch, python, allowlist) == status
    out = capsys.readouterr().out
    assert "audited" in out
    if status and not python.vulnerable:
        assert "NOT AUDITED pypi:lib==" in out and "FAILED" in out


def test_an_allowlist_entry_without_a_reason_is_refused(tmp_path):
    path = tmp_path / "allow.toml"
    path.write_text('[[unchecked]]\npackage = "pypi:lib==1"\nreason = " "\n')

    with pytest.raises(SystemExit):
        audit.load_allowlist(path)


def test_every_shipped_allowlist_entry_names_a_locked_version_and_a_reason():
    allowed = audit.load_allowlist()
    locked = {f"pypi:{n}=={v}" for n, v in audit.locked_python_packages(ROOT / "uv.lock")} | {
        f"npm:{n}@{v}" for n, v in audit.locked_npm_packages(ROOT / "package-lock.json")
    }

    assert len(allowed) <= 12  # short
    assert set(allowed) <= locked
    assert all(len(reason) > 40 for reason in allowed.values())
