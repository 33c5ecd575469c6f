"""Every URL pattern of both URLconfs, with a concrete path to request (tests only)."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

URLCONFS = {"console": "saas.urls_public", "region": "saas.urls_tenant"}
_SAMPLE = {
    "int": "1",
    "slug": "daerah-x",
    "str": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


@dataclass(frozen=True)
class Route:
    side: str  # "console" or "region"
    path: str
    callback: Any

    @property
    def view_class(self) -> type[Any] | None:
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)

    @property
    def is_drf(self) -> bool:
        from rest_framework.views import APIView

        cls = getattr(self.callback, "cls", None)
        return isinstance(cls, type) and issubclass(cls, APIView)


def _concrete(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: _SAMPLE.get(m.group(1) or "str", "x"), route)


def _walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        text = str(entry.pattern)
        if text.startswith("^"):  # a regex pattern (allauth's keys): not an API
            continue
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + _concrete(text))
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + _concrete(text), entry.callback


def routes(*sides: str) -> list[Route]:
    found = []
    for side in sides or tuple(URLCONFS):
        for path, callback in _walk(get_resolver(URLCONFS[side]).url_patterns, ""):
            found.append(Route(side, path, callback))
    return found


def drf_routes(*sides: str) -> list[Route]:
    return [r for r in routes(*sides) if r.is_drf]
