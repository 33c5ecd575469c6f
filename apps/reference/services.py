"""Loading reference data: single files, whole releases (as a diff that never deletes), checksums.

Everything a call writes happens in one transaction: a malformed row anywhere raises
ReferenceImportError (file, line, reason) and the schema keeps exactly what it had.
Callers choose the schema (`schema_context`); the master template is prepared by
`reference_template_prepare`.
"""

import hashlib
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.accounts.principals import Actor
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.core.errors import ApplicationError
from apps.reference import bulk, price_lists
from apps.reference.errors import ReferenceImportError
from apps.reference.importers.kinds import KINDS
from apps.reference.loader import KindLoader
from apps.reference.models import ReferenceRelease

STARTER_RELEASE_DIR = Path(settings.BASE_DIR) / "data" / "reference"
MANIFEST = "release.json"
RELEASE_2027_DIR = STARTER_RELEASE_DIR / "2027.1"
# Parents are linked by code within a kind. Standard prices are no release's: each region
# imports its own dated list (reference_import with kind "harga" -> a new DaftarHarga).
KIND_ORDER = ("nomenklatur", "rekening", "izin", "opd", "sumber_dana")


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
    *,
    path: Path | str,
    kind: str,
    actor: Actor = None,
    label: str | None = None,
    skip_unknown_accounts: bool = False,
    tahun: int | None = None,
    dasar_hukum: str = "",
) -> KindLoader:
    """Upsert one CSV/XLSX file of one kind by code (idempotent, streamed); never retires
    anything. Prices become a new version of the region's price list for `tahun` (this year by
    default); a price naming an account missing from the chart stops the import, unless
    `skip_unknown_accounts`: then those rows are left out and listed with their lines."""
    path = Path(path)
    name = label or path.name
    spec = KINDS[_kind_or_error(kind)]
    daftar = None
    if spec.target == "harga":
        daftar = price_lists.daftar_harga_create(
            tahun=tahun or timezone.localdate().year, dasar_hukum=dasar_hukum, berkas=name
        )
    loader = KindLoader(
        spec.target,
        complete=False,
        skip_unknown_accounts=skip_unknown_accounts,
        daftar_id=daftar.pk if daftar else None,
    )
    loader.feed(path, name, layout=spec.name)
    changes = loader.finish()
    if daftar is not None:
        price_lists.daftar_harga_enact(daftar=daftar, jumlah=changes.added)
    audit_record(
        actor=actor,
        action=AuditAction.REFERENCE_IMPORTED,
        target=daftar,
        changes={
            "jenis": kind,
            "berkas": name,
            **({"daftar_harga": str(daftar)} if daftar else {}),
            **changes.as_dict(),
            "baris_dilewati": [str(s) for s in loader.skipped[:200]],
        },
    )
    return loader


def _manifest(directory: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReferenceImportError(
            file=MANIFEST,
            line=None,
            reason=_("manifes rilis tidak dapat dibaca (%(error)s)") % {"error": exc},
        ) from exc
    files = manifest.get("berkas") if isinstance(manifest, dict) else None
    if not isinstance(files, list) or not files or not manifest.get("versi"):
        raise ReferenceImportError(file=MANIFEST, line=None, reason=_("versi atau berkas kosong"))
    for entry in files:
        name = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name or Path(name).name != name:
            raise ReferenceImportError(
                file=MANIFEST,
                line=None,
                reason=_("nama berkas %(file)s tidak sah (harus nama berkas di direktori rilis)")
                % {"file": repr(name)},
            )
        if entry.get("kind") not in KINDS:
            raise ReferenceImportError(
                file=MANIFEST,
                line=None,
                reason=_("jenis %(kind)s tidak dikenal") % {"kind": repr(entry.get("kind"))},
            )
        if KINDS[entry["kind"]].target not in KIND_ORDER:
            raise ReferenceImportError(
                file=entry["file"],
                line=None,
                reason=_("standar harga milik tiap daerah, bukan bagian rilis templat"),
            )
    return dict(manifest)


def release_source_checksum(directory: Path | None = None) -> str:
    """sha256 over the manifest and every file it lists, in order."""
    directory = directory or STARTER_RELEASE_DIR
    manifest = _manifest(directory)
    digest = hashlib.sha256((directory / MANIFEST).read_bytes())
    for entry in manifest["berkas"]:
        digest.update(b"\0" + entry["file"].encode() + b"\0")
        try:
            with (directory / entry["file"]).open("rb") as handle:
                while chunk := handle.read(1024 * 1024):
                    digest.update(chunk)
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
def reference_diff_apply(
    *, path: Path | str | None = None, actor: Actor = None
) -> ReferenceRelease:
    """Bring this schema to a release: add new codes, update changed ones, mark codes the
    release no longer lists as retired (never deleted: region data may point to them), and
    record the release with its data checksum. Kinds the release does not include are untouched.
    """
    directory = Path(path) if path else STARTER_RELEASE_DIR
    manifest = _manifest(directory)
    source = release_source_checksum(directory)
    files: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entry in manifest["berkas"]:
        files[KINDS[entry["kind"]].target].append((entry["file"], entry["kind"]))
    summary: dict[str, dict[str, int]] = {}
    for kind in KIND_ORDER:
        if kind in files:
            loader = KindLoader(kind, complete=True)
            for name, layout in files[kind]:
                loader.feed(directory / name, name, layout=layout, cached=True)
            summary[kind] = loader.finish().as_dict()
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
    *, path: Path | str | None = None, actor: Actor = None, force: bool = False
) -> ReferenceRelease:
    """Load a whole release (the starter release by default) into the current schema; a no-op
    returning the recorded release when this schema already holds it unchanged (unless force)."""
    if not force and reference_release_is_current(path=path):
        release = reference_release_current()
        assert release is not None
        return release
    return reference_diff_apply(path=path, actor=actor)


def _release_key(label: str) -> tuple[int, ...]:
    """'2026.2' -> (2026, 2): releases sort by year, then number."""
    try:
        return tuple(int(part) for part in label.split("."))
    except ValueError:
        return (0,)


def release_directories() -> dict[str, Path]:
    """Every release shipped in data/reference (the starter and each subdirectory holding a
    manifest), by label, oldest first."""
    shipped = [path for path in STARTER_RELEASE_DIR.iterdir() if (path / MANIFEST).is_file()]
    candidates = [STARTER_RELEASE_DIR, *sorted(shipped)]
    found = {str(_manifest(path)["versi"])[:40]: path for path in candidates}
    return dict(sorted(found.items(), key=lambda pair: _release_key(pair[0])))


def release_directory(*, versi: str) -> Path:
    directory = release_directories().get(versi)
    if directory is None:
        raise ApplicationError(
            _("Rilis data referensi %(versi)s tidak dikenal; pilih salah satu: %(known)s.")
            % {"versi": repr(versi), "known": ", ".join(release_directories())},
            field="release",
        )
    return directory


@transaction.atomic
def reference_release_upgrade(*, versi: str, actor: Actor = None) -> list[ReferenceRelease]:
    """Bring this schema to the shipped release `versi`: every shipped release after the
    schema's current one, up to `versi`, applied in order as a diff (nothing deleted, withdrawn
    codes retired); just `versi` again when the schema is already there."""
    target = _release_key(versi)
    release_directory(versi=versi)  # an unknown label is refused before anything is written
    current = reference_release_current()
    start = _release_key(current.versi) if current is not None else (0,)
    steps = [
        path
        for label, path in release_directories().items()
        if start < _release_key(label) <= target
    ] or [release_directory(versi=versi)]
    return [reference_diff_apply(path=path, actor=actor) for path in steps]


def starter_release_label() -> str:
    return str(_manifest(STARTER_RELEASE_DIR)["versi"])[:40]


def reference_template_prepare() -> ReferenceRelease:
    """Load the starter release into the master template when its release is missing or outdated.

    Idempotent; call it after the template schema is migrated (platform_prepare), so provisioning
    clones a template that carries the reference data and its checksum. A template already on a
    later release (labels sort by year.number, e.g. 2027.1 after 2026.2) is left as it is.
    """
    with schema_context(settings.TEMPLATE_SCHEMA_NAME):
        current = reference_release_current()
        starter = str(_manifest(STARTER_RELEASE_DIR)["versi"])[:40]
        if current is not None and current.versi > starter:
            return current
        return reference_release_load(actor="sistem: templat induk")
