"""Known-vulnerable dependencies (pip-audit) and insecure code patterns (bandit), for `make test`.

Fails on any finding that security/exceptions.toml does not accept with a written reason, the
date it was accepted and an expiry date; an expired acceptance no longer counts. bandit runs with
--ignore-nosec, so a `# nosec` comment cannot hide a finding: the exceptions file is the only
way to accept one, and it says why.

When the vulnerability service cannot be reached, or does not know a package, pip-audit skips
it: that is printed with the count, loudly, but does not fail the run (a build machine without
the service must still be able to test). Run `scripts/security-scan --help` for the options.
"""

import argparse
import json
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = ROOT / "security" / "exceptions.toml"
LOCK_FILE = ROOT / "requirements.lock"
# The project's virtualenv (make's $(PY)), or whichever one runs this script.
BIN = (
    ROOT / ".venv" / "bin"
    if (ROOT / ".venv" / "bin" / "bandit").exists()
    else Path(sys.executable).parent
)
# What bandit reads: the application, the benchmarks and the scripts; not tests, not migrations.
BANDIT_TARGETS = ["program", "transfers", "finance", "bench", "scripts"]
BANDIT_EXCLUDE = "*/migrations/*,*/tests/*"
AUDIT_TIMEOUT_SECONDS = 300
REQUIRED_KEYS = {"id", "reason", "accepted", "expires"}


@dataclass(frozen=True)
class Acceptance:
    """One accepted finding from security/exceptions.toml."""

    tool: str
    id: str
    reason: str
    accepted: date
    expires: date
    package: str = ""  # pip-audit: the package the advisory is for
    file: str = ""  # bandit: the file the finding is in, relative to the repository

    def expired(self, today: date) -> bool:
        return today > self.expires


@dataclass(frozen=True)
class Finding:
    tool: str
    id: str
    where: str
    text: str
    aliases: tuple[str, ...] = ()
    package: str = ""
    file: str = ""


def load_exceptions(path: Path) -> tuple[list[Acceptance], list[str]]:
    """The accepted findings, and the problems with the file (each one fails the run)."""
    if not path.exists():
        return [], []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    accepted: list[Acceptance] = []
    problems: list[str] = []
    for tool, key in (("bandit", "file"), ("pip-audit", "package")):
        for number, entry in enumerate(data.get(tool, []), start=1):
            where = f"{path.name} [[{tool}]] #{number}"
            missing = sorted((REQUIRED_KEYS | {key}) - set(entry))
            if missing:
                problems.append(f"{where}: missing {', '.join(missing)}")
                continue
            if not str(entry["reason"]).strip():
                problems.append(f"{where}: the reason is empty")
                continue
            if not isinstance(entry["accepted"], date) or not isinstance(entry["expires"], date):
                problems.append(f"{where}: accepted and expires must be dates (YYYY-MM-DD)")
                continue
            if entry["expires"] <= entry["accepted"]:
                problems.append(f"{where}: expires must come after accepted")
                continue
            accepted.append(
                Acceptance(
                    tool=tool,
                    id=str(entry["id"]),
                    reason=str(entry["reason"]),
                    accepted=entry["accepted"],
                    expires=entry["expires"],
                    **{key: str(entry[key])},
                )
            )
    return accepted, problems


def matches(acceptance: Acceptance, finding: Finding) -> bool:
    if acceptance.tool != finding.tool:
        return False
    if finding.tool == "bandit":
        return acceptance.id == finding.id and acceptance.file == finding.file
    return acceptance.package.lower() == finding.package.lower() and acceptance.id in {
        finding.id,
        *finding.aliases,
    }


def _run(command: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (a fixed command line, no shell)
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def run_bandit(targets: list[str]) -> list[Finding]:
    command = [
        str(BIN / "bandit"),
        "--recursive",
        *targets,
        "--exclude",
        BANDIT_EXCLUDE,
        "--severity-level",
        "medium",
        "--confidence-level",
        "medium",
        "--ignore-nosec",
        "--format",
        "json",
        "--quiet",
    ]
    result = _run(command, timeout=AUDIT_TIMEOUT_SECONDS)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise SystemExit(f"bandit did not run:\n{result.stdout}\n{result.stderr}") from error
    if report.get("errors"):
        raise SystemExit(f"bandit could not read every file: {report['errors']}")
    return [
        Finding(
            tool="bandit",
            id=item["test_id"],
            where=f"{item['filename']}:{item['line_number']}",
            text=f"{item['issue_severity']}/{item['issue_confidence']}: {item['issue_text']}",
            file=_relative(item["filename"]),
        )
        for item in report["results"]
    ]


def _relative(filename: str) -> str:
    path = (ROOT / filename).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


@dataclass(frozen=True)
class AuditResult:
    findings: list[Finding]
    audited: int
    skipped: list[str]
    unreachable: str = ""  # why no package could be audited at all


def run_pip_audit(service: str) -> AuditResult:
    command = [
        str(BIN / "pip-audit"),
        "--requirement",
        str(LOCK_FILE.relative_to(ROOT)),
        "--require-hashes",
        "--disable-pip",  # audit the pinned versions as written; install nothing
        "--vulnerability-service",
        service,
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    try:
        result = _run(command, timeout=AUDIT_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return AuditResult([], 0, [], f"pip-audit took more than {AUDIT_TIMEOUT_SECONDS} s")
    try:
        report: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return AuditResult([], 0, [], f"pip-audit exited {result.returncode}: {last}")
    return audit_result(report)


def audit_result(report: dict[str, Any]) -> AuditResult:
    """pip-audit's JSON report: the vulnerabilities found, and the packages it could not audit."""
    findings: list[Finding] = []
    skipped: list[str] = []
    audited = 0
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            skipped.append(dependency["name"])
            continue
        audited += 1
        for vuln in dependency.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version"
            findings.append(
                Finding(
                    tool="pip-audit",
                    id=vuln["id"],
                    aliases=tuple(vuln.get("aliases", [])),
                    where=f"{dependency['name']} {dependency.get('version', '')}".strip(),
                    text=f"fixed in: {fixes}",
                    package=dependency["name"],
                )
            )
    return AuditResult(findings, audited, skipped)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--service",
        default="pypi",
        choices=["pypi", "osv"],
        help="pip-audit's vulnerability service (default: pypi)",
    )
    parser.add_argument("--skip-audit", action="store_true", help="run bandit only")
    parser.add_argument(
        "--exceptions", type=Path, default=EXCEPTIONS, help="the accepted findings (TOML)"
    )
    parser.add_argument(
        "paths",
        nargs="*",
        default=[*BANDIT_TARGETS, "scripts/security-scan"],  # no .py suffix: named itself
        help="what bandit reads (default: the application, bench and scripts)",
    )
    args = parser.parse_args(argv)
    today = date.today()  # noqa: DTZ011  (acceptance dates are calendar days, local time)

    acceptances, problems = load_exceptions(args.exceptions)
    for problem in problems:
        print(f"security: invalid exception: {problem}")

    findings = run_bandit(args.paths)
    print(f"bandit: {len(findings)} finding(s) at medium severity and confidence or above")
    if args.skip_audit:
        audit = AuditResult([], 0, [], "skipped by --skip-audit")
    else:
        audit = run_pip_audit(args.service)
    findings += audit.findings
    if audit.unreachable:
        print(f"pip-audit: SKIPPED, no dependency was audited ({audit.unreachable}).")
    else:
        print(
            f"pip-audit: {audit.audited} package(s) audited against {args.service}, "
            f"{len(audit.findings)} known vulnerability(ies)"
        )
        if audit.skipped:
            print(
                f"pip-audit: WARNING {len(audit.skipped)} of "
                f"{audit.audited + len(audit.skipped)} package(s) could not be audited (the "
                "vulnerability service was unreachable or did not know them): those packages "
                "are NOT checked for known vulnerabilities."
            )

    unaccepted: list[Finding] = []
    used: set[Acceptance] = set()
    for finding in findings:
        found = [a for a in acceptances if matches(a, finding)]
        valid = [a for a in found if not a.expired(today)]
        if valid:
            used.add(valid[0])
            print(
                f"  accepted until {valid[0].expires}: {finding.tool} {finding.id} "
                f"{finding.where}: {' '.join(valid[0].reason.split())}"
            )
            continue
        if found:
            print(f"  EXPIRED acceptance ({found[0].expires}) for {finding.tool} {finding.id}")
        unaccepted.append(finding)
    for acceptance in acceptances:
        if acceptance not in used:
            print(
                f"  note: {acceptance.tool} {acceptance.id} "
                f"({acceptance.file or acceptance.package}) is accepted but no longer found: "
                "remove it from security/exceptions.toml"
            )

    for finding in unaccepted:
        print(f"FINDING {finding.tool} {finding.id} {finding.where}: {finding.text}")
    if unaccepted or problems:
        print(
            f"security: {len(unaccepted)} finding(s) without an accepted exception, "
            f"{len(problems)} invalid exception(s). Fix the code or the dependency, or record "
            f"the finding in {args.exceptions} with a reason, accepted and expires."
        )
        return 1
    print("security: no finding without a written, dated exception")
    return 0


if __name__ == "__main__":
    sys.exit(main())
