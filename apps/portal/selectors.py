"""Reads of the frozen publications only (never the live plan, budget or permits)."""

import json
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from apps.portal.errors import PortalNotFound
from apps.portal.models import Publikasi
from apps.portal.tables import Table, document_tables


def publikasi_list(*, jenis: str | None = None) -> QuerySet[Publikasi]:
    """Every version, newest year and version first, without the documents' text."""
    rows = Publikasi.objects.defer("isi").order_by("jenis", "-tahun", "-versi")
    return rows.filter(jenis=jenis) if jenis else rows


def publikasi_latest_list() -> list[Publikasi]:
    """The latest version of each (kind, year), with how many versions it has."""
    latest: dict[tuple[str, int], Publikasi] = {}
    counts: dict[tuple[str, int], int] = {}
    for row in publikasi_list():
        key = (row.jenis, row.tahun)
        latest.setdefault(key, row)
        counts[key] = counts.get(key, 0) + 1
    for key, row in latest.items():
        row.jumlah_versi = counts[key]  # type: ignore[attr-defined]
    return list(latest.values())


def publikasi_get(*, jenis: str, tahun: int, versi: int | None = None) -> Publikasi:
    """The latest (or the given) version; not found otherwise."""
    rows = Publikasi.objects.filter(jenis=jenis, tahun=tahun)
    if versi is not None:
        rows = rows.filter(versi=versi)
    found = rows.order_by("-versi").first()
    if found is None:
        raise PortalNotFound(_("Dokumen ini belum diterbitkan."), field="tahun")
    return found


_PARSED: dict[tuple[str, int, str], dict[str, Any]] = {}
_PARSED_MAX = 256


def publikasi_content(publikasi: Publikasi) -> dict[str, Any]:
    """The frozen envelope, parsed once per process (a row never changes, so its schema, id and
    hash key the cache; a new publication is a new row). Callers must not mutate it."""
    key = (connection.schema_name, publikasi.pk, publikasi.sha256)  # type: ignore[attr-defined]
    found = _PARSED.get(key)
    if found is None:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        found = _PARSED[key] = dict(json.loads(publikasi.isi))
    return found


_TABLES: dict[tuple[str, int, str, str], list[Table]] = {}


def publikasi_tables(publikasi: Publikasi) -> list[Table]:
    """The document's tables, built and formatted once per process and language (a row never
    changes; a new publication is a new row, so nothing is ever stale)."""
    key = (
        connection.schema_name,  # type: ignore[attr-defined]
        publikasi.pk,
        publikasi.sha256,
        translation.get_language() or "",
    )
    found = _TABLES.get(key)
    if found is None:
        if len(_TABLES) >= _PARSED_MAX:
            _TABLES.clear()
        found = _TABLES[key] = document_tables(publikasi_content(publikasi))
    return found
