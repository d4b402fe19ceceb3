#!/usr/bin/env python3
"""Known-vulnerability audit of the locked dependencies (uv.lock and package-lock.json).

Python: for every package uv.lock takes from the index, PyPI's JSON for the project lists the
known vulnerabilities of its latest release (PyPI takes them from the PyPA advisory database
through OSV). When the locked version is that latest release, the list is exactly the one for
the locked version. A package locked at an older version cannot be checked this way and is
reported as not audited. (pip-audit asks for /pypi/<name>/<version>/json or api.osv.dev; the
index this project's machines reach answers neither.)

JavaScript: `npm audit` on package-lock.json, when the registry's audit service answers.

Exit status: 1 when any audited package has a known vulnerability; 0 otherwise. With --strict,
also 1 when anything could not be audited. Uses only the standard library.

    python3 scripts/audit.py [--strict]
"""

import argparse
import json
import subprocess
import sys
import tomllib
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPI_JSON = "https://pypi.org/pypi/{name}/json"


@dataclass
class Findings:
    vulnerable: list[str] = field(default_factory=list)
    not_audited: list[str] = field(default_factory=list)
    audited: int = 0


def locked_python_packages(lock: Path) -> list[tuple[str, str]]:
    data = tomllib.loads(lock.read_text(encoding="utf-8"))
    return sorted(
        (package["name"], package["version"])
        for package in data.get("package", [])
        if "registry" in package.get("source", {})
    )


def fetch_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (a fixed https URL)
        return json.load(response)


def audit_python(
    packages: list[tuple[str, str]], fetch: Callable[[str], dict] = fetch_json
) -> Findings:
    findings = Findings()
    for name, version in packages:
        try:
            project = fetch(PYPI_JSON.format(name=name))
        except Exception as problem:  # any failure means: not audited
            findings.not_audited.append(f"{name}=={version}: the index did not answer ({problem})")
            continue
        latest = project.get("info", {}).get("version")
        if latest != version or "vulnerabilities" not in project:
            findings.not_audited.append(
                f"{name}=={version}: the index lists vulnerabilities only for {latest}"
            )
            continue
        findings.audited += 1
        for advisory in project["vulnerabilities"]:
            if advisory.get("withdrawn"):
                continue
            ids = ", ".join([advisory.get("id", "?"), *advisory.get("aliases", [])])
            fixed = ", ".join(advisory.get("fixed_in") or []) or "no fixed release"
            findings.vulnerable.append(f"{name}=={version}: {ids} (fixed in: {fixed})")
    return findings


def audit_javascript(run: Callable[..., subprocess.CompletedProcess] = subprocess.run) -> Findings:
    findings = Findings()
    if not (ROOT / "package-lock.json").exists():
        return findings
    done = run(
        ["npm", "audit", "--package-lock-only", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    try:
        report = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    if "vulnerabilities" not in report:
        reason = (
            report.get("message")
            or (report.get("error") or {}).get("summary")
            or (done.stderr.strip().splitlines() or ["no answer"])[-1]
        )
        findings.not_audited.append(f"package-lock.json: npm audit did not answer ({reason})")
        return findings
    findings.audited = report.get("metadata", {}).get("dependencies", {}).get("total", 0)
    for name, entry in sorted(report["vulnerabilities"].items()):
        titles = [v.get("title", "") for v in entry.get("via", []) if isinstance(v, dict)]
        findings.vulnerable.append(f"{name} ({entry.get('severity')}): {'; '.join(titles)}")
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="also fail when not all is audited")
    args = parser.parse_args(argv)

    python = audit_python(locked_python_packages(ROOT / "uv.lock"))
    javascript = audit_javascript()
    vulnerable = python.vulnerable + javascript.vulnerable
    not_audited = python.not_audited + javascript.not_audited

    print(f"Python: {python.audited} locked packages audited against PyPI's advisory data")
    print(f"JavaScript: {javascript.audited} locked packages audited with npm audit")
    for line in vulnerable:
        print(f"  VULNERABLE {line}")
    for line in not_audited:
        print(f"  NOT AUDITED {line}")
    if vulnerable:
        print(f"{len(vulnerable)} known vulnerabilities in locked dependencies")
        return 1
    print("No known vulnerabilities in the audited packages.")
    return 1 if args.strict and not_audited else 0


if __name__ == "__main__":
    sys.exit(main())
