"""docker-compose.yml: valid for docker compose where it is installed, sound in its shape always.

Neither test touches the database or needs a Docker engine (`docker compose config` does not).
"""

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"

APP_SERVICES = ("web", "worker", "beat")
LONG_RUNNING = ("postgres", "redis", *APP_SERVICES)
INTERNAL_PORTS = {"5432", "6379"}


def _compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    result = subprocess.run(
        ["docker", "compose", "version"], capture_output=True, text=True, timeout=30, check=False
    )
    return result.returncode == 0


def _load() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def _published_targets(ports: list[Any]) -> set[str]:
    """Container ports of each entry, short ("8000:8000", "127.0.0.1:5432:5432/tcp") or long."""
    targets = set()
    for entry in ports:
        if isinstance(entry, dict):
            targets.add(str(entry["target"]))
        else:
            targets.add(str(entry).split("/")[0].rsplit(":", 1)[-1])
    return targets


def test_compose_config_is_valid() -> None:
    if not _compose_available():
        pytest.skip("docker compose is not installed here; compose file not validated")
    env = {**os.environ, "SECRET_KEY": "compose-config-test-only"}
    result = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE_FILE), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_compose_file_shape() -> None:
    config = _load()
    assert "version" not in config, "the version key is obsolete in the compose spec"
    services = config["services"]

    for name in (*LONG_RUNNING, "migrate"):
        assert name in services, f"service {name} is missing"

    # One image for the application, whatever command each service runs.
    builds = {
        (repr(services[name].get("build")), services[name].get("image")) for name in APP_SERVICES
    }
    assert len(builds) == 1, f"web, worker and beat differ in build/image: {builds}"
    assert services["migrate"].get("image") == services["web"].get("image")

    for name in LONG_RUNNING:
        service = services[name]
        healthcheck = service.get("healthcheck") or {}
        has_healthcheck = bool(healthcheck.get("test")) and not healthcheck.get("disable")
        depends_on = service.get("depends_on") or {}
        has_conditions = isinstance(depends_on, dict) and all(
            isinstance(dep, dict) and dep.get("condition") for dep in depends_on.values()
        )
        assert has_healthcheck or (depends_on and has_conditions), (
            f"{name} needs a healthcheck or depends_on with conditions"
        )

    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"
        assert depends_on["redis"]["condition"] == "service_healthy"

    assert "healthz" in str(services["web"]["healthcheck"]["test"])
    assert "8000" in _published_targets(services["web"].get("ports", []))

    for name, service in services.items():
        published = _published_targets(service.get("ports", []))
        assert not published & INTERNAL_PORTS, f"{name} publishes {published & INTERNAL_PORTS}"
    assert "ports" not in services["postgres"]
    assert "ports" not in services["redis"]

    environment = services["web"]["environment"]
    assert environment["DJANGO_ENV"] == "production"
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0"
