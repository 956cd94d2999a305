"""scripts/security-scan fails on a finding without a written, dated exception, and only then."""

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "security_scan", ROOT / "scripts/security_scan.py"
    )
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


scan = _load()

# A string-built query: bandit's B608 at medium severity and confidence.
INSECURE = "def find(cursor, name):\n    cursor.execute(f\"SELECT * FROM t WHERE n = '{name}'\")\n"


def _exception(file: str, *, expires: str = "2099-01-01", reason: str = "Reviewed.") -> str:
    return (
        f'[[bandit]]\nid = "B608"\nfile = "{file}"\nreason = "{reason}"\n'
        f"accepted = 2026-01-01\nexpires = {expires}\n"
    )


@pytest.fixture
def insecure_file(tmp_path: Path) -> Path:
    path = tmp_path / "insecure.py"
    path.write_text(INSECURE)
    return path


def _main(paths: Path, exceptions: Path) -> int:
    return int(scan.main(["--skip-audit", "--exceptions", str(exceptions), str(paths)]))


def test_a_finding_without_an_exception_fails(insecure_file, tmp_path, capsys) -> None:
    assert _main(insecure_file, tmp_path / "none.toml") == 1
    assert "FINDING bandit B608" in capsys.readouterr().out


def test_a_nosec_comment_does_not_hide_a_finding(tmp_path) -> None:
    path = tmp_path / "hidden.py"
    path.write_text(INSECURE.replace("}')\n", "}')  # nosec\n"))
    assert _main(path, tmp_path / "none.toml") == 1


def test_a_dated_exception_accepts_the_finding(insecure_file, tmp_path, capsys) -> None:
    exceptions = tmp_path / "exceptions.toml"
    exceptions.write_text(_exception(str(insecure_file)))
    assert _main(insecure_file, exceptions) == 0
    assert "accepted until 2099-01-01" in capsys.readouterr().out


def test_an_expired_exception_no_longer_accepts(insecure_file, tmp_path, capsys) -> None:
    exceptions = tmp_path / "exceptions.toml"
    exceptions.write_text(_exception(str(insecure_file), expires="2026-02-01"))
    assert _main(insecure_file, exceptions) == 1
    assert "EXPIRED" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            '[[bandit]]\nid = "B608"\nfile = "x.py"\naccepted = 2026-01-01\nexpires = 2027-01-01\n',
            "missing reason",
        ),
        (
            '[[bandit]]\nid = "B608"\nfile = "x.py"\nreason = " "\naccepted = 2026-01-01\n'
            "expires = 2027-01-01\n",
            "the reason is empty",
        ),
        (
            '[[pip-audit]]\nid = "GHSA-1"\npackage = "django"\nreason = "r"\n'
            'accepted = "soon"\nexpires = 2027-01-01\n',
            "must be dates",
        ),
        (
            '[[pip-audit]]\nid = "GHSA-1"\nreason = "r"\naccepted = 2026-01-01\n'
            "expires = 2027-01-01\n",
            "missing package",
        ),
    ],
)
def test_an_exception_without_reason_dates_or_target_is_refused(tmp_path, entry, problem) -> None:
    path = tmp_path / "exceptions.toml"
    path.write_text(entry)
    accepted, problems = scan.load_exceptions(path)
    assert accepted == []
    assert len(problems) == 1
    assert problem in problems[0]


def test_a_vulnerability_is_accepted_by_its_id_or_an_alias_for_its_package_only() -> None:
    acceptance = scan.Acceptance(
        tool="pip-audit",
        id="CVE-2026-1",
        reason="r",
        accepted=date(2026, 1, 1),
        expires=date(2026, 6, 1),
        package="Django",
    )
    finding = scan.Finding(
        tool="pip-audit",
        id="PYSEC-2026-9",
        where="django 5.2",
        text="",
        aliases=("CVE-2026-1",),
        package="django",
    )
    assert scan.matches(acceptance, finding)
    other = scan.Finding(
        tool="pip-audit",
        id="PYSEC-2026-9",
        where="",
        text="",
        aliases=("CVE-2026-1",),
        package="celery",
    )
    assert not scan.matches(acceptance, other)


def test_the_projects_own_exceptions_file_is_valid() -> None:
    accepted, problems = scan.load_exceptions(ROOT / "security/exceptions.toml")
    assert problems == []
    for acceptance in accepted:
        assert (acceptance.expires - acceptance.accepted).days <= 190, acceptance.id


# pip-audit's JSON report, as it prints it: one package audited with an advisory, one skipped.
REPORT = {
    "dependencies": [
        {
            "name": "django",
            "version": "5.2.0",
            "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.1"], "aliases": ["CVE-2099-1"]}],
        },
        {"name": "celery", "version": "5.5.0", "vulns": []},
        {"name": "amqp", "skip_reason": "Dependency not found on PyPI and could not be audited"},
    ],
    "fixes": [],
}


def test_the_audit_report_gives_findings_and_the_packages_it_skipped() -> None:
    result = scan.audit_result(REPORT)
    assert [(f.id, f.package, f.aliases) for f in result.findings] == [
        ("PYSEC-2099-1", "django", ("CVE-2099-1",))
    ]
    assert result.audited == 2
    assert result.skipped == ["amqp"]


@pytest.fixture
def audit(monkeypatch):
    # The vulnerability service is outside the system (and unreachable from this machine):
    # its answer is the recorded report above.
    def use(report: dict | None) -> None:
        result = (
            scan.AuditResult([], 0, [], "pip-audit exited 1: connection refused")
            if report is None
            else scan.audit_result(report)
        )
        monkeypatch.setattr(scan, "run_pip_audit", lambda service: result)

    return use


def _audited(tmp_path: Path, exceptions: str = "") -> int:
    clean = tmp_path / "clean.py"
    clean.write_text("VALUE = 1\n")
    path = tmp_path / "exceptions.toml"
    path.write_text(exceptions)
    return int(scan.main(["--exceptions", str(path), str(clean)]))


def test_a_known_vulnerability_without_an_exception_fails(audit, tmp_path, capsys) -> None:
    audit(REPORT)
    assert _audited(tmp_path) == 1
    out = capsys.readouterr().out
    assert "FINDING pip-audit PYSEC-2099-1 django 5.2.0" in out
    assert "WARNING 1 of 3 package(s) could not be audited" in out


def test_a_vulnerability_accepted_by_its_alias_passes(audit, tmp_path) -> None:
    audit(REPORT)
    accepted = (
        '[[pip-audit]]\nid = "CVE-2099-1"\npackage = "django"\n'
        'reason = "Not reachable: we do not use the affected API."\n'
        "accepted = 2026-11-01\nexpires = 2099-01-01\n"
    )
    assert _audited(tmp_path, accepted) == 0


def test_an_unreachable_service_is_said_loudly_but_does_not_fail(audit, tmp_path, capsys) -> None:
    audit(None)
    assert _audited(tmp_path) == 0
    assert "pip-audit: SKIPPED, no dependency was audited" in capsys.readouterr().out
