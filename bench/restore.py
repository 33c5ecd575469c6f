"""Restoring a region archive: peak Python memory of the streamed restore vs the buffered one.

In a scratch database made for the run (on the server DATABASE_URL names, dropped at the end): a
schema with one wide table (`--rows`, default 300,000 rows of about 200 bytes), exported once with
provisioning.archive.archive_write. Then, alternating rounds:

  1. streamed: operations.restore.archive_restore_schema (pg_restore's script renamed line by
     line and piped into psql; checksums verified on a side connection);
  2. buffered (baseline, the previous implementation): pg_restore's whole script read into memory,
     decoded, renamed as one string and handed to psql at once.

Peak memory is tracemalloc's peak of the Python heap during each restore (the subprocesses'
memory is theirs and equal for both). Medians of time and peak, and the ratio, are printed.

    python bench/restore.py [--rows 300000] [--runs 3] [--keep]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/restore.py`
    sys.path.insert(0, str(ROOT))

from bench.scratch import database_admin as _admin  # noqa: E402
from bench.scratch import url_with_database as _scratch_url  # noqa: E402

SOURCE = "bench_restore_src"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/restore.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rows", type=int, default=300_000, help="rows in the region's table")
    parser.add_argument("--runs", type=int, default=3, help="rounds of both paths (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        parser.error("DATABASE_URL is not set (make bench sets it)")
    scratch = (urlsplit(base_url).path.lstrip("/") or "postgres") + "_bench_restore"
    maintenance = _scratch_url(base_url, "postgres")
    _admin(maintenance, f'DROP DATABASE IF EXISTS "{scratch}"')
    _admin(maintenance, f'CREATE DATABASE "{scratch}"')
    os.environ["DATABASE_URL"] = _scratch_url(base_url, scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["TENANT_ROUTING_LISTEN"] = "0"
    try:
        return _run(args.rows, args.runs)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin(maintenance, f'DROP DATABASE IF EXISTS "{scratch}"')


def _buffered_restore(path: Path, target: str) -> None:
    """The previous implementation's memory profile: the whole script held at once."""
    import tarfile
    import tempfile

    from django.db import connection

    from provisioning import archive, restore

    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path) as tar:
        tar.extractall(tmp)
        dump = Path(tmp) / "schema.dump"
        script = archive._run(
            [archive.pg_bin("pg_restore"), "--no-owner", "--no-privileges", "-f", "-", str(dump)]
        )
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            version = int(cursor.fetchone()[0])
        rewritten = restore.rename_schema_in_script(script.stdout.decode(), SOURCE, target, version)
        archive._run(
            [archive.pg_bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"],
            input=rewritten.encode(),
        )


def _measure(work: Callable[[], object]) -> tuple[float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak


def _run(rows: int, runs: int) -> int:
    import django

    django.setup()
    import tempfile

    from django.db import connection

    from provisioning import archive, restore

    def drop(name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')

    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{SOURCE}"')
        cursor.execute(
            f'CREATE TABLE "{SOURCE}".line (id bigint PRIMARY KEY, code text, name text, '
            "price numeric(14, 2), at timestamptz)"
        )
        cursor.execute(
            f"INSERT INTO \"{SOURCE}\".line SELECT i, '5.1.02.' || i::text, "
            "repeat(md5(i::text), 5), i * 1.25, now() FROM generate_series(1, %s) i",
            [rows],
        )
    with tempfile.TemporaryDirectory(prefix="bench-restore-") as tmp:
        path = archive.archive_write(schema_name=SOURCE, region={}, directory=Path(tmp))
        size = path.stat().st_size
        print(f"archive: {rows:,} rows, {size / 1e6:.1f} MB", flush=True)
        results: dict[str, list[tuple[float, int]]] = {"streamed": [], "buffered": []}
        paths: dict[str, Callable[[], object]] = {
            "streamed": lambda: restore.archive_restore_schema(path=path, target_schema="bench_s"),
            "buffered": lambda: _buffered_restore(path, "bench_b"),
        }
        for round_no in range(runs):
            order = ["streamed", "buffered"] if round_no % 2 == 0 else ["buffered", "streamed"]
            for name in order:
                results[name].append(_measure(paths[name]))
                drop("bench_s" if name == "streamed" else "bench_b")
                seconds, peak = results[name][-1]
                print(f"  round {round_no + 1} {name:9s} {seconds:6.2f} s  {peak / 1e6:8.1f} MB")
    drop(SOURCE)
    medians = {
        name: (statistics.median(s for s, _ in values), statistics.median(p for _, p in values))
        for name, values in results.items()
    }
    for name, (median_s, median_peak) in medians.items():
        print(f"{name:9s} median {median_s:6.2f} s, peak Python memory {median_peak / 1e6:8.1f} MB")
    ratio = medians["buffered"][1] / max(medians["streamed"][1], 1)
    print(
        f"peak memory: streamed is {ratio:.1f}x smaller than buffered (archive {size / 1e6:.1f} MB)"
    )
    print(f"time ratio streamed/buffered: {medians['streamed'][0] / medians['buffered'][0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
