"""Development works with nothing set; production refuses to start without its own values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k" * 64 + "-production-like-secret-for-the-check",
    "ALLOWED_HOSTS": "cells.example.org",
    "DATABASE_URL": "postgresql://app:pw@127.0.0.1:5432/program",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    test_only = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k not in test_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _run(env, "check")
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_the_deployment_check_passes_with_production_values() -> None:
    result = _run(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_project_security_checks_run_in_production_and_pass() -> None:
    # program/core/checks.py: the deployment check above runs them too; this proves they are
    # registered under production settings, not merely absent.
    script = (
        "from django.core.checks import registry; "
        "print(sum(c.__module__ == 'program.core.checks' "
        "for c in registry.registry.get_checks(include_deployment_checks=True)))"
    )
    registered = _run(PRODUCTION, "shell", "--no-imports", "-c", script)
    assert registered.stdout.splitlines()[-1:] == ["5"], registered.stdout + registered.stderr
    result = _run(PRODUCTION, "check", "--tag", "security", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_malformed_value_names_its_variable() -> None:
    result = _run({"DEBUG": "perhaps"}, "check")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_production_has_the_lock_out_csp_and_session_limits() -> None:
    script = (
        "from django.conf import settings as s; "
        "print(s.AUTHENTICATION_BACKENDS[0]); "
        "print('axes.middleware.AxesMiddleware' in s.MIDDLEWARE); "
        "print('csp.middleware.CSPMiddleware' in s.MIDDLEWARE); "
        "print(s.SESSION_COOKIE_AGE, s.SESSION_IDLE_TIMEOUT, s.AXES_TRUSTED_PROXY_COUNT)"
    )
    result = _run(PRODUCTION, "shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-4:] == [
        "program.core.passwords.LockoutBackend",
        "True",
        "True",
        "43200 1800 0",
    ]
