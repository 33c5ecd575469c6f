"""Request and error counts per Host for the last 24 hours, off the database.

Counting hooks onto Django's request signals (no middleware, no query, no DB write): a request adds
one to an in-process counter keyed by (hour, host); an unhandled exception adds one error. With
REDIS_URL the counters are flushed to Redis (hourly hashes that expire after 25 h) at most every
FLUSH_SECONDS, so every web process contributes; without Redis they stay in the process, which is
then also the one that collects snapshots (provisioning.beat).
The snapshot task maps hosts to tenants through the Domain table, once per collection.
"""

import logging
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 2.0
# Hosts counted apart per hour; the rest (made-up subdomains, scanners) share one bucket, so
# nobody can grow the counters without bound by inventing Host headers.
MAX_HOSTS_PER_HOUR = 2000
OTHER_HOSTS = "(lainnya)"
KEY_PREFIX = "berbagi:requests:"
TTL_SECONDS = 25 * 3600


def _hour(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%d%H")


class RequestCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        self._kept: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        self._last_flush = time.monotonic()
        self._redis: Any = None
        self._seen: tuple[str, set[str]] = ("", set())

    def _client(self) -> Any:
        if not settings.REDIS_URL:
            return None
        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=0.5)
        return self._redis

    def add(self, host: str, *, error: bool = False) -> None:
        hour = _hour()
        with self._lock:
            if self._seen[0] != hour:
                self._seen = (hour, set())
            seen = self._seen[1]
            if host not in seen:
                if len(seen) >= MAX_HOSTS_PER_HOUR:
                    host = OTHER_HOSTS
                else:
                    seen.add(host)
            self._pending[(hour, host)][1 if error else 0] += 1
        if time.monotonic() - self._last_flush >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Move pending counts to Redis (or keep them here without Redis); never raises."""
        with self._lock:
            pending, self._pending = self._pending, defaultdict(lambda: [0, 0])
            self._last_flush = time.monotonic()
        if not pending:
            return
        client = self._client()
        if client is None:
            with self._lock:
                for key, (requests, errors) in pending.items():
                    self._kept[key][0] += requests
                    self._kept[key][1] += errors
                oldest = _hour(datetime.now(UTC) - timedelta(hours=25))
                for key in [k for k in self._kept if k[0] < oldest]:
                    del self._kept[key]
            return
        try:
            pipe = client.pipeline(transaction=False)
            for (hour, host), (requests, errors) in pending.items():
                name = KEY_PREFIX + hour
                if requests:
                    pipe.hincrby(name, f"{host}|r", requests)
                if errors:
                    pipe.hincrby(name, f"{host}|e", errors)
                pipe.expire(name, TTL_SECONDS)
            pipe.execute()
        except Exception:  # counting must never break a request
            logger.warning("request counters could not be flushed to Redis", exc_info=True)

    def totals_24h(self) -> dict[str, tuple[int, int]]:
        """Host -> (requests, errors) over the last 24 whole hours plus the current one."""
        self.flush()
        now = datetime.now(UTC)
        hours = {_hour(now - timedelta(hours=h)) for h in range(24)}
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        client = self._client()
        if client is None:
            with self._lock:
                for (hour, host), (requests, errors) in self._kept.items():
                    if hour in hours:
                        totals[host][0] += requests
                        totals[host][1] += errors
        else:
            pipe = client.pipeline(transaction=False)
            for hour in sorted(hours):
                pipe.hgetall(KEY_PREFIX + hour)
            for mapping in pipe.execute():
                for field, value in mapping.items():
                    host, _, kind = field.decode().rpartition("|")
                    totals[host][0 if kind == "r" else 1] += int(value)
        return {host: (r, e) for host, (r, e) in totals.items()}

    def reset(self) -> None:
        """Forget local counts (tests)."""
        with self._lock:
            self._pending.clear()
            self._kept.clear()
            self._seen = ("", set())


request_counter = RequestCounter()


def _hostname(host: str) -> str:
    return host.rsplit(":", 1)[0].lower().rstrip(".")


def on_request_started(sender: Any, environ: dict[str, Any] | None = None, **kwargs: Any) -> None:
    host = (environ or {}).get("HTTP_HOST") or (environ or {}).get("SERVER_NAME") or ""
    if host:
        request_counter.add(_hostname(host))


def on_request_exception(sender: Any, request: Any = None, **kwargs: Any) -> None:
    host = ""
    if request is not None:
        host = request.META.get("HTTP_HOST") or ""
    if host:
        request_counter.add(_hostname(host), error=True)
