"""Request and error counts per Host for the last 24 hours, off the database; and the Prometheus
figures (requests and latencies per region, provisioning and rollout), at the end of this module.

Counting hooks onto Django's request signals (no middleware, no query, no DB write): a request adds
one to an in-process counter keyed by (hour, host); an unhandled exception adds one error. With
REDIS_URL the counters are flushed to Redis (hourly hashes that expire after 25 h) at most every
FLUSH_SECONDS, so every web process contributes; without Redis they stay in the process, which is
then also the one that collects snapshots (provisioning.beat).
The snapshot task maps hosts to tenants through the Domain table, once per collection.
"""

import logging
import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Sum
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric, SummaryMetricFamily

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


# --- Prometheus ---------------------------------------------------------------------------------
# Request counts and latencies per region, in process (summed over gunicorn's workers through
# PROMETHEUS_MULTIPROC_DIR when set), and platform figures read from the public schema at scrape
# time: regions by status, provisioning jobs and their durations, rollout progress.

KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
UNROUTED = "-"

HTTP_REQUESTS = Counter(
    "berbagi_http_requests_total",
    "HTTP requests by region (schema; public: the console; -: refused before routing).",
    ["region", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "berbagi_http_request_duration_seconds",
    "Time to answer a request, by region.",
    ["region"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def region_label(request: Any) -> str:
    """The schema the routing middleware chose; labels stay bounded by the number of regions."""
    if not hasattr(request, "tenant"):
        return UNROUTED
    tenant = request.tenant
    return "public" if tenant is None else str(tenant.schema_name)


def request_observe(*, region: str, method: str, status: int, seconds: float) -> None:
    method = method if method in KNOWN_METHODS else "OTHER"
    HTTP_REQUESTS.labels(region=region, method=method, status=f"{status // 100}xx").inc()
    HTTP_LATENCY.labels(region=region).observe(seconds)


def _by_status(name: str, doc: str, rows: Any, statuses: list[str]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=["status"])
    counts = dict(rows.values_list("status").annotate(n=Count("id")))
    for status in statuses:
        family.add_metric([status], counts.get(status, 0))
    return family


class PlatformCollector:
    """Figures the database holds, from a handful of aggregate queries on the public schema."""

    def collect(self) -> Iterator[Metric]:
        from provisioning.models import ProvisioningJob, RolloutItem, RolloutJob
        from tenants.db import schema_activate_public
        from tenants.models import Tenant

        schema_activate_public()
        regions = Tenant.objects.exclude(kind=Tenant.Kind.TEMPLATE)
        yield _by_status("berbagi_regions", "Regions by status.", regions, Tenant.Status.values)
        yield _by_status(
            "berbagi_provisioning_jobs",
            "Provisioning jobs by status.",
            ProvisioningJob.objects.all(),
            ProvisioningJob.Status.values,
        )
        done = ProvisioningJob.objects.filter(
            status=ProvisioningJob.Status.SUCCEEDED, duration_ms__isnull=False
        ).aggregate(n=Count("id"), total=Sum("duration_ms"))
        yield SummaryMetricFamily(
            "berbagi_provisioning_duration_seconds",
            "Duration of succeeded provisioning jobs.",
            count_value=done["n"] or 0,
            sum_value=(done["total"] or 0.0) / 1000.0,
        )
        yield _by_status(
            "berbagi_rollout_jobs",
            "Rollout jobs by status.",
            RolloutJob.objects.all(),
            RolloutJob.Status.values,
        )
        latest = RolloutJob.objects.aggregate(last=Max("id"))["last"]
        yield _by_status(
            "berbagi_rollout_regions",
            "Regions of the latest rollout job by state (failed ones are retried).",
            RolloutItem.objects.filter(job_id=latest),
            RolloutItem.Status.values,
        )


def exposition() -> tuple[bytes, str]:
    """The scrape body: this process's (or every worker's) requests plus the platform figures."""
    platform = CollectorRegistry(auto_describe=False)
    platform.register(PlatformCollector())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)  # type: ignore[no-untyped-call]
    else:
        requests = REGISTRY
    return generate_latest(requests) + generate_latest(platform), CONTENT_TYPE_LATEST
