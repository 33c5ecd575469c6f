"""Why the chart refuses PgBouncer's transaction pooling (issue 15.6), shown with Debian's
pgbouncer on loopback in front of the test database.

The database backend sets a region's `search_path` once per connection (a session-level SET,
saas/db_backend). Two regions' requests run interleaved, each on its own client connection:
in transaction mode the pooler hands both the same server connection between transactions,
so the first region's query runs under the second region's search_path and reads its rows; in
session mode each client keeps its server connection and sees only its own region."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.db import connection

REGIONS = ("pgb_daerah_a", "pgb_daerah_b")


def _binary() -> str | None:
    return shutil.which("pgbouncer") or next(
        (p for p in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer") if os.path.exists(p)), None
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server() -> dict[str, Any]:
    """Where the test database listens (a unix socket directory, or a host) and who owns it."""
    params = connection.get_connection_params()
    return {
        "host": params.get("host") or "/var/run/postgresql",
        "port": params.get("port") or 5432,
        "dbname": connection.settings_dict["NAME"],
        "user": params.get("user") or "postgres",
    }


@pytest.fixture
def regions(db: None) -> Iterator[dict[str, Any]]:
    """Two region-like schemas with one row each, committed (the pooler's connections cannot
    see the test's open transaction), dropped afterwards."""
    server = _server()
    direct = psycopg2.connect(**server)
    direct.autocommit = True
    with direct.cursor() as cursor:
        for schema in REGIONS:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
            cursor.execute(f"CREATE TABLE {schema}.permohonan (pemohon text)")
            cursor.execute(f"INSERT INTO {schema}.permohonan VALUES (%s)", [f"warga {schema}"])
    yield server
    with direct.cursor() as cursor:
        for schema in REGIONS:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    direct.close()


def _pgbouncer(server: dict[str, Any], mode: str) -> Iterator[int]:
    binary = _binary()
    if binary is None:
        pytest.skip("pgbouncer is not installed (make test installs Debian's when run as root)")
    port = _free_port()
    # pytest's tmp_path is private to root; pgbouncer, run as the socket's owner, must read
    # its configuration and write its log
    with tempfile.TemporaryDirectory(prefix="pgbouncer-") as name:
        folder = Path(name)
        os.chmod(folder, 0o777)
        yield from _pgbouncer_in(binary, folder, port, server, mode)


def _pgbouncer_in(
    binary: str, folder: Path, port: int, server: dict[str, Any], mode: str
) -> Iterator[int]:
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"berbagi = host={server['host']} port={server['port']} dbname={server['dbname']} "
        f"user={server['user']}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = any\npool_mode = {mode}\n"
        # one server connection in transaction mode makes the interleaving deterministic
        f"default_pool_size = {1 if mode == 'transaction' else 2}\n"
        f"logfile = {folder / 'pgbouncer.log'}\n"
    )
    command = [binary, str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:  # pgbouncer refuses root: run as the database socket's owner
        socket_dir = Path(str(server["host"]))
        owner = pwd.getpwuid(socket_dir.stat().st_uid).pw_name if socket_dir.is_dir() else "nobody"
        command[1:1] = ["-u", owner]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                log = folder / "pgbouncer.log"
                detail = log.read_text() if log.exists() else ""
                raise AssertionError(f"pgbouncer did not start: {detail}")
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _interleaved_requests(port: int) -> dict[str, list[str]]:
    """Region A's request and region B's, each setting its search_path once (as the backend
    does) and then reading, interleaved: A sets, B sets, A reads, B reads."""
    clients = {
        schema: psycopg2.connect(host="127.0.0.1", port=port, dbname="berbagi", user="postgres")
        for schema in REGIONS
    }
    for client in clients.values():
        client.autocommit = True
    seen: dict[str, list[str]] = {}
    try:
        for schema, client in clients.items():
            with client.cursor() as cursor:
                cursor.execute(f"SET search_path TO {schema}")
        for schema, client in clients.items():
            with client.cursor() as cursor:
                cursor.execute("SELECT pemohon FROM permohonan")
                seen[schema] = [row[0] for row in cursor.fetchall()]
    finally:
        for client in clients.values():
            client.close()
    return seen


def test_transaction_pooling_leaks_one_regions_rows_into_anothers_request(
    regions: dict[str, Any],
) -> None:
    for port in _pgbouncer(regions, "transaction"):
        seen = _interleaved_requests(port)
        # region A's request read region B's row: the leak the chart guards against
        assert seen["pgb_daerah_a"] == ["warga pgb_daerah_b"]


def test_session_pooling_keeps_each_regions_rows_to_itself(
    regions: dict[str, Any],
) -> None:
    for port in _pgbouncer(regions, "session"):
        seen = _interleaved_requests(port)
        assert seen == {schema: [f"warga {schema}"] for schema in REGIONS}
