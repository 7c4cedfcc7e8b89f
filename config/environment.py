"""Reading settings from the environment: each helper refuses, by name, a value it does not
understand, so a typo stops the start-up instead of quietly meaning something else."""

from __future__ import annotations

import os
from typing import overload

from django.core.exceptions import ImproperlyConfigured


@overload
def env(name: str) -> str | None: ...
@overload
def env(name: str, default: str) -> str: ...
def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "")
    return value if value != "" else default


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def envbool(name: str, default: bool) -> bool:
    """A yes/no setting; a value that is neither (``yes please``) stops the start-up, named."""
    value = env(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be one of "
        f"{', '.join(sorted(TRUE_WORDS | FALSE_WORDS))}, not {value!r}."
    )


def envint(name: str, default: int) -> int:
    """A whole-number setting; anything else (``ten``, ``1.5``) stops the start-up, named."""
    value = env(name)
    if value is None:
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number, not {value!r}."
        ) from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def required(name: str) -> str:
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be set when DJANGO_ENV=production."
        )
    return value
