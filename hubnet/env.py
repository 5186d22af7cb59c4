"""The one place that reads configuration from environment variables.

Every getter validates its value and raises ``ConfigError`` naming the variable, so
a bad setting stops start-up with one clear line instead of failing later.
"""

from __future__ import annotations

import builtins
import os
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ConfigError(ImproperlyConfigured):
    """A configuration variable is missing or malformed; the message names it."""


class Env:
    """Typed, validated access to environment variables."""

    def __init__(
        self, environ: Mapping[builtins.str, builtins.str] | None = None
    ) -> None:
        self._environ = os.environ if environ is None else environ

    def _raw(self, name: builtins.str) -> builtins.str | None:
        value = self._environ.get(name)
        return None if value is None else value.strip()

    def str(
        self, name: builtins.str, default: builtins.str | None = None
    ) -> builtins.str:
        value = self._raw(name)
        if value is None or value == "":
            if default is None:
                raise ConfigError(f"{name} is required but not set")
            return default
        return value

    def optional_str(self, name: builtins.str) -> builtins.str | None:
        value = self._raw(name)
        return value or None

    def bool(self, name: builtins.str, default: builtins.bool = False) -> builtins.bool:
        value = self._raw(name)
        if value is None or value == "":
            return default
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ConfigError(f"{name} must be a boolean (1/0, true/false), got {value!r}")

    def int(
        self,
        name: builtins.str,
        default: builtins.int,
        *,
        minimum: builtins.int | None = None,
        maximum: builtins.int | None = None,
    ) -> builtins.int:
        value = self._raw(name)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(f"{name} must be an integer, got {value!r}") from None
        if minimum is not None and number < minimum:
            raise ConfigError(f"{name} must be >= {minimum}, got {number}")
        if maximum is not None and number > maximum:
            raise ConfigError(f"{name} must be <= {maximum}, got {number}")
        return number

    def float(
        self, name: builtins.str, default: builtins.float | None = None
    ) -> builtins.float | None:
        value = self._raw(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except ValueError:
            raise ConfigError(f"{name} must be a number, got {value!r}") from None

    def choice(
        self, name: builtins.str, choices: Iterable[builtins.str], default: builtins.str
    ) -> builtins.str:
        allowed = tuple(choices)
        value = self.str(name, default)
        if value not in allowed:
            raise ConfigError(
                f"{name} must be one of {', '.join(allowed)}, got {value!r}"
            )
        return value

    def url(
        self,
        name: builtins.str,
        default: builtins.str | None = None,
        *,
        schemes: Iterable[builtins.str] = ("http", "https"),
    ) -> builtins.str:
        value = self.str(name, default)
        _check_url(name, value, tuple(schemes))
        return value

    def url_list(
        self,
        name: builtins.str,
        default: builtins.str | None = None,
        *,
        schemes: Iterable[builtins.str] = ("http", "https"),
    ) -> builtins.str:
        """One URL or several, comma-separated (the nodes of one cluster); each is
        checked, and they come back joined by commas without blanks."""
        value = self.str(name, default)
        urls = [part.strip() for part in value.split(",") if part.strip()]
        if not urls:
            raise ConfigError(f"{name} must name at least one URL, got {value!r}")
        for url in urls:
            _check_url(name, url, tuple(schemes))
        return ",".join(urls)

    def int_or_auto(
        self,
        name: builtins.str,
        *,
        minimum: builtins.int,
        maximum: builtins.int,
    ) -> builtins.int | None:
        """An integer within bounds, or ``auto`` (the default): None, which the
        reader decides from what it finds (say, the cluster's size)."""
        value = self._raw(name)
        if value is None or value == "" or value.lower() == "auto":
            return None
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(
                f"{name} must be an integer or auto, got {value!r}"
            ) from None
        if not minimum <= number <= maximum:
            raise ConfigError(
                f"{name} must be auto or {minimum} to {maximum}, got {number}"
            )
        return number

    def optional_url(
        self, name: builtins.str, *, schemes: Iterable[builtins.str] = ("http", "https")
    ) -> builtins.str | None:
        value = self.optional_str(name)
        if value is not None:
            _check_url(name, value, tuple(schemes))
        return value

    def matching(
        self,
        name: builtins.str,
        pattern: builtins.str,
        default: builtins.str,
        *,
        what: builtins.str,
    ) -> builtins.str:
        value = self.str(name, default)
        if not re.fullmatch(pattern, value):
            raise ConfigError(f"{name} must be {what}, got {value!r}")
        return value

    def list(
        self, name: builtins.str, default: Iterable[builtins.str] = ()
    ) -> builtins.list[builtins.str]:
        value = self._raw(name)
        if value is None or value == "":
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]


def _check_url(name: str, value: str, schemes: tuple[str, ...]) -> None:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as error:
        raise ConfigError(f"{name} is not a valid URL: {error}") from None
    if parts.scheme not in schemes:
        raise ConfigError(
            f"{name} must be a URL with scheme {'/'.join(schemes)}, got {value!r}"
        )
    needs_host = parts.scheme not in {"sqlite", "sqlite-broker", "memory"}
    if needs_host and not parts.hostname:
        raise ConfigError(f"{name} must name a host, got {value!r}")


env = Env()
