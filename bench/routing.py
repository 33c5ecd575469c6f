"""Tenant routing against a single-tenant baseline: requests per second on one region's API list.

Both setups serve the same view (GET /api/audit/entries/, 20 rows, as a signed-in region user)
from the same database in the same run, each from gunicorn with one sync worker and persistent
database connections:

  routed  the project as deployed (saas.settings.base): tenant backend, TenantRoutingMiddleware
          resolving the region from the Host header.
  single  saas.settings.bench_single: Django's plain PostgreSQL engine, no tenant middleware, the
          connection's search_path pinned to the region's schema.

A small keep-alive HTTP client on loopback (a few connections, pure Python) loads one server at
a time; rounds alternate between the setups to cancel drift, and medians are reported. The goal
is routed/single >= 0.95. A second pass restarts both servers with a statement counter (a psycopg2
cursor that counts what reaches PostgreSQL, SET search_path and health checks included) and prints
statements per request, which should be equal in steady state.

The benchmark prepares its own data in the database named by DATABASE_URL (running
`manage.py platform_prepare` first if the database is empty): a bench region (created with
tenant_create_migrated if missing), enough audit entries to fill a page, a bench user without a
password and a session for it (deleted at the end). Server logs are shown only if a server fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/routing.py`
    sys.path.insert(0, str(ROOT))

API_PATH = "/api/audit/entries/"
BENCH_EMAIL = "bench-routing@berbagi.invalid"
STATEMENTS_HEADER = "x-bench-statements"
SQL_HEADER = "x-bench-sql"
ROUTED = "routed"
SINGLE = "single"


# --- data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixture:
    region_name: str
    schema: str
    host: str
    cookie: str
    session_key: str
    rows: int


def fixture_prepare(*, kode: str, rows: int) -> Fixture:
    """The bench region (created if missing), `rows` audit entries or more, a signed-in session."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings.base")
    from importlib import import_module

    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import login
    from django.core.management import call_command
    from django.db import ProgrammingError
    from django.test import RequestFactory
    from django_tenants.utils import schema_context

    from apps.access.roles import user_has_role
    from apps.accounts.models import Role, User
    from apps.accounts.services import user_roles_set
    from apps.audit.actions import AuditAction
    from apps.audit.models import AuditEntry
    from apps.audit.services import audit_record
    from tenants.models import Tenant
    from tests.support import tenant_create_migrated

    try:
        prepared = Tenant.objects.filter(schema_name=settings.TEMPLATE_SCHEMA_NAME).exists()
    except ProgrammingError:  # not even the public schema's tables
        prepared = False
    if not prepared:
        print("the database is not prepared: running manage.py platform_prepare...", flush=True)
        call_command("platform_prepare")
    tenant = Tenant.objects.filter(region_id=kode).first()
    if tenant is None:
        print(f"creating bench region {kode} (tenant_create_migrated)...", flush=True)
        tenant = tenant_create_migrated(kode=kode)
    if tenant.status != Tenant.Status.ACTIVE:
        raise SystemExit(f"region {kode} is {tenant.status}, not active: choose another --region")
    host = tenant.primary_host

    with schema_context(tenant.schema_name):
        missing = rows - AuditEntry.objects.count()
        for i in range(max(missing, 0)):
            audit_record(
                actor="bench",
                action=AuditAction.REFERENCE_IMPORTED,
                changes={"i": i, "purpose": "bench/routing.py"},
            )
        total = AuditEntry.objects.count()
        user = User.objects.filter(email=BENCH_EMAIL).first()
        if user is None:
            user = User.objects.create_user(email=BENCH_EMAIL, password=None)
            user.full_name = "Benchmark routing"
            user.save(update_fields=["full_name"])
        if not user_has_role(user, Role.ADMIN):  # the audit log is the admin's to read
            user_roles_set(user=user, roles=[Role.ADMIN], opd_code="", changed_by="bench")
        # Sign in the way a login view does, so whatever login hooks the project has run.
        request = RequestFactory().get("/", HTTP_HOST=host)
        request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        request.tenant = tenant  # type: ignore[attr-defined]
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        request.session.save()
        session_key = request.session.session_key
    assert session_key is not None
    return Fixture(
        region_name=tenant.name,
        schema=tenant.schema_name,
        host=host,
        cookie=f"{settings.SESSION_COOKIE_NAME}={session_key}",
        session_key=session_key,
        rows=total,
    )


def fixture_cleanup(fixture: Fixture) -> None:
    """Delete the bench session; the region, its rows and the user stay for the next run."""
    from importlib import import_module

    from django.conf import settings
    from django_tenants.utils import schema_context

    with schema_context(fixture.schema):
        import_module(settings.SESSION_ENGINE).SessionStore().delete(fixture.session_key)


# --- servers -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _gunicorn_extra_flags() -> list[str]:
    """Newer gunicorn opens a control socket at one fixed path; two servers must not share it."""
    from gunicorn.config import KNOWN_SETTINGS  # type: ignore[import-untyped]

    flags = {flag for setting in KNOWN_SETTINGS for flag in (setting.cli or [])}
    return ["--no-control-socket"] if "--no-control-socket" in flags else []


class Server:
    """One gunicorn with one sync worker, started and stopped by this process."""

    def __init__(self, *, label: str, settings_module: str, app: str, env: dict[str, str]):
        self.label = label
        self.port = _free_port()
        self._worker_pid: int | None = None
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "1",
            "--worker-class",
            "sync",
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
            "--timeout",
            "120",
            *_gunicorn_extra_flags(),
        ]
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": settings_module},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def log_tail(self, size: int = 4000) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-size:]

    def wait_ready(self, host: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        request = _request_bytes(host, "/healthz", cookie=None)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.label} server exited with {self.process.returncode}")
            try:
                status, _, _ = Connection(self.port).get(request)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"{self.label} server not ready after {timeout:.0f} s")

    @property
    def worker_pid(self) -> int | None:
        """The pid of gunicorn's worker (the master's child); None where /proc is missing."""
        if self._worker_pid is None:
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except (OSError, IndexError):
                    continue
                if int(fields[1]) == self.process.pid:
                    self._worker_pid = int(stat.parent.name)
                    break
        return self._worker_pid

    def worker_cpu_seconds(self) -> float | None:
        """User plus system CPU time the worker has used so far."""
        pid = self.worker_pid
        if pid is None:
            return None
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def servers_start(*, fixture: Fixture, app: str, env: dict[str, str]) -> dict[str, Server]:
    servers = {
        ROUTED: Server(label=ROUTED, settings_module="saas.settings.base", app=app, env=env),
        SINGLE: Server(
            label=SINGLE,
            settings_module="saas.settings.bench_single",
            app=app,
            env={**env, "BENCH_SCHEMA": fixture.schema},
        ),
    }
    try:
        for server in servers.values():
            server.wait_ready(fixture.host)
    except BaseException:
        servers_stop(servers.values(), show_logs=True)
        raise
    return servers


def servers_stop(servers: Iterable[Server], *, show_logs: bool = False) -> None:
    for server in servers:
        if show_logs:
            print(f"--- {server.label} server log ---\n{server.log_tail()}", file=sys.stderr)
        server.stop()


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env["DEBUG"] = "0"  # DEBUG keeps every query in memory
    # Background snapshots would run inside one worker during the rounds: not request routing.
    env["OPERATIONS_INPROCESS_BEAT"] = "0"
    env.setdefault("LOG_LEVEL", "WARNING")
    if int(env.get("DB_CONN_MAX_AGE") or 0) <= 0:
        env["DB_CONN_MAX_AGE"] = "300"  # persistent connections in both setups
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


# --- client ------------------------------------------------------------------------------------


def _request_bytes(host: str, path: str, cookie: str | None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Accept: application/json"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    lines.append("Connection: keep-alive")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class Connection:
    """HTTP/1.1 keep-alive client connection; reconnects whenever the server closes it
    (gunicorn's sync worker closes after every response)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None
        self.buffer = b""

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def _recv(self, sock: socket.socket) -> bytes:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection mid-response")
        return chunk

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""

    def get(self, request: bytes) -> tuple[int, dict[str, str], bytes]:
        reused = self.sock is not None
        try:
            return self._exchange(request)
        except OSError:
            self.close()
            if not reused:
                raise
            return self._exchange(request)  # an idle keep-alive socket the server had dropped

    def _exchange(self, request: bytes) -> tuple[int, dict[str, str], bytes]:
        if self.sock is None:
            self.sock = self._connect()
        sock = self.sock
        sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv(sock)
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:  # chunks, then the zero-size one (no trailers from gunicorn)
                while b"\r\n" not in rest:
                    rest += self._recv(sock)
                size_line, _, rest = rest.partition(b"\r\n")
                size = int(size_line.split(b";")[0], 16)
                while len(rest) < size + 2:
                    rest += self._recv(sock)
                body, rest = body + rest[:size], rest[size + 2 :]
                if size == 0:
                    break
            self.buffer = rest
        elif "content-length" in headers:
            length = int(headers["content-length"])
            while len(rest) < length:
                rest += self._recv(sock)
            body, self.buffer = rest[:length], rest[length:]
        else:
            raise ConnectionError(f"response without a length: {status_line}")
        if headers.get("connection", "").lower() == "close" or status_line.startswith("HTTP/1.0"):
            self.close()
        return status, headers, body


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    failures: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def load(*, port: int, request: bytes, seconds: float, concurrency: int) -> LoadResult:
    """Keep `concurrency` requests in flight for `seconds`; count completed responses."""
    start = threading.Barrier(concurrency + 1)
    done: list[tuple[int, int, float]] = []
    lock = threading.Lock()
    deadline = [0.0]

    def client() -> None:
        connection = Connection(port)
        count = failures = 0
        start.wait()
        finished = time.perf_counter()
        while finished < deadline[0]:
            try:
                status, _, _ = connection.get(request)
            except OSError:
                connection.close()
                status = 0
            finished = time.perf_counter()
            count += 1
            failures += status != 200
        connection.close()
        with lock:
            done.append((count, failures, finished))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    return LoadResult(
        requests=sum(c for c, _, _ in done),
        seconds=max(f for _, _, f in done) - began,
        failures=sum(f for _, f, _ in done),
    )


# --- statement counting (runs inside the gunicorn workers of the second pass) ------------------


class _StatementCounter:
    def __init__(self) -> None:
        self.thread = 0
        self.statements: list[str] = []

    def begin(self) -> None:
        self.thread = threading.get_ident()
        self.statements = []

    def hit(self, sql: Any) -> None:
        if threading.get_ident() == self.thread:  # not the routing listener's own connection
            text = sql.decode() if isinstance(sql, bytes) else str(sql)
            self.statements.append(" ".join(text.split())[:48])

    def summary(self) -> str:
        text = " | ".join(self.statements)
        return re.sub(r"[^\x20-\x7e]", "?", text)[:4000]


def counting_application() -> Callable[..., Any]:
    """Gunicorn app factory (`bench.routing:counting_application()`): the project's WSGI app,
    with every response telling how many SQL statements its request sent to PostgreSQL."""
    import psycopg2.extensions

    counter = _StatementCounter()

    class CountingCursor(psycopg2.extensions.cursor):
        def execute(self, query: Any, vars: Any = None) -> None:
            counter.hit(query)
            super().execute(query, vars)

        def executemany(self, query: Any, vars_list: Any) -> None:
            counter.hit(query)
            super().executemany(query, vars_list)

    from django.db import connections

    from saas.wsgi import application

    connections["default"].settings_dict["OPTIONS"]["cursor_factory"] = CountingCursor
    connections.close_all()

    def counted(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        counter.begin()

        def counted_start_response(status: str, headers: list[Any], exc_info: Any = None) -> Any:
            headers = [
                *headers,
                ("X-Bench-Statements", str(len(counter.statements))),
                ("X-Bench-Sql", counter.summary()),
            ]
            return start_response(status, headers, exc_info)

        return application(environ, counted_start_response)

    return counted


# --- the run -----------------------------------------------------------------------------------


def _get(server: Server, request: bytes) -> tuple[int, dict[str, str], bytes]:
    return Connection(server.port).get(request)


def check_same_answer(servers: dict[str, Server], request: bytes) -> int:
    """Both setups answer 200 with the same JSON; returns the number of rows on the page."""
    bodies = {}
    for label, server in servers.items():
        status, _, body = _get(server, request)
        if status != 200:
            raise SystemExit(f"{label}: GET {API_PATH} answered {status}: {body[:300]!r}")
        bodies[label] = json.loads(body)
    if bodies[ROUTED] != bodies[SINGLE]:
        raise SystemExit("the two setups answered differently; they must serve the same rows")
    return len(bodies[ROUTED]["results"])


def count_statements(
    servers: dict[str, Server], request: bytes, warmup: int, samples: int
) -> dict[str, tuple[list[int], str]]:
    counts: dict[str, tuple[list[int], str]] = {}
    for label, server in servers.items():
        connection = Connection(server.port)
        for _ in range(warmup):
            connection.get(request)
        values, sql = [], ""
        for _ in range(samples):
            status, headers, _ = connection.get(request)
            if status != 200:
                raise SystemExit(f"{label}: counting request answered {status}")
            values.append(int(headers[STATEMENTS_HEADER]))
            sql = headers.get(SQL_HEADER, "")
        connection.close()
        counts[label] = (values, sql)
    return counts


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/routing.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "Run: DATABASE_URL=postgres://user@host:5432/db .venv/bin/python bench/routing.py "
            "(after `manage.py platform_prepare` on that database), or `make bench`. Exit status "
            "is 1 when a setup fails to answer, or with --check when the goal is missed or the "
            "statement counts differ."
        ),
    )
    parser.add_argument(
        "--region", default="12.75", help="kode wilayah of the bench region (default 12.75 Binjai)"
    )
    parser.add_argument("--rows", type=int, default=25, help="audit entries to have (default 25)")
    parser.add_argument("--rounds", type=int, default=20, help="rounds per setup (default 20)")
    parser.add_argument(
        "--seconds", type=float, default=1.0, help="length of one round (default 1)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=2, help="client connections in flight (default 2)"
    )
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="seconds of warm-up per setup (default 2)"
    )
    parser.add_argument(
        "--count-samples", type=int, default=50, help="requests counted per setup (default 50)"
    )
    parser.add_argument("--goal", type=float, default=0.95, help="routed/single goal (0.95)")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the goal is missed or counts differ"
    )
    parser.add_argument(
        "--show-sql", action="store_true", help="print the statements of one counted request"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        print("DATABASE_URL is not set (make bench sets it); see --help", file=sys.stderr)
        return 2
    fixture = fixture_prepare(kode=args.region, rows=args.rows)
    try:
        return run(args, fixture)
    finally:
        fixture_cleanup(fixture)


def measure(
    args: argparse.Namespace, servers: dict[str, Server], request: bytes
) -> tuple[dict[str, list[float]], dict[str, float | None]]:
    """Alternating rounds (ABBA order); requests per second per round, worker CPU per request."""
    for server in servers.values():
        load(port=server.port, request=request, seconds=args.warmup, concurrency=args.concurrency)
    rates: dict[str, list[float]] = {ROUTED: [], SINGLE: []}
    cpu: dict[str, float | None] = {ROUTED: 0.0, SINGLE: 0.0}
    served = {ROUTED: 0, SINGLE: 0}
    print(f"{'round':>6}  {'routed rps':>10}  {'single rps':>10}  {'ratio':>6}")
    for round_no in range(1, args.rounds + 1):
        order = [ROUTED, SINGLE] if round_no % 2 else [SINGLE, ROUTED]
        for label in order:
            server = servers[label]
            cpu_before = server.worker_cpu_seconds()
            result = load(
                port=server.port,
                request=request,
                seconds=args.seconds,
                concurrency=args.concurrency,
            )
            cpu_after = server.worker_cpu_seconds()
            if result.failures:
                raise SystemExit(f"{label}: {result.failures} requests failed")
            rates[label].append(result.rps)
            spent = cpu[label]
            if spent is None or cpu_before is None or cpu_after is None:
                cpu[label] = None
            else:
                cpu[label] = spent + cpu_after - cpu_before
            served[label] += result.requests
        r, s = rates[ROUTED][-1], rates[SINGLE][-1]
        print(f"{round_no:>6}  {r:>10.1f}  {s:>10.1f}  {r / s:>6.3f}")
    per_request: dict[str, float | None] = {}
    for label, spent in cpu.items():
        per_request[label] = None if spent is None else spent / max(served[label], 1)
    return rates, per_request


def run(args: argparse.Namespace, fixture: Fixture) -> int:
    request = _request_bytes(fixture.host, API_PATH, fixture.cookie)
    env = server_env()
    print(
        f"routing benchmark: {fixture.region_name} ({fixture.schema}) on {fixture.host}, "
        f"GET {API_PATH} ({fixture.rows} rows in the log)"
    )
    print(
        f"gunicorn: 1 sync worker per setup, DB_CONN_MAX_AGE={env['DB_CONN_MAX_AGE']}; client: "
        f"{args.concurrency} connections on loopback; {args.rounds} rounds x {args.seconds:g} s "
        f"per setup, alternating; {os.cpu_count()} CPUs"
    )

    servers = servers_start(fixture=fixture, app="saas.wsgi:application", env=env)
    failed = True
    try:
        page = check_same_answer(servers, request)
        print(f"both setups answer 200 with the same {page} rows")
        rates, cpu = measure(args, servers, request)
        failed = False
    finally:
        servers_stop(servers.values(), show_logs=failed)

    routed, single = statistics.median(rates[ROUTED]), statistics.median(rates[SINGLE])
    ratio = routed / single
    pairs = sorted(r / s for r, s in zip(rates[ROUTED], rates[SINGLE], strict=True))
    round_ratio = statistics.median(pairs)
    print(f"{'median':>6}  {routed:>10.1f}  {single:>10.1f}  {ratio:>6.3f}")
    if len(pairs) >= 4:
        low, _, high = statistics.quantiles(pairs, n=4)
        print(f"round ratios, middle half: {low:.3f} to {high:.3f}", end="")
        # Rounds of one setup that disagree this much mean other work shared the CPUs.
        print(" (noisy: rerun on an idle machine)" if high - low > 0.1 else "")
    routed_cpu, single_cpu = cpu[ROUTED], cpu[SINGLE]
    if routed_cpu is not None and single_cpu is not None:
        print(
            f"gunicorn worker CPU per request: routed {routed_cpu * 1e3:.2f} ms, single "
            f"{single_cpu * 1e3:.2f} ms (single/routed {single_cpu / routed_cpu:.3f})"
        )

    counting = servers_start(fixture=fixture, app="bench.routing:counting_application()", env=env)
    failed = True
    try:
        counts = count_statements(counting, request, warmup=10, samples=args.count_samples)
        failed = False
    finally:
        servers_stop(counting.values(), show_logs=failed)
    statements = {}
    for label, (values, sql) in counts.items():
        statements[label] = statistics.median(values)
        spread = "" if min(values) == max(values) else f" (from {min(values)} to {max(values)})"
        print(f"statements per request, {label}: {statements[label]:g}{spread}")
        if args.show_sql:
            print(f"  {sql}")

    met = ratio >= args.goal
    equal = statements[ROUTED] == statements[SINGLE]
    print(
        f"RESULT routed/single requests per second: {ratio:.3f} (median of round ratios "
        f"{round_ratio:.3f}); goal >= {args.goal:g}: {'met' if met else 'MISSED'}; "
        f"statements per request {'equal' if equal else 'DIFFER'}"
    )
    return 1 if args.check and not (met and equal) else 0


if __name__ == "__main__":
    sys.exit(main())
