"""Restoring a region archive: streamed into a work schema, verified, then renamed into place.

pg_restore's script is renamed line by line (the archive's schema becomes a fresh `restore_*`
work schema) and piped into psql, so the dump never sits in memory; psql commits only when
pg_restore ended well. The work schema's checksums are computed on a side connection (UTC, fixed
output settings) and must equal the manifest's; only then does it replace the target schema, on
the caller's connection and in the caller's transaction. A failure drops the work schema at once
(never waiting on our own locks); the work schema of a restore that died (killed process, caller
rolled back) is swept by the next restore and by a periodic task, which drop only work schemas
whose advisory lock no live restore holds.
"""

import logging
import re
import subprocess
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import psycopg2
from django.db import connection, transaction
from django.utils.translation import gettext as _

from apps.files.archive import region_files_restore, region_files_verify
from apps.files.errors import FileArchiveError
from provisioning.archive import (
    ArchiveError,
    ArchiveInvalidError,
    _pg_env,
    _sha256_file,
    _side_connection,
    archive_extract,
    pg_bin,
    table_checksums,
)

logger = logging.getLogger(__name__)

# Advisory lock namespace of restore work schemas ("Rstr"): a live restore holds
# (RESTORE_LOCK_KEY, hashtext(work schema)) for its transaction; the sweeper drops only schemas
# whose lock it can take, i.e. whose restore died (killed process, rolled-back caller).
RESTORE_LOCK_KEY = 0x52737472
WORK_SCHEMA_PREFIX = "restore_"


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
        try:  # files missing, extra or altered: a damaged archive like any other, before loading
            region_files_verify(source=work / "files", checksums=manifest.get("files", {}))
        except FileArchiveError as error:
            raise ArchiveInvalidError(error.message, field="archive") from error
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
        # Inside the caller's transaction: a files mismatch undoes the schema swap as well.
        region_files_restore(
            schema_name=target_schema, source=work / "files", checksums=manifest.get("files", {})
        )
    manifest["restored_as"] = target_schema
    manifest["temporary_schema"] = work_schema
    return manifest
