"""Headers on every page and redirects that stay on the host (issue 8.7): every URL pattern of the
console and of a region, signed in and not, carries a Content-Security-Policy without inline
code, X-Frame-Options and `Cache-Control: private, no-store`; so do the routing pages; `?next=`
never leads off the host the person is on."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from apps.accounts.models import Role, User
from apps.accounts.tests.conftest import (
    CONSOLE,
    PASSWORD,
    MakeUser,
    console_signed_in,
    host_of,
    signed_in,
)
from apps.accounts.tests.urlwalk import url_paths
from tenants.models import Tenant


def _header_problems(response: object, where: str) -> list[str]:
    headers = response.headers  # type: ignore[attr-defined]
    problems = []
    csp = headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d for d in (p.strip() for p in csp.split(";")) if d}
    for name in ("script-src", "style-src"):
        if name not in directives or "'unsafe-inline'" in directives[name]:
            problems.append(f"{where}: {name} missing or allows inline code ({csp!r})")
    if "frame-ancestors 'none'" not in csp:
        problems.append(f"{where}: no frame-ancestors")
    if headers.get("X-Frame-Options") not in ("DENY", "SAMEORIGIN"):
        problems.append(f"{where}: no X-Frame-Options")
    cache = headers.get("Cache-Control", "")
    if "no-store" not in cache or "private" not in cache:
        problems.append(f"{where}: Cache-Control {cache!r}")
    return problems


def _quiet(client: Client) -> Client:
    """The same session on a client that turns a crash into the 500 a browser would get."""
    quiet = Client(HTTP_HOST=client.defaults["HTTP_HOST"], raise_request_exception=False)
    quiet.cookies = client.cookies
    return quiet


@pytest.mark.parametrize("place", ["region", "console"])
def test_every_page_carries_csp_frame_and_cache_headers(
    place: str, make_user: MakeUser, medan: Tenant
) -> None:
    if place == "region":
        host, urlconf = host_of(medan), "saas.urls_tenant"
        admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
        member = signed_in(host, admin)
    else:
        host, urlconf = CONSOLE, "saas.urls_public"
        support = make_user("cs@berbagi.id", platform_role=User.PlatformRole.CENTRAL_SUPPORT)
        member = console_signed_in(support)
    clients = {"anonymous": Client(HTTP_HOST=host, raise_request_exception=False)}
    clients["signed in"] = _quiet(member)
    problems = []
    paths = list(url_paths(urlconf))
    assert len(paths) > 20
    for path in paths:
        for who, client in clients.items():
            problems += _header_problems(client.get(path), f"{who} GET {path}")
    assert problems == []


@pytest.mark.parametrize(
    ("host", "status"), [("tidak-ada.localhost", 404), ("situs-lain.example", 400)]
)
def test_routing_pages_carry_the_headers_too(db: None, host: str, status: int) -> None:
    response = Client(HTTP_HOST=host).get("/")
    assert response.status_code == status
    assert _header_problems(response, host) == []


def test_inline_code_runs_only_with_this_requests_nonce(medan: Tenant) -> None:
    page = Client(HTTP_HOST=host_of(medan)).get("/api/docs/")
    csp = page.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce is not None
    html = page.content.decode()
    inline = re.findall(r"<(script|style)([^>]*)>", html)
    assert inline
    assert all(f'nonce="{nonce.group(1)}"' in attrs for _tag, attrs in inline)
    again = Client(HTTP_HOST=host_of(medan)).get("/api/docs/")
    assert again.headers["Content-Security-Policy"] != csp


def test_static_assets_stay_cacheable(db: None) -> None:
    response = Client(HTTP_HOST=CONSOLE).get("/static/css/berbagi.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


HOSTILE_NEXT = [
    "https://jahat.example/",
    "//jahat.example/",
    "///jahat.example/",
    "/\\jahat.example/",
    "\\\\jahat.example",
    "https:jahat.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://medan.localhost@jahat.example/",
    " //jahat.example/",
    "http://localhost/",  # the console, seen from a region
    "http://buol.localhost/",  # another region
    "http://localhost.jahat.example/",
]


def test_sign_in_and_language_switch_refuse_every_next_that_leaves_the_host(
    make_user: MakeUser, medan: Tenant
) -> None:
    host = host_of(medan)
    make_user("staf@medan.go.id", schema=medan, roles=[Role.TAPD])
    accepted = []
    for target in HOSTILE_NEXT:
        client = Client(HTTP_HOST=host)
        login = client.post(
            "/akun/login/",
            {"login": "staf@medan.go.id", "password": PASSWORD, "next": target},
        )
        language = client.post("/i18n/setlang/", {"language": "en", "next": target})
        logout = client.post("/akun/logout/", {"next": target})
        for name, response in (("login", login), ("setlang", language), ("logout", logout)):
            location = response.get("Location", "/")
            if not (location.startswith("/") and not location.startswith(("//", "/\\"))):
                accepted.append((name, target, location))
    assert accepted == []
    # a path on the same host is still followed
    client = Client(HTTP_HOST=host)
    back = client.post(
        "/akun/login/", {"login": "staf@medan.go.id", "password": PASSWORD, "next": "/akun/token/"}
    )
    assert back["Location"] == "/akun/token/"


def test_no_template_holds_code_the_policy_would_block() -> None:
    """Inline style attributes, event handlers and nonce-less inline script or style elements
    would be refused by the browser under the policy: none in the project's templates."""
    root = Path(settings.BASE_DIR) / "templates"
    blocked = re.compile(
        r"\sstyle=|\son[a-z]+=|<style(?![^>]*nonce=)|<script(?![^>]*(?:src=|nonce=|json))"
    )
    offenders = [
        f"{path.relative_to(root)}: {match.group(0).strip()}"
        for path in root.rglob("*.html")
        for match in blocked.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_only_a_region_page_that_declares_itself_public_stays_cacheable_for_anonymous(
    settings: Any, make_user: MakeUser, medan: Tenant
) -> None:
    settings.ROOT_URLCONF = "apps.accounts.tests.urls_probe"
    host = host_of(medan)
    anonymous = Client(HTTP_HOST=host).get("/probe-public/")
    assert "public" in anonymous.headers["Cache-Control"]
    assert "Content-Security-Policy" in anonymous.headers
    user = make_user("staf@medan.go.id", schema=medan, roles=[Role.TAPD])
    member = signed_in(host, user).get("/probe-public/")
    assert member.headers["Cache-Control"] == "private, no-store"
