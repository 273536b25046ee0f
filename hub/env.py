"""Typed readers for the hub's environment variables that fail loudly, naming the variable, on a bad value."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(ValueError):
    """A variable is set to something the hub cannot use; the message says which and what is expected."""


def envstr(name: str, default: str = "", environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(name, default)


def envbool(name: str, default: bool = False, environ: Mapping[str, str] = os.environ) -> bool:
    if name not in environ:
        return default
    value = environ[name].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(f"{name}={environ[name]!r} is not a yes/no value; use true or false.")


def envint(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    if name not in environ:
        return default
    try:
        return int(environ[name])
    except ValueError:
        raise EnvError(f"{name}={environ[name]!r} is not a whole number.") from None


def envlist(name: str, default: str, environ: Mapping[str, str] = os.environ) -> list[str]:
    return [item.strip() for item in environ.get(name, default).split(",") if item.strip()]


def envsecret(name: str, default: str | None = None, environ: Mapping[str, str] = os.environ) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (as Docker and systemd credentials provide)."""
    if environ.get(name):
        return environ[name]
    file_name = environ.get(f"{name}_FILE")
    if not file_name:
        return default
    try:
        value = Path(file_name).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise EnvError(f"{name}_FILE={file_name!r} cannot be read: {error.strerror}.") from None
    if not value:
        raise EnvError(f"{name}_FILE={file_name!r} is empty; put the secret in that file.")
    return value


def rate_limits(value: str, defaults: dict[str, tuple[int, int]], name: str = "AGORA_HUB_RATE_LIMITS"):
    """The default table of (requests, seconds) by scope, with overrides such as "kiosk=1200/60,pair=5/600"."""
    limits = dict(defaults)
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        scope, _, rate = item.partition("=")
        count, _, seconds = rate.partition("/")
        if scope.strip() not in defaults or not count.strip().isdigit() or not seconds.strip().isdigit():
            raise EnvError(
                f"{name} has {item!r}; write SCOPE=REQUESTS/SECONDS with a scope among {', '.join(defaults)}, "
                "e.g. kiosk=600/60."
            )
        if int(seconds) < 1:
            raise EnvError(f"{name} has {item!r}; the window must be at least one second.")
        limits[scope.strip()] = (int(count), int(seconds))
    return limits
