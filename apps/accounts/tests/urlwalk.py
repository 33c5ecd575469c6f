"""Every URL pattern of a URLconf as one concrete path (tests only): converters and regex groups
get sample values, so a class test can visit each page of the console or of a region."""

import re
import uuid
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

SAMPLES = {"int": "1", "str": "contoh", "slug": "contoh", "uuid": str(uuid.uuid4()), "path": "x"}


def _fill(pattern: object) -> str:
    """A concrete path for one pattern piece: converters get sample values, regex groups too."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route)  # type: ignore[attr-defined]
        return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], route)
    regex = str(pattern._regex).lstrip("^").rstrip("$").replace("\\Z", "")  # type: ignore[attr-defined]
    regex = re.sub(r"\(\?P<\w+>[^)]*\)", "contoh", regex)
    return regex.replace("\\", "").replace("?", "")


def url_paths(urlconf: str) -> Iterator[str]:
    """One concrete path per URL pattern of `urlconf`, nested includes included."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
        for entry in patterns:
            piece = prefix + _fill(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, piece)
            else:
                yield "/" + piece

    yield from dict.fromkeys(walk(get_resolver(urlconf).url_patterns, ""))
