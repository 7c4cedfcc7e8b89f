"""The role-by-URL permission matrix: each app's rows live in a module of this package."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LOGIN = "login"  # a 302 to the login page


@dataclass(frozen=True)
class Route:
    name: str
    expect: dict[str, int | str]
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    case: str = ""
    method: str = "get"

    @property
    def id(self) -> str:
        return f"{self.name}{f'[{self.case}]' if self.case else ''}"


def everyone(status: int | str, **overrides: int | str) -> dict[str, int | str]:
    from tests.conftest import ROLES

    return {role: overrides.get(role, status) for role in ROLES}


def signed_in(status: int | str, **overrides: int | str) -> dict[str, int | str]:
    return everyone(status, anonymous=LOGIN, **overrides)


def all_routes() -> list[Route]:
    rows: list[Route] = []
    for module in pkgutil.iter_modules(__path__):
        rows.extend(importlib.import_module(f"{__name__}.{module.name}").ROUTES)
    return rows
