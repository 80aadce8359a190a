"""Environment helpers that refuse malformed values at start-up, naming the variable."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.getenv(name)
    return default if value is None or value == "" else value


def env_secret(name: str, default: str | None = None) -> str | None:
    """A secret from `NAME`, or from the file named by `NAME_FILE` (Docker and systemd secrets),
    so that it never has to sit in the environment where `docker inspect` shows it."""
    if path := os.getenv(f"{name}_FILE"):
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read().strip() or default
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={path!r}: {error.strerror}") from None
    return env_str(name, default)


def env_bool(name: str, default: bool) -> bool:
    if (value := os.getenv(name)) is None or value == "":
        return default
    if value.lower() not in ("true", "false", "1", "0"):
        raise ImproperlyConfigured(f"{name}={value!r}: use true or false")
    return value.lower() in ("true", "1")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    if (value := os.getenv(name)) is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: use a whole number") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r}: must be at least {minimum}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    if (value := os.getenv(name)) is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    if (value := os.getenv(name)) is None or value == "":
        return default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r}: use one of {', '.join(choices)}")
    return value


def load_dotenv(path: str) -> None:
    """Read KEY=VALUE lines from `path` into the environment without overriding it."""
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if "=" not in line:
                raise ImproperlyConfigured(f"{path} line {number}: expected KEY=VALUE")
            key, _, value = line.partition("=")
            os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))
