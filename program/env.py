"""Typed readers for settings that come from the environment.

Each reader names the variable in its error, so a wrong value fails at start-up with a message that
says which variable to fix, rather than somewhere later as a confusing type error.
"""

import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(RuntimeError):
    """A variable is missing or malformed; the message names it and says what is expected."""


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise EnvError(f"{name} must be set.")
        if default is None:
            return ""
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise EnvError(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str], *, required: bool = False) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        if required:
            raise EnvError(f"{name} must be set (comma-separated).")
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).resolve() if raw else default
