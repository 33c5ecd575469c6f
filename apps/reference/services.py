"""Loading reference data: single files, whole releases (as a diff that never deletes), checksums.

Everything a call writes happens in one transaction: a malformed row anywhere raises
ReferenceImportError (file, line, reason) and the schema keeps exactly what it had.
Callers choose the schema (`schema_context`); the master template is prepared by
`reference_template_prepare`.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.core.errors import ApplicationError
from apps.reference import bulk
from apps.reference.errors import ReferenceImportError
from apps.reference.importers.kinds import KINDS, RowError
from apps.reference.importers.readers import read_rows
from apps.reference.models import ReferenceRelease

STARTER_RELEASE_DIR = Path(settings.BASE_DIR) / "data" / "reference"
MANIFEST = "release.json"
# Accounts before prices (prices link to accounts); parents are linked by code within a kind.
KIND_ORDER = ("nomenklatur", "rekening", "harga", "izin", "opd", "sumber_dana")


@dataclass(frozen=True)
class ParsedRow:
    file: str
    line: int
    values: dict[str, Any]


def _parse_file(path: Path, kind: str, label: str) -> list[ParsedRow]:
    spec = KINDS[kind]
    rows = []
    for line, values in read_rows(path, aliases=spec.aliases, file=label):
        try:
            rows.append(ParsedRow(label, line, spec.parse(values)))
        except RowError as exc:
            raise ReferenceImportError(file=label, line=line, reason=str(exc)) from exc
    if not rows:
        raise ReferenceImportError(file=label, line=None, reason=_("tidak ada baris data"))
    return rows


def _check(kind: str, rows: list[ParsedRow], *, complete: bool) -> None:
    """Cross-row rules: unique codes, parents present (in the batch, or in the schema for a
    partial import), accounts of prices present as sub rincian objek."""
    seen: dict[str, ParsedRow] = {}
    for row in rows:
        kode = row.values["kode"]
        if kode in seen:
            first = seen[kode]
            raise ReferenceImportError(
                file=row.file,
                line=row.line,
                reason=_("kode %(kode)s ganda (sudah ada di %(file)s baris %(line)s)")
                % {"kode": kode, "file": first.file, "line": first.line},
            )
        seen[kode] = row
    # A partial import must hang off the tree; a whole release is taken as published (the 2020
    # nomenclature lists 22 sub kegiatan whose kegiatan it lacks): those rows get no parent.
    if bulk.TABLES[kind].has_parent and not (complete and kind == "nomenklatur"):
        wanted = {row.values["induk"] for row in rows if row.values["induk"]} - seen.keys()
        if wanted and not complete:
            wanted -= bulk.existing_codes(kind, wanted)
        for row in rows:
            if row.values["induk"] in wanted:
                raise ReferenceImportError(
                    file=row.file,
                    line=row.line,
                    reason=_("induk %(induk)s dari kode %(kode)s tidak ada")
                    % {"induk": row.values["induk"], "kode": row.values["kode"]},
                )
    if kind == "harga":
        accounts = {account for row in rows for account in row.values["rekening"]}
        missing = accounts - bulk.codes_of_level("rekening", accounts, "sub_rincian_objek")
        for row in rows:
            absent = [a for a in row.values["rekening"] if a in missing]
            if absent:
                raise ReferenceImportError(
                    file=row.file,
                    line=row.line,
                    reason=_("rekening %(rekening)s tidak ada di bagan akun (sub rincian objek)")
                    % {"rekening": absent[0]},
                )


def _apply(kind: str, rows: list[ParsedRow], *, complete: bool) -> bulk.Changes:
    _check(kind, rows, complete=complete)
    values = [row.values for row in rows]
    changes = bulk.upsert(kind, values)
    if kind == "harga":
        bulk.harga_links_replace(values)
    if complete:
        changes.retired = bulk.retire_missing(kind, (v["kode"] for v in values))
    return changes


def _kind_or_error(kind: str) -> str:
    if kind not in KINDS:
        raise ApplicationError(
            _("Jenis data %(kind)s tidak dikenal; pilih salah satu: %(kinds)s.")
            % {"kind": repr(kind), "kinds": ", ".join(KINDS)},
            field="kind",
        )
    return kind


@transaction.atomic
def reference_import(
    *, path: Path | str, kind: str, actor: Any = None, label: str | None = None
) -> dict[str, int]:
    """Upsert one CSV/XLSX file of one kind by code (idempotent); never retires anything."""
    path = Path(path)
    rows = _parse_file(path, _kind_or_error(kind), label or path.name)
    changes = _apply(kind, rows, complete=False)
    audit_record(
        actor=actor,
        action=AuditAction.REFERENCE_IMPORTED,
        changes={"jenis": kind, "berkas": label or path.name, **changes.as_dict()},
    )
    return changes.as_dict()


def _manifest(directory: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReferenceImportError(
            file=MANIFEST,
            line=None,
            reason=_("manifes rilis tidak dapat dibaca (%(error)s)") % {"error": exc},
        ) from exc
    files = manifest.get("berkas")
    if not manifest.get("versi") or not isinstance(files, list) or not files:
        raise ReferenceImportError(file=MANIFEST, line=None, reason=_("versi atau berkas kosong"))
    for entry in files:
        if entry.get("kind") not in KINDS:
            raise ReferenceImportError(
                file=MANIFEST,
                line=None,
                reason=_("jenis %(kind)s tidak dikenal") % {"kind": repr(entry.get("kind"))},
            )
    return manifest


def release_source_checksum(directory: Path | None = None) -> str:
    """sha256 over the manifest and every file it lists, in order."""
    directory = directory or STARTER_RELEASE_DIR
    manifest = _manifest(directory)
    digest = hashlib.sha256((directory / MANIFEST).read_bytes())
    for entry in manifest["berkas"]:
        digest.update(b"\0" + entry["file"].encode() + b"\0")
        try:
            digest.update((directory / entry["file"]).read_bytes())
        except OSError as exc:
            raise ReferenceImportError(
                file=entry["file"],
                line=None,
                reason=_("tidak dapat dibaca (%(error)s)") % {"error": exc.strerror},
            ) from exc
    return digest.hexdigest()


def reference_checksum() -> str:
    """sha256 of the reference data in the current schema (codes and values, not ids or dates):
    equal in two schemas exactly when they hold the same reference data."""
    digests = bulk.table_digests()
    text = "\n".join(f"{name}:{digests[name]}" for name in sorted(digests))
    return hashlib.sha256(text.encode()).hexdigest()


def reference_counts() -> dict[str, int]:
    """Current rows per kind and level: {'nomenklatur.sub_kegiatan': 1972, 'rekening': 4702...}."""
    return bulk.counts()


@transaction.atomic
def reference_diff_apply(*, path: Path | str | None = None, actor: Any = None) -> ReferenceRelease:
    """Bring this schema to a release: add new codes, update changed ones, mark codes the
    release no longer lists as retired (never deleted: region data may point to them), and
    record the release with its data checksum. Kinds the release does not include are untouched.
    """
    directory = Path(path) if path else STARTER_RELEASE_DIR
    manifest = _manifest(directory)
    source = release_source_checksum(directory)
    by_kind: dict[str, list[ParsedRow]] = defaultdict(list)
    for entry in manifest["berkas"]:
        by_kind[entry["kind"]].extend(
            _parse_file(directory / entry["file"], entry["kind"], entry["file"])
        )
    summary: dict[str, dict[str, int]] = {}
    for kind in KIND_ORDER:
        if kind in by_kind:
            summary[kind] = _apply(kind, by_kind[kind], complete=True).as_dict()
    release = ReferenceRelease.objects.create(
        versi=str(manifest["versi"])[:40],
        checksum_sumber=source,
        checksum_data=reference_checksum(),
        jumlah=reference_counts(),
        perubahan=summary,
    )
    audit_record(
        actor=actor,
        action=AuditAction.REFERENCE_RELEASE_APPLIED,
        target=release,
        changes={"versi": release.versi, "checksum": release.checksum_data, **summary},
    )
    return release


def reference_release_current() -> ReferenceRelease | None:
    return ReferenceRelease.objects.order_by("-dimuat_pada", "-id").first()


def reference_release_is_current(*, path: Path | str | None = None) -> bool:
    """True when this schema's latest release is the given one and its data is unchanged."""
    directory = Path(path) if path else STARTER_RELEASE_DIR
    release = reference_release_current()
    return (
        release is not None
        and release.versi == str(_manifest(directory)["versi"])[:40]
        and release.checksum_sumber == release_source_checksum(directory)
        and release.checksum_data == reference_checksum()
    )


def reference_release_load(
    *, path: Path | str | None = None, actor: Any = None, force: bool = False
) -> ReferenceRelease:
    """Load a whole release (the starter release by default) into the current schema; a no-op
    returning the recorded release when this schema already holds it unchanged (unless force)."""
    if not force and reference_release_is_current(path=path):
        release = reference_release_current()
        assert release is not None
        return release
    return reference_diff_apply(path=path, actor=actor)


def reference_template_prepare() -> ReferenceRelease:
    """Load the starter release into the master template when its release is missing or outdated.

    Idempotent; call it after the template schema is migrated (platform_prepare), so provisioning
    clones a template that carries the reference data and its checksum.
    """
    with schema_context(settings.TEMPLATE_SCHEMA_NAME):
        return reference_release_load(actor="sistem: templat induk")
