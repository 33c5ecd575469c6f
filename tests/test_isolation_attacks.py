"""Isolation under attack (issue 15.1): every endpoint and page of both URLconfs, as found by
the URL walker and the OpenAPI schemas, tried with a second region's session, API token, CSRF
token and the first region's object ids, with dead support grants, hostile Host headers, SQL
and schema names in every filter and field; then uploads, cache keys and Celery tasks. Each
test prints its attempts and fails on any leak (tests/isolation.py says what a leak is)."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import ApiToken, User
from apps.accounts.services import api_token_create
from apps.files.models import StoredFile
from apps.files.storage import RegionFileStorage
from saas.api import ValidatedQueryMixin
from saas.celery import TenantTask
from saas.celery import app as celery_app
from tenants.models import Tenant
from tests import isolation as iso

HOSTILE_HOSTS = (
    "medan.localhost.evil.test",
    "evil.test",
    "x.medan.localhost",
    "daerah_12_71.localhost",
    "template_master.localhost",
    "public.localhost",
    "medan-localhost",
    "localhost",
    "buol.localhost",
)


@dataclass
class World:
    victim: iso.Victim
    buol: Tenant
    buol_host: str
    buol_session: str
    buol_token: str
    console_session: str
    support: User


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Files go to a directory of this test (the volume backend)."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.FILES_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": root},
    }
    return root


@pytest.fixture
def world(medan: Tenant, buol: Tenant, media_root: Path) -> World:
    from allauth.mfa.models import Authenticator
    from django.core.cache import cache

    cache.clear()  # login rate limits live in the cache
    victim = iso.victim_make(medan)
    buol_host = iso.host_of(buol)
    attacker = iso.region_user(buol, "penyerang@buolkab.go.id")
    with schema_context(buol.schema_name):
        _token, raw = api_token_create(user=attacker, name="penyerang")
    with schema_context(settings.PUBLIC_SCHEMA_NAME):  # a request above left a region's
        support = User.objects.create_user(
            email="pusat@example.org", password=iso.PASSWORD, platform_role="central_support"
        )
        Authenticator.objects.create(
            user=support, type=Authenticator.Type.TOTP, data={"secret": "x"}
        )
        console = Client(HTTP_HOST=settings.BASE_DOMAIN)
        console.force_login(support)
    return World(
        victim=victim,
        buol=buol,
        buol_host=buol_host,
        buol_session=iso.session_cookie(buol_host, attacker),
        buol_token=raw,
        console_session=str(console.cookies[settings.SESSION_COOKIE_NAME].value),
        support=support,
    )


def _report(capsys: pytest.CaptureFixture[str], name: str, tally: iso.Tally) -> None:
    with capsys.disabled():
        print(f"\nisolation: {name}: {tally.attempts} attempts, {len(tally.leaks)} leaks")
    assert not tally.leaks, "\n".join(tally.leaks[:50])


def _attack(world: World, side: str, *, host: str | None = None, **credentials: Any) -> iso.Tally:
    """Every attempt of one URLconf against the victim's host (or the console), with
    `credentials` (cookies= and headers), judged against an anonymous caller (or, on a host
    of the attacker's own, on the victim's data only)."""
    target = host or (world.victim.host if side == "region" else settings.BASE_DOMAIN)
    tried = iso.attempts(side, world.victim, Client(HTTP_HOST=target))
    refused = iso.anonymous_refusals(tried, target)
    if host is not None:
        refused = dict.fromkeys(refused, False)
    tally = iso.Tally()
    for attempt in tried:
        response = iso.send(attempt, target, **credentials)
        what = f"{attempt.method} {target}{attempt.path}"
        tally.check(what, response, refused[(attempt.method, attempt.path)])
    return tally


SESSION = settings.SESSION_COOKIE_NAME


@pytest.mark.parametrize("side", ["region", "console"])
def test_another_regions_session_is_honoured_nowhere(
    world: World, side: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tally = _attack(world, side, cookies={SESSION: world.buol_session})
    _report(capsys, f"buol session on {side}", tally)


@pytest.mark.parametrize("side", ["region", "console"])
def test_another_regions_api_token_is_honoured_nowhere(
    world: World, side: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for keyword in ("Token", "Bearer"):
        tally = _attack(world, side, HTTP_AUTHORIZATION=f"{keyword} {world.buol_token}")
        _report(capsys, f"buol API token ({keyword}) on {side}", tally)


def test_the_consoles_session_is_honoured_in_no_region(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    tally = _attack(world, "region", cookies={SESSION: world.console_session})
    _report(capsys, "console session in a region", tally)


@pytest.mark.parametrize("end", ["ended", "expired"])
def test_a_support_session_whose_grant_is_over_sees_nothing(
    world: World, end: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cookie = iso.support_session(world.victim.tenant, world.support, end=end)
    tally = _attack(world, "region", cookies={SESSION: cookie})
    _report(capsys, f"support session, grant {end}", tally)


def test_the_first_regions_object_ids_show_nothing_in_the_second(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    # buol's own admin, on buol's host, asks for medan's ids on every route
    tally = _attack(world, "region", host=world.buol_host, cookies={SESSION: world.buol_session})
    _report(capsys, "medan ids at buol", tally)


def _csrf_of(host: str, session: str) -> str:
    client = Client(HTTP_HOST=host)
    client.cookies[SESSION] = session
    page = client.get("/akun/token/").content.decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def test_another_regions_csrf_token_does_not_pass_in_the_first(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    """Cookie tossing: a sibling subdomain can set a cookie for the parent domain, so the
    CSRF token must be bound to the region's session, not merely equal to a cookie."""
    victim = world.victim
    token = _csrf_of(world.buol_host, world.buol_session)
    tally = iso.Tally()
    for attempt in iso.attempts("region", victim, Client(HTTP_HOST=victim.host)):
        if attempt.method not in iso.WRITE_METHODS:
            continue
        cookies = {SESSION: victim.session}
        bare = iso.send(attempt, victim.host, cookies=cookies).status_code
        if bare != 403:
            continue  # not guarded by CSRF (a token-only API, or a refusal before it)
        cookies[settings.CSRF_COOKIE_NAME] = token
        response = iso.send(attempt, victim.host, cookies=cookies, HTTP_X_CSRFTOKEN=token)
        tally.attempts += 1
        if response.status_code != 403:
            tally.leaks.append(f"{attempt.method} {attempt.path}: {response.status_code}")
    _report(capsys, "buol CSRF token in medan", tally)
    assert tally.attempts > 0


def test_hostile_host_headers_never_reach_the_first_region(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = world.victim
    tried = [
        a
        for a in iso.attempts("region", victim, Client(HTTP_HOST=victim.host))
        if a.method == "GET"
    ]
    tally = iso.Tally()
    cookies = {SESSION: victim.session}
    # The Host is resolved before any view runs: each path meets three of the hosts, in turn,
    # so every host is tried on a third of the paths, every path with three hosts.
    hosts = len(HOSTILE_HOSTS)
    for index, attempt in enumerate(tried):
        for host in (HOSTILE_HOSTS[(index * 3 + k) % hosts] for k in range(3)):
            response = iso.send(attempt, host, cookies=cookies)
            tally.check(f"Host {host} {attempt.path}", response, refused_anonymously=False)
            forwarded = iso.send(attempt, host, cookies=cookies, HTTP_X_FORWARDED_HOST=victim.host)
            tally.check(f"X-Forwarded-Host via {host} {attempt.path}", forwarded, False)
    _report(capsys, "hostile Host and X-Forwarded-Host", tally)


def _query_params(view_class: Any) -> list[str]:
    params = ["limit", "offset", "ordering", "search", "q"]
    if isinstance(view_class, type) and issubclass(view_class, ValidatedQueryMixin):
        params += list(view_class.query_serializer().fields)
    return params


def _body_fields(schema: dict[str, Any], path: str, method: str) -> list[str]:
    operation = schema["paths"].get(path, {}).get(method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return [
        name for name, spec in component.get("properties", {}).items() if not spec.get("readOnly")
    ]


def test_schema_names_and_sql_in_every_filter_and_field_reach_nothing(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.urls import resolve

    host = world.buol_host
    client = Client(HTTP_HOST=host)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    tally = iso.Tally()
    cookies = {SESSION: world.buol_session}
    for turn, attempt in enumerate(iso.attempts("region", world.victim, client)):
        if not attempt.path.startswith("/api/") or attempt.path.startswith("/api/schema/"):
            continue
        view_class = getattr(resolve(attempt.path, "saas.urls_tenant").func, "cls", None)
        schema_path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", attempt.route)
        for index, payload in enumerate(iso.SQL_PAYLOADS):
            if attempt.method == "GET":
                # the payload in every parameter at once, and alone in the parameters whose turn
                # it is (turns shift from one API to the next): each parameter meets one payload
                # alone and every payload together
                params = _query_params(view_class)
                count = len(iso.SQL_PAYLOADS)
                alone = [p for i, p in enumerate(params) if (i + turn) % count == index]
                for query in [dict.fromkeys(params, payload)] + [{p: payload} for p in alone]:
                    path = f"{attempt.path}?{urlencode(query)}"
                    got = iso.send(iso.Attempt("GET", path, attempt.route), host, cookies=cookies)
                    _judge(tally, f"GET {path}", got)
                continue
            fields = _body_fields(schema, schema_path, attempt.method)
            body = {name: payload for name in fields}
            writer = Client(HTTP_HOST=host, raise_request_exception=False)
            writer.cookies[SESSION] = world.buol_session
            answer = getattr(writer, attempt.method.lower())(
                attempt.path, body, content_type="application/json"
            )
            _judge(tally, f"{attempt.method} {attempt.path} {fields}", answer)
    _report(capsys, "schema names and SQL in filters and fields", tally)


def _judge(tally: iso.Tally, what: str, response: Any) -> None:
    tally.check(what, response, refused_anonymously=False)
    if response.status_code >= 500:
        tally.leaks.append(f"{what}: {response.status_code}")


HOSTILE_NAMES = (
    "../daerah_12_71/umum/x.pdf",
    "..%2fdaerah_12_71%2fx.pdf",
    "/daerah_12_71/umum/x.pdf",
    "daerah_12_71/umum/x.pdf",
    "..\\daerah_12_71\\x.pdf",
    "./../../x.pdf",
    "daerah_12_71.pdf",
)


def test_uploads_stay_under_their_own_regions_prefix(
    world: World, media_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = Client(HTTP_HOST=world.buol_host)
    client.cookies[SESSION] = world.buol_session
    tally = iso.Tally()
    for name in HOSTILE_NAMES:
        upload = _named_file(name)
        response = client.post("/api/berkas/", {"file": upload, "owner_app": "umum"})
        tally.check(f"upload {name!r}", response, refused_anonymously=False)
        if response.status_code >= 500:
            tally.leaks.append(f"upload {name!r}: {response.status_code}")
    # on the volume: one folder per region, and nothing new in the victim's
    for entry in media_root.iterdir():
        tally.attempts += 1
        if entry.name not in (world.buol.schema_name, world.victim.tenant.schema_name):
            tally.leaks.append(f"stored outside any region's prefix: {entry.name}")
    victim_storage = RegionFileStorage(schema_name=world.victim.tenant.schema_name)
    with schema_context(world.victim.tenant.schema_name):
        victim_file = StoredFile.objects.get(pk=world.victim.file_id)
        assert list(victim_storage.walk()) == [victim_file.path]
        with victim_storage.open(victim_file.path) as handle:
            if handle.read() != iso.PDF:
                tally.leaks.append("the victim's file changed")
    with schema_context(world.buol.schema_name):
        tally.attempts += 1
        if StoredFile.objects.count() != len(list(RegionFileStorage().walk())):
            tally.leaks.append("buol's rows and files disagree")
    _report(capsys, "upload names across regions", tally)


def _named_file(name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, iso.PDF, content_type="application/pdf")


def test_cache_keys_do_not_cross_regions(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    victim_schema = world.victim.tenant.schema_name
    tally = iso.Tally()
    for alias in settings.CACHES:
        cache = caches[alias]
        keys = ["k", f"{victim_schema}:k", f"{victim_schema}::1:k", "1:k", ":1:k"]
        with schema_context(victim_schema):
            for key in keys:
                cache.set(key, iso.MARK)
        for other in (world.buol.schema_name, settings.PUBLIC_SCHEMA_NAME):
            with schema_context(other):
                for key in keys:
                    tally.attempts += 1
                    if cache.get(key) == iso.MARK:
                        tally.leaks.append(f"{alias}: {key!r} read from {other}")
        with schema_context(victim_schema):
            assert cache.get("k") == iso.MARK  # the region still reads its own
            cache.delete_many(keys)
    _report(capsys, "cache keys", tally)


BAD_SCHEMAS: tuple[Any, ...] = (
    None,
    "",
    "daerah_99_99",
    "public; DROP SCHEMA daerah_12_71",
    "daerah_12_71,public",
    "pg_catalog",
    7271,
)


def test_a_celery_task_without_a_real_schema_is_refused(
    db: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    celery_app.loader.import_default_modules()  # autodiscovery, as a worker does at start
    tasks = [t for t in celery_app.tasks.values() if isinstance(t, TenantTask)]
    assert tasks, "no TenantTask registered"
    tally = iso.Tally()
    ran: list[Any] = []
    for task in tasks:
        monkeypatch.setattr(task, "run", lambda *a, **k: ran.append(k))
        for schema_name in BAD_SCHEMAS:
            kwargs = {} if schema_name is None else {"schema_name": schema_name}
            tally.attempts += 1
            with pytest.raises((TypeError, ValueError)):
                task(**kwargs)
            if ran:
                tally.leaks.append(f"{task.name} ran with {kwargs}")
                ran.clear()
    _report(capsys, "Celery tasks without a real schema", tally)


def test_the_victims_rows_are_untouched_after_every_attack(world: World) -> None:
    # a full write round with buol's credentials against medan, then medan's rows as they were
    for attempt in iso.attempts("region", world.victim, Client(HTTP_HOST=world.victim.host)):
        if attempt.method in iso.WRITE_METHODS:
            iso.send(attempt, world.victim.host, cookies={SESSION: world.buol_session})
            iso.send(attempt, world.victim.host, HTTP_AUTHORIZATION=f"Token {world.buol_token}")
    with schema_context(world.victim.tenant.schema_name):
        admin = User.objects.get(pk=world.victim.admin.pk)
        assert admin.is_active
        assert admin.role_assignments.count() == len(iso.Role.values)  # type: ignore[attr-defined]
        assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1
        assert StoredFile.objects.filter(pk=world.victim.file_id).exists()
