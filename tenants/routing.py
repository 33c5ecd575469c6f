"""Host-to-tenant resolution with a per-process cache, invalidated across processes.

Every process keeps a dictionary Host -> Tenant. A trigger on the tenant and domain tables sends
`NOTIFY tenant_routing` on every committed change; each process listens on a dedicated connection
in a daemon thread and drops its cache when a notice arrives. Services that change routing also
clear the local cache on commit, so the process that made a change sees it on its very next request.
A TTL bounds staleness while no listener is connected (off, starting, or reconnecting): while one
listens, a route stays until a notice drops it, so a process serving many regions does not look
every Host up again each TTL (with 1,000 regions, 1,000 lookups per process every 5 minutes).
The listener's connection has TCP keepalives, so a silently dead peer is noticed in about a
minute, after which the TTL applies again.
"""

import logging
import select
import threading
import time
from dataclasses import dataclass

import psycopg2
from django.conf import settings
from django.db import connection

from tenants.models import Domain, Tenant

logger = logging.getLogger(__name__)

CHANNEL = "tenant_routing"


@dataclass(frozen=True)
class Route:
    """What a Host resolves to: the console, a tenant, or nothing."""

    tenant: Tenant | None
    is_console: bool = False


# libpq keepalives on the listener's connection: a peer gone without a FIN is noticed within
# about idle + interval * count seconds, and the routes fall back to the TTL.
LISTENER_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}

CONSOLE = Route(tenant=None, is_console=True)
NOT_FOUND = Route(tenant=None)


class RoutingCache:
    def __init__(self) -> None:
        self._routes: dict[str, tuple[float, Route]] = {}
        # Bumped on every clear: a lookup that started before a clear must not store its answer.
        self._generation = 0
        self._lock = threading.Lock()
        self._listener: threading.Thread | None = None
        self._stopping = threading.Event()
        # True while the listener holds a connection with LISTEN in force.
        self.listening = False

    def get(self, hostname: str) -> Route | None:
        entry = self._routes.get(hostname)
        if entry is None:
            return None
        stored_at, route = entry
        if self.listening:
            return route
        if time.monotonic() - stored_at > settings.TENANT_ROUTING_CACHE_TTL:
            return None
        return route

    @property
    def generation(self) -> int:
        """Read before looking a Host up; pass to `put` so a concurrent clear wins."""
        return self._generation

    def put(self, hostname: str, route: Route, generation: int | None = None) -> None:
        """Store a route, unless the cache was cleared since `generation` was read."""
        with self._lock:
            if generation is not None and generation != self._generation:
                return
            if len(self._routes) >= settings.TENANT_ROUTING_CACHE_MAX_HOSTS:
                # Unknown hosts are cached too: requests for endless made-up subdomains must
                # not grow the dictionary without bound. Starting over costs a few lookups.
                self._routes.clear()
            self._routes[hostname] = (time.monotonic(), route)

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._routes.clear()

    def __len__(self) -> int:
        return len(self._routes)

    def ensure_listener(self) -> None:
        """Start this process's NOTIFY listener once (after fork, on first use)."""
        if not settings.TENANT_ROUTING_LISTEN:
            return
        if self._listener is not None and self._listener.is_alive():
            return
        with self._lock:
            if self._listener is not None and self._listener.is_alive():
                return
            self._listener = threading.Thread(
                target=self._listen, name="tenant-routing-listener", daemon=True
            )
            self._listener.start()

    def stop_listener(self) -> None:
        """Ask the listener to end (tests); it exits within a second."""
        self._stopping.set()
        if self._listener is not None:
            self._listener.join(timeout=5)
        self._listener = None
        self.listening = False
        self._stopping.clear()

    def _listen(self) -> None:
        params = {**connection.get_connection_params(), **LISTENER_KEEPALIVES}
        while not self._stopping.is_set():
            try:
                conn = psycopg2.connect(**params)
                conn.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
                with conn.cursor() as cursor:
                    cursor.execute(f"LISTEN {CHANNEL}")
                # Anything may have changed while we were not listening.
                self.clear()
                self.listening = True
                while not self._stopping.is_set():
                    if select.select([conn], [], [], 1) != ([], [], []):
                        conn.poll()
                        if conn.notifies:
                            conn.notifies.clear()
                            self.clear()
                self.listening = False
                conn.close()
            except Exception:  # the listener must outlive any database hiccup
                self.listening = False
                logger.warning(
                    "tenant routing listener lost its connection; retrying", exc_info=True
                )
                self.clear()
                self._stopping.wait(5)


routing_cache = RoutingCache()


def hostname_route(hostname: str) -> Route:
    """Resolve a lower-case hostname without port; cached, so steady state costs no query."""
    route = routing_cache.get(hostname)
    if route is not None:
        return route
    generation = routing_cache.generation
    if hostname == settings.BASE_DOMAIN:
        route = CONSOLE
    else:
        domain = (
            Domain.objects.select_related("tenant")
            .filter(domain=hostname)
            .exclude(tenant__kind=Tenant.Kind.TEMPLATE)
            .first()
        )
        route = Route(tenant=domain.tenant) if domain else NOT_FOUND
    routing_cache.put(hostname, route, generation=generation)
    return route


def routing_invalidate() -> None:
    """Drop this process's routes now; other processes follow through the database trigger."""
    routing_cache.clear()
