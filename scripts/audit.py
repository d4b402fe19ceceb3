#!/usr/bin/env python3
"""Known-vulnerability audit of the locked dependencies (uv.lock and package-lock.json).

Python, first with the standard tool: pip-audit against the requirements exported from uv.lock
(`uv export --frozen`), asking PyPI's advisory data for each locked version. Where pip-audit
cannot get an answer for a package (the index this project's machines reach answers
/pypi/<name>/<version>/json with 404, and api.osv.dev not at all), the package is checked
against PyPI's project JSON instead, which lists the known vulnerabilities of the latest
release: exact when the locked version is that release. A package locked at an older version
cannot be checked that way and is NOT AUDITED.

JavaScript: `npm audit` on package-lock.json. When the registry's audit service refuses (it
answers 405 here), every locked npm package is NOT AUDITED.

Exit status: 1 when any package has a known vulnerability, or when any package could not be
audited and scripts/audit-allowlist.toml does not list that exact locked version with a reason;
0 otherwise. What could not be reached is always printed.

    python3 scripts/audit.py
"""

import json
import subprocess
import sys
import tempfile
import tomllib
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPI_JSON = "https://pypi.org/pypi/{name}/json"
ALLOWLIST = ROOT / "scripts" / "audit-allowlist.toml"
PIP_AUDIT = "pip-audit==2.10.1"
UV = ROOT / ".tools" / "bin" / "uv"


@dataclass
class Findings:
    vulnerable: list[str] = field(default_factory=list)
    # (package id, why): "pypi:name==version" or "npm:name@version"
    not_audited: list[tuple[str, str]] = field(default_factory=list)
    audited: int = 0
    notes: list[str] = field(default_factory=list)


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
            findings.not_audited.append(
                (f"pypi:{name}=={version}", f"the index did not answer ({problem})")
            )
            continue
        latest = project.get("info", {}).get("version")
        if latest != version or "vulnerabilities" not in project:
            findings.not_audited.append(
                (f"pypi:{name}=={version}", f"the index lists vulnerabilities only for {latest}")
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


def locked_npm_packages(lock: Path) -> list[tuple[str, str]]:
    if not lock.exists():
        return []
    packages = json.loads(lock.read_text(encoding="utf-8")).get("packages", {})
    return sorted(
        (path.rsplit("node_modules/", 1)[-1], entry["version"])
        for path, entry in packages.items()
        if path and "version" in entry
    )


def audit_javascript(run: Callable[..., subprocess.CompletedProcess] = subprocess.run) -> Findings:
    findings = Findings()
    locked = locked_npm_packages(ROOT / "package-lock.json")
    if not locked:
        return findings
    try:
        done = run(
            ["npm", "audit", "--package-lock-only", "--json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        report = json.loads(done.stdout or "{}")
        stderr = done.stderr or ""
    except (OSError, subprocess.TimeoutExpired, json.JSONDecodeError) as problem:
        report, stderr = {}, str(problem)
    if "vulnerabilities" not in report:
        reason = (
            report.get("message")
            or (report.get("error") or {}).get("summary")
            or (stderr.strip().splitlines() or ["no answer"])[-1]
        )
        findings.notes.append(f"npm audit could not reach the registry's audit service ({reason})")
        for name, version in locked:
            findings.not_audited.append((f"npm:{name}@{version}", "npm audit did not answer"))
        return findings
    findings.audited = report.get("metadata", {}).get("dependencies", {}).get("total", 0)
    for name, entry in sorted(report["vulnerabilities"].items()):
        titles = [v.get("title", "") for v in entry.get("via", []) if isinstance(v, dict)]
        findings.vulnerable.append(f"{name} ({entry.get('severity')}): {'; '.join(titles)}")
    return findings


def pip_audit(run: Callable[..., subprocess.CompletedProcess] = subprocess.run) -> dict | None:
    """pip-audit's JSON report on the locked requirements, or None when it could not run."""
    uv = str(UV) if UV.exists() else "uv"
    try:
        exported = run(
            [
                uv,
                "export",
                "--frozen",
                "--no-emit-project",
                "--no-hashes",
                "--format",
                "requirements-txt",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as requirements:
            requirements.write(exported)
            requirements.flush()
            done = run(
                [
                    uv,
                    "tool",
                    "run",
                    "--from",
                    PIP_AUDIT,
                    "pip-audit",
                    "-r",
                    requirements.name,
                    "--no-deps",
                    "--disable-pip",
                    "--vulnerability-service",
                    "pypi",
                    "--format",
                    "json",
                    "--progress-spinner",
                    "off",
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
        return json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, json.JSONDecodeError):
        return None


def audit_python_locked(
    packages: list[tuple[str, str]],
    report: dict | None,
    fetch: Callable[[str], dict] = fetch_json,
) -> Findings:
    """pip-audit's answers where it had them; the latest-release check for the rest."""
    findings = Findings()
    answered = {}
    if report is None:
        findings.notes.append("pip-audit could not be run; every package is checked by the index")
    else:
        for dependency in report.get("dependencies", []):
            if "skip_reason" not in dependency:
                answered[dependency["name"].lower()] = dependency
    rest = []
    for name, version in packages:
        dependency = answered.get(name.lower())
        if dependency is None or dependency.get("version") != version:
            rest.append((name, version))
            continue
        findings.audited += 1
        for vuln in dependency.get("vulns", []):
            ids = ", ".join([vuln.get("id", "?"), *vuln.get("aliases", [])])
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release"
            findings.vulnerable.append(f"{name}=={version}: {ids} (fixed in: {fixed})")
    if report is not None and rest:
        findings.notes.append(
            f"pip-audit could not get advisory data for {len(rest)} of {len(packages)} packages"
            " (its vulnerability service did not answer for them); they are checked against"
            " the index's latest-release data"
        )
    fallback = audit_python(rest, fetch)
    findings.audited += fallback.audited
    findings.vulnerable += fallback.vulnerable
    findings.not_audited += fallback.not_audited
    return findings


def load_allowlist(path: Path = ALLOWLIST) -> dict[str, str]:
    """Package id -> reason. Every entry must give a reason."""
    if not path.exists():
        return {}
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("unchecked", [])
    allowed = {}
    for entry in entries:
        reason = str(entry.get("reason", "")).strip()
        if not reason:
            raise SystemExit(f"{path.name}: {entry.get('package')} has no reason")
        allowed[entry["package"]] = reason
    return allowed


def main(argv: list[str] | None = None) -> int:
    allowed = load_allowlist()
    locked = locked_python_packages(ROOT / "uv.lock")
    python = audit_python_locked(locked, pip_audit())
    javascript = audit_javascript()
    vulnerable = python.vulnerable + javascript.vulnerable
    not_audited = python.not_audited + javascript.not_audited

    print(f"Python: {python.audited} of {len(locked)} locked packages audited")
    print(f"JavaScript: {javascript.audited} locked packages audited with npm audit")
    for note in python.notes + javascript.notes:
        print(f"  NOTE {note}")
    for line in vulnerable:
        print(f"  VULNERABLE {line}")
    unexcused = []
    for package, why in not_audited:
        if package in allowed:
            print(f"  NOT AUDITED, allowed {package}: {why}; allowed because: {allowed[package]}")
        else:
            print(f"  NOT AUDITED {package}: {why}")
            unexcused.append(package)
    unused = sorted(set(allowed) - {package for package, _ in not_audited})
    for package in unused:
        print(f"  NOTE the allowlist entry for {package} is no longer needed; remove it")
    if vulnerable:
        print(f"FAILED: {len(vulnerable)} known vulnerabilities in locked dependencies")
        return 1
    if unexcused:
        print(
            f"FAILED: {len(unexcused)} locked packages could not be audited and are not in"
            f" {ALLOWLIST.relative_to(ROOT)}: upgrade them to a release that can be checked"
            " or add a reasoned entry"
        )
        return 1
    print("No known vulnerabilities; everything not audited is in the allowlist with a reason.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
