"""Browser tests: the real WSGI app on a loopback port, driven by Debian's Chromium via Playwright.

The server answers in threads of this process with their own database connections, so it cannot
see a test's open transaction. Browser tests therefore do not take `db`: they take `live_site`
(database open to the test and the server for the test's duration, autocommit) and, when they
write, `committed`, which runs the undo steps the test registered. pytest-django's `live_server`
and `transactional_db` are not used: they flush tables and would destroy the session tenants.

Every page a test opens is watched: a request to any host other than the live server's (a CDN, a
font service) or a JavaScript error fails the test.
"""

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connections
from playwright.sync_api import Browser, Page, Playwright, Request, sync_playwright

from tenants.routing import routing_cache

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS_DIR = Path(settings.BASE_DIR) / "test-results"


BROWSER_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this folder's tests `browser` and `django_db`; the second only makes pytest-django
    create the test database when they run alone (access itself is opened by `live_site`)."""
    for item in items:
        if BROWSER_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def _django_db_marker() -> None:
    """Replaces pytest-django's: no transaction around browser tests, whose server must see
    committed rows. Database access comes from `live_site` instead."""


class _Server(ThreadedWSGIServer):
    # Request threads are joined on close, so none holds a database connection when the test
    # database is dropped; each closes its connections when its HTTP connection ends.
    daemon_threads = False
    block_on_close = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class LiveSite:
    """The running server: URLs for the console and for a region by its slug."""

    port: int
    domain: str = field(default_factory=lambda: settings.BASE_DOMAIN)

    def host(self, region: str | None = None) -> str:
        name = f"{region}.{self.domain}" if region else self.domain
        return f"{name}:{self.port}"

    def url(self, path: str = "/", *, region: str | None = None) -> str:
        return f"http://{self.host(region)}{path}"

    def serves(self, url: str) -> bool:
        """Whether a URL points at this server (the console or any of its subdomains)."""
        parts = urlsplit(url)
        hostname = parts.hostname or ""
        return (
            parts.scheme == "http"
            and parts.port == self.port
            and (hostname == self.domain or hostname.endswith(f".{self.domain}"))
        )


@pytest.fixture(scope="session")
def _wsgi_server(django_db_setup: None) -> Iterator[LiveSite]:
    from saas.wsgi import application  # the deployed app: every middleware, WhiteNoise included

    server = _Server(("127.0.0.1", 0), _QuietHandler, ipv6=False, allow_reuse_address=True)
    server.set_app(application)
    thread = threading.Thread(target=server.serve_forever, name="browser-live-server", daemon=True)
    thread.start()
    try:
        yield LiveSite(port=server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def live_site(
    _wsgi_server: LiveSite, django_db_blocker: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LiveSite]:
    """The live server, with database access open to it and to the test until the test ends."""
    # Playwright's sync API keeps an event loop running in this thread, which Django takes for
    # async code; the test's own ORM calls are synchronous, so the guard is lifted for the test.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with django_db_blocker.unblock():
        routing_cache.clear()
        yield _wsgi_server
        routing_cache.clear()
        # With that loop running, Django keeps this thread's connections per context: close the
        # ones the test opened, or they outlive the session and block dropping the test database.
        connections.close_all()


class Committed:
    """Writes a browser test makes are committed at once; it registers how to undo each one.

    Undo steps run after the test, last first, even when it failed; the routing cache (shared
    with the server, which runs in this process) is cleared before and after them.
    """

    def __init__(self) -> None:
        self._undo: list[Callable[[], object]] = []

    def undo(self, step: Callable[[], object]) -> None:
        self._undo.append(step)

    def run_undo(self) -> None:
        routing_cache.clear()
        errors: list[BaseException] = []
        while self._undo:
            step = self._undo.pop()
            try:
                step()
            except BaseException as exc:  # every step runs; the first failure is raised
                errors.append(exc)
        routing_cache.clear()
        if errors:
            raise errors[0]


@pytest.fixture
def committed(live_site: LiveSite) -> Iterator[Committed]:
    from django.db import connection

    assert connection.get_autocommit(), "browser tests must not run inside the `db` transaction"
    record = Committed()
    yield record
    record.run_undo()


# Package scope: Playwright's event loop runs only while this folder's tests do, and starts after
# the test database is set up (through the server fixture).
@pytest.fixture(scope="package")
def _playwright(_wsgi_server: LiveSite) -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(_playwright: Playwright, _wsgi_server: LiveSite) -> Iterator[Browser]:
    # Closes before the server stops: its open connections are what keep request threads alive.
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test-deps` installs Debian's chromium package")
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@dataclass
class PageLog:
    """What one page did: every request URL and every uncaught JavaScript error."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed_assets: list[str] = field(default_factory=list)


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser: Browser, live_site: LiveSite, page_log: PageLog) -> Iterator[Page]:
    """A fresh browser context (no cookies) as an Indonesian desktop browser would open it."""
    context = browser.new_context(
        locale="id-ID", viewport={"width": 1280, "height": 800}, service_workers="block"
    )
    page = context.new_page()

    def on_request(request: Request) -> None:
        if not request.url.startswith("data:"):
            page_log.requests.append(request.url)

    def on_request_finished(request: Request) -> None:
        response = request.response()
        if request.resource_type != "document" and response is not None and response.status >= 400:
            page_log.failed_assets.append(f"{response.status} {request.url}")

    page.on("request", on_request)
    page.on("requestfinished", on_request_finished)
    page.on("requestfailed", lambda request: page_log.failed_assets.append(f"failed {request.url}"))
    page.on("pageerror", lambda error: page_log.errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    foreign = [url for url in page_log.requests if not live_site.serves(url)]
    assert not foreign, f"the page reached beyond its own server: {foreign}"
    assert not page_log.errors, f"JavaScript errors: {page_log.errors}"
    assert not page_log.failed_assets, f"assets that did not load: {page_log.failed_assets}"


@pytest.fixture(scope="session")
def results_dir() -> Path:
    """Where screenshots go (gitignored)."""
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR
