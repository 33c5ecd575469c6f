"""Restore's faults: where an archive may go, damaged archives, other time zones, dead restores."""

import io
import json
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from apps.accounts.models import User
from apps.core.errors import ApplicationError, ConflictError
from provisioning import archive, restore, services, tasks
from provisioning.errors import LifecycleError
from provisioning.tests.conftest import raw_connection, schemas_drop
from tenants.models import Tenant

NEW_KODE = "12.07"  # Deli Serdang: a kabupaten in the registry, no tenant in the test database


def _committed_work_schemas() -> set[str]:
    """The restore work schemas another session sees (committed ones)."""
    conn = raw_connection()
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'restore\\_%%'")
            return {row[0] for row in cursor.fetchall()}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def buol_archive(django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real archive of Buol, made once (archive_write writes nothing in the database)."""
    with django_db_blocker.unblock():
        return archive.archive_write(
            schema_name=Tenant.schema_name_for("72.05"),
            region={"kode": "72.05"},
            directory=tmp_path_factory.mktemp("archives"),
        )


@pytest.fixture(scope="module", autouse=True)
def _sweep_after(django_db_blocker: Any) -> Iterator[None]:
    """Renames into place roll back with each test; what psql committed is dropped at the end."""
    yield
    with django_db_blocker.unblock():
        schemas_drop(sorted(_committed_work_schemas()))


def _rewrite(
    source: Path, target: Path, change: Callable[[str, bytes], tuple[str, bytes] | None]
) -> Path:
    """Copy an archive member by member, each passed through `change` (None drops it)."""
    with tarfile.open(source) as tar_in, tarfile.open(target, "w") as tar_out:
        for member in tar_in.getmembers():
            stream = tar_in.extractfile(member)
            data = stream.read() if stream is not None else b""
            changed = change(member.name, data)
            if changed is None:
                continue
            info = tarfile.TarInfo(changed[0])
            info.size = len(changed[1])
            tar_out.addfile(info, io.BytesIO(changed[1]))
    return target


def _manifest_edit(edit: Callable[[dict[str, Any]], None]) -> Callable[[str, bytes], Any]:
    def change(name: str, data: bytes) -> tuple[str, bytes]:
        if name != "manifest.json":
            return name, data
        manifest = json.loads(data)
        edit(manifest)
        return name, json.dumps(manifest).encode()

    return change


def _checksum_off(manifest: dict[str, Any]) -> None:
    manifest["tables"]["django_migrations"]["checksum"] = "0" * 32


def _flip_dump(name: str, data: bytes) -> tuple[str, bytes]:
    if name == "schema.dump":
        return name, data[:-1] + bytes([data[-1] ^ 0xFF])
    return name, data


def _extra_member(member: tarfile.TarInfo) -> Callable[[Path, Path], Path]:
    def make(source: Path, target: Path) -> Path:
        _rewrite(source, target, lambda name, data: (name, data))
        with tarfile.open(target, "a") as tar:
            tar.addfile(member, io.BytesIO(b"x" * member.size) if member.isfile() else None)
        return target

    return make


def _typed(name: str, kind: bytes, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


def _regular(name: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = 1
    return info


def _truncate(source: Path, target: Path) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


TAMPERINGS: dict[str, Callable[[Path, Path], Path]] = {
    "table checksum mismatch": lambda s, t: _rewrite(s, t, _manifest_edit(_checksum_off)),
    "table missing from manifest": lambda s, t: _rewrite(
        s, t, _manifest_edit(lambda m: m["tables"].pop("django_migrations"))
    ),
    "dump altered": lambda s, t: _rewrite(s, t, _flip_dump),
    "manifest missing": lambda s, t: _rewrite(
        s, t, lambda name, data: None if name == "manifest.json" else (name, data)
    ),
    "manifest not JSON": lambda s, t: _rewrite(
        s, t, lambda name, data: (name, b"{not json" if name == "manifest.json" else data)
    ),
    "manifest incomplete": lambda s, t: _rewrite(
        s, t, lambda name, data: (name, b"{}" if name == "manifest.json" else data)
    ),
    "dump missing": lambda s, t: _rewrite(
        s, t, lambda name, data: None if name == "schema.dump" else (name, data)
    ),
    "truncated tar": _truncate,
    "absolute member": _extra_member(_regular("/tmp/berbagi-escape")),
    "dot-dot member": _extra_member(_regular("files/../../escape")),
    "unknown member": _extra_member(_regular("run.sh")),
    "symlink member": _extra_member(_typed("files/link", tarfile.SYMTYPE, "/etc/passwd")),
    "hard link member": _extra_member(_typed("files/hard", tarfile.LNKTYPE, "schema.dump")),
    "device member": _extra_member(_typed("files/dev", tarfile.CHRTYPE)),
    "fifo member": _extra_member(_typed("files/fifo", tarfile.FIFOTYPE)),
}


@pytest.mark.parametrize("tampering", sorted(TAMPERINGS))
def test_a_damaged_archive_fails_cleanly_and_leaves_the_region_and_database_as_they_were(
    tampering: str, central: User, buol: Tenant, buol_archive: Path, tmp_path: Path
) -> None:
    # given a suspended Buol and an archive of it damaged in one way
    services.region_suspend(tenant=buol, actor=central)
    before = archive.schema_checksums(buol.schema_name)
    work_before = _committed_work_schemas()
    damaged = TAMPERINGS[tampering](buol_archive, tmp_path / "damaged.tar")
    # when it is restored over Buol
    with pytest.raises(archive.ArchiveInvalidError) as refused:
        services.region_restore(path=damaged, actor=central, tenant=buol)
    # then the refusal is a clear 400 about the archive, and nothing changed or stayed behind
    assert refused.value.status_code == 400 and refused.value.field == "archive"
    assert archive.schema_checksums(buol.schema_name) == before
    assert _committed_work_schemas() <= work_before
    assert not (tmp_path.parent / "escape").exists()


def test_restore_works_when_the_database_time_zone_is_not_utc(
    central: User, buol: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given every new connection (pg_dump, psql, side connections) defaulting to Jakarta time,
    # as on a server whose TimeZone is Asia/Jakarta
    monkeypatch.setenv("PGTZ", "Asia/Jakarta")
    path = archive.archive_write(
        schema_name=buol.schema_name, region={"kode": "72.05"}, directory=tmp_path
    )
    services.region_suspend(tenant=buol, actor=central)
    # when it is restored over Buol
    services.region_restore(path=path, actor=central, tenant=buol)
    # then the checksums agree, and agree with Django's own (UTC) connection
    assert archive.schema_checksums(buol.schema_name) == archive.archive_manifest(path)["tables"]


def test_a_failure_after_loading_drops_the_work_schema_without_waiting(
    central: User, buol: Tenant, buol_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a restore interrupted right after its data was committed in the work schema
    def interrupted(work_schema: str, manifest: dict[str, Any]) -> None:
        assert work_schema in _committed_work_schemas()
        raise KeyboardInterrupt

    monkeypatch.setattr(restore, "_verify", interrupted)
    services.region_suspend(tenant=buol, actor=central)
    work_before = _committed_work_schemas()
    with pytest.raises(KeyboardInterrupt):
        services.region_restore(path=buol_archive, actor=central, tenant=buol)
    # then its work schema is gone
    assert _committed_work_schemas() <= work_before


def test_work_schemas_of_dead_restores_are_swept_and_live_ones_kept(db: None) -> None:
    # given the committed work schema of a killed restore, and one of a restore still running
    dead, live = "restore_dead00000001", "restore_live00000001"
    holder = raw_connection()
    try:
        with holder.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {dead}; CREATE TABLE {dead}.t (x int)")
            cursor.execute(f"CREATE SCHEMA {live}")
            cursor.execute(
                "SELECT pg_advisory_lock(%s, hashtext(%s))", [restore.RESTORE_LOCK_KEY, live]
            )
        # when the periodic task sweeps
        swept = tasks.restore_work_sweep.delay(schema_name="public").get()
        # then the dead one is dropped and the live one kept
        assert dead in swept and live not in swept
        assert live in _committed_work_schemas() and dead not in _committed_work_schemas()
    finally:
        holder.close()
        schemas_drop([dead, live])


def test_the_next_restore_sweeps_a_dead_restores_work_schema(
    central: User, buol: Tenant, buol_archive: Path
) -> None:
    dead = "restore_dead00000002"
    conn = raw_connection()
    with conn.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {dead}")
    conn.close()
    services.region_suspend(tenant=buol, actor=central)
    services.region_restore(path=buol_archive, actor=central, tenant=buol)
    assert dead not in _committed_work_schemas()


def _manifest_only_archive(tmp_path: Path, schema_name: str) -> Path:
    """An archive whose refusal must come before its dump is ever read."""
    path = tmp_path / "only-manifest.tar"
    manifest = {"schema_name": schema_name, "dump_sha256": "0", "tables": {}}
    with tarfile.open(path, "w") as tar:
        for name, data in (("manifest.json", json.dumps(manifest).encode()), ("schema.dump", b"")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


NEW_CODES_REFUSED: dict[str, tuple[str, type[ApplicationError], int]] = {
    "province": ("72", ApplicationError, 400),
    "another existing region": ("12.71", ConflictError, 409),
    "its own existing code": ("72.05", ConflictError, 409),
    "kecamatan": ("72.05.01", ApplicationError, 400),
    "malformed": ("72.05'; DROP SCHEMA public; --", ApplicationError, 400),
    "unknown": ("99.99", ApplicationError, 400),
    "empty": ("", ApplicationError, 400),
}


@pytest.mark.parametrize("case", sorted(NEW_CODES_REFUSED))
def test_restore_into_a_new_code_passes_provisionings_checks(
    case: str, central: User, buol: Tenant, tmp_path: Path
) -> None:
    kode, error, status = NEW_CODES_REFUSED[case]
    path = _manifest_only_archive(tmp_path, buol.schema_name)
    tenants_before = set(Tenant.objects.values_list("schema_name", flat=True))
    with pytest.raises(error) as refused:
        services.region_restore(path=path, actor=central, kode=kode)
    assert refused.value.status_code == status and refused.value.field == "kode_wilayah"
    assert set(Tenant.objects.values_list("schema_name", flat=True)) == tenants_before


def test_a_provincial_admin_cannot_restore_into_another_province(
    make_console_user: Callable[..., User], buol: Tenant, tmp_path: Path
) -> None:
    sulteng = make_console_user("a@sulteng.test", role="provincial_admin", province_code="72")
    path = _manifest_only_archive(tmp_path, buol.schema_name)
    with pytest.raises(ApplicationError) as refused:
        services.region_restore(path=path, actor=sulteng, kode=NEW_KODE)
    assert refused.value.status_code == 403


def test_an_archive_goes_back_only_over_the_region_it_came_from(
    central: User, medan: Tenant, buol: Tenant, tmp_path: Path
) -> None:
    # given an archive of Buol and a suspended Medan
    path = _manifest_only_archive(tmp_path, buol.schema_name)
    services.region_suspend(tenant=medan, actor=central)
    before = archive.schema_checksums(medan.schema_name)
    # when it is restored over Medan, it is refused and Medan is untouched
    with pytest.raises(LifecycleError) as refused:
        services.region_restore(path=path, actor=central, tenant=medan)
    assert refused.value.field == "archive" and buol.schema_name in refused.value.message
    assert archive.schema_checksums(medan.schema_name) == before


def test_restore_into_a_valid_new_code_registers_that_region(
    central: User, buol_archive: Path
) -> None:
    restored = services.region_restore(path=buol_archive, actor=central, kode=NEW_KODE)
    assert restored.region_id == NEW_KODE and restored.status == Tenant.Status.ACTIVE
    assert (
        archive.schema_checksums(restored.schema_name)
        == (archive.archive_manifest(buol_archive)["tables"])
    )


def test_restore_refusals_speak_english_when_asked(
    central: User, medan: Tenant, buol: Tenant, tmp_path: Path
) -> None:
    from django.utils import translation

    path = _manifest_only_archive(tmp_path, buol.schema_name)
    services.region_suspend(tenant=medan, actor=central)
    with translation.override("en"), pytest.raises(LifecycleError) as refused:
        services.region_restore(path=path, actor=central, tenant=medan)
    assert refused.value.message.startswith(f"This archive comes from {buol.schema_name}")
    (tmp_path / "bad.tar").write_bytes(b"not a tar")
    with translation.override("en"), pytest.raises(archive.ArchiveInvalidError) as damaged:
        services.region_restore(path=tmp_path / "bad.tar", actor=central, tenant=medan)
    assert damaged.value.message.startswith("The archive is damaged or truncated")
