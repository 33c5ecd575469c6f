"""A task through a real Redis broker, run by a real worker thread, inside its tenant's schema."""

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
import redis
from celery.contrib.testing.worker import start_worker

from saas.celery import TenantTask, app
from tenants.models import Tenant

DEFAULT_URL = "redis://127.0.0.1:6379/15"


@app.task(base=TenantTask, name="tests.region_probe")
def region_probe(*, schema_name: str) -> dict[str, Any]:
    """Where the task ran and how many users that schema holds (a probe of the tenant wiring,
    registered by this test module only; the worker thread shares the app)."""
    from django.db import connection

    from apps.accounts.models import User

    return {"schema": connection.schema_name, "users": User.objects.count()}  # type: ignore[attr-defined]


def _reachable(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """REDIS_URL (default redis://127.0.0.1:6379/15) if it answers; else a redis-server started
    here on a free port; else the test is skipped with the reason."""
    import os

    url = os.environ.get("REDIS_URL") or DEFAULT_URL
    if _reachable(url):
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip(
            f"no Redis at {urlparse(url).netloc} and no redis-server binary to start one "
            "(install Debian's redis-server)"
        )
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="berbagi-redis-")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", workdir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/15"
    try:
        for _ in range(50):
            if _reachable(url):
                break
            time.sleep(0.1)
        else:
            pytest.skip("redis-server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def broker(url: str) -> Iterator[None]:
    """Point the app at a real broker and result backend, then back. The app caches its result
    backend per thread (eager tasks run earlier cached the disabled one): drop it both ways."""
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    _backend_forget()
    try:
        yield
    finally:
        app.conf.update(saved)
        _backend_forget()


def _backend_forget() -> None:
    """Drop what the app cached for the previous broker: result backend and producer pools."""
    # Celery's private caches (celery-types does not describe them).
    celery_app: Any = app
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)
    celery_app._after_fork()


def test_a_task_runs_in_a_worker_through_redis_in_its_schema(
    redis_url: str, medan: Tenant, django_db_blocker: object
) -> None:
    from celery.signals import task_postrun
    from django.db import connections

    def close_worker_connections(**kwargs: object) -> None:
        connections.close_all()  # the worker thread's own connection, not the test's

    task_postrun.connect(close_worker_connections, weak=False)
    try:
        with (
            broker(redis_url),
            start_worker(
                app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
            ),
        ):
            result = region_probe.delay(schema_name=medan.schema_name)
            answer = result.get(timeout=30)
            result.forget()
    finally:
        # never left connected: it would close the main thread's connection after eager tasks
        task_postrun.disconnect(close_worker_connections)
    assert answer["schema"] == medan.schema_name
    assert answer["users"] >= 0


def test_a_task_without_a_schema_is_refused() -> None:
    with pytest.raises(TypeError, match="schema_name"):
        region_probe.apply(kwargs={}).get()
