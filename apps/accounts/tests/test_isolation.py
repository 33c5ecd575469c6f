"""Sessions and API tokens belong to one host and schema; replayed elsewhere they are refused."""

from datetime import timedelta
from typing import Any

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.accounts.middleware import SESSION_SCHEMA_KEY
from apps.accounts.models import ApiToken, Role
from apps.accounts.services import api_token_create
from apps.accounts.tests.conftest import CONSOLE, MakeUser, client_on, signed_in
from tenants.models import Tenant


def test_session_cookie_has_no_parent_domain(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    user = make_user("a@medan.go.id", schema=medan, roles=[Role.ADMIN])
    client = signed_in(medan_host, user)
    cookie = client.cookies["sessionid"]
    assert cookie["domain"] == ""
    assert cookie["httponly"]
    # the CSRF secret lives in the region's session (CSRF_USE_SESSIONS): no cookie to toss
    assert "csrftoken" not in client_on(medan_host).get("/akun/login/").cookies


def test_a_session_cookie_replayed_at_another_region_is_rejected(
    make_user: MakeUser, medan: Tenant, buol: Tenant, medan_host: str, buol_host: str
) -> None:
    # given: the same email exists in both regions, signed in at Medan
    user = make_user("same@example.id", schema=medan, roles=[Role.ADMIN])
    make_user("same@example.id", schema=buol, roles=[Role.ADMIN])
    medan_client = signed_in(medan_host, user)
    stolen = medan_client.cookies["sessionid"].value
    # when: the cookie is sent to Buol and to the console
    for host in (buol_host, CONSOLE):
        thief = Client(HTTP_HOST=host)
        thief.cookies["sessionid"] = stolen
        # then: anonymous there
        assert thief.get("/api/akun/saya/").status_code == 401
    thief = Client(HTTP_HOST=buol_host)
    thief.cookies["sessionid"] = stolen
    page = thief.get("/akun/pengguna/")
    assert page.status_code == 302
    assert medan_client.get("/api/akun/saya/").status_code == 200


def test_a_session_bound_to_another_schema_is_flushed_even_if_its_row_exists(
    make_user: MakeUser, medan: Tenant, buol: Tenant, buol_host: str
) -> None:
    # given: a session row in Buol's table claiming to be Medan's (a copied row)
    buol_user = make_user("same@example.id", schema=buol, roles=[Role.ADMIN])
    with schema_context(buol.schema_name):
        store = SessionStore()
        store["_auth_user_id"] = str(buol_user.pk)
        store["_auth_user_backend"] = "allauth.account.auth_backends.AuthenticationBackend"
        store["_auth_user_hash"] = buol_user.get_session_auth_hash()
        store[SESSION_SCHEMA_KEY] = medan.schema_name
        store.create()
    assert store.session_key is not None
    client = Client(HTTP_HOST=buol_host)
    client.cookies["sessionid"] = store.session_key
    # then
    assert client.get("/api/akun/saya/").status_code == 401
    with schema_context(buol.schema_name):
        assert not SessionStore().exists(store.session_key)


def test_a_token_works_only_in_its_region_and_until_revoked(
    make_user: MakeUser, medan: Tenant, buol: Tenant, medan_host: str, buol_host: str
) -> None:
    user = make_user("api@medan.go.id", schema=medan, roles=[Role.BAPPEDA])
    make_user("api@medan.go.id", schema=buol, roles=[Role.BAPPEDA])
    session = signed_in(medan_host, user)
    created = session.post(
        "/api/akun/token/", {"name": "integrasi"}, content_type="application/json"
    )
    assert created.status_code == 201
    key = created.json()["key"]
    with schema_context(medan.schema_name):
        stored = ApiToken.objects.get(pk=created.json()["id"])
    assert key not in (stored.key_hash, stored.prefix)
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client_on(medan_host).get("/api/akun/saya/", **auth).json()["email"] == user.email
    at_buol = client_on(buol_host).get("/api/akun/saya/", **auth)
    assert at_buol.status_code == 401
    assert "tidak valid" in at_buol.json()["message"]
    assert client_on(CONSOLE).get("/api/akun/saya/", **auth).status_code == 401
    listed = session.get("/api/akun/token/").json()
    assert [t["name"] for t in listed] == ["integrasi"]
    assert "key" not in listed[0]
    assert session.delete(f"/api/akun/token/{created.json()['id']}/").status_code == 204
    revoked = client_on(medan_host).get("/api/akun/saya/", **auth)
    assert revoked.status_code == 401
    assert "dicabut" in revoked.json()["message"]


def test_a_token_row_copied_into_another_schema_is_still_refused(
    make_user: MakeUser, medan: Tenant, buol: Tenant, medan_host: str, buol_host: str
) -> None:
    user = make_user("api@medan.go.id", schema=medan)
    twin = make_user("api@medan.go.id", schema=buol)
    created = signed_in(medan_host, user).post(
        "/api/akun/token/", {"name": "x"}, content_type="application/json"
    )
    key = created.json()["key"]
    with schema_context(medan.schema_name):
        row = ApiToken.objects.get(pk=created.json()["id"])
    with schema_context(buol.schema_name):
        ApiToken.objects.create(
            user=twin,
            name="copy",
            prefix=row.prefix,
            key_hash=row.key_hash,
            schema_name=row.schema_name,
        )
    assert (
        client_on(buol_host).get("/api/akun/saya/", HTTP_AUTHORIZATION=f"Token {key}").status_code
        == 401
    )


def test_owners_see_and_revoke_only_their_own_tokens(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    alice = signed_in(medan_host, make_user("alice@medan.go.id", schema=medan))
    bob = signed_in(medan_host, make_user("bob@medan.go.id", schema=medan))
    token_id = alice.post(
        "/api/akun/token/", {"name": "a"}, content_type="application/json"
    ).json()["id"]
    assert bob.get("/api/akun/token/").json() == []
    assert bob.delete(f"/api/akun/token/{token_id}/").status_code == 404
    page = alice.post("/akun/token/", {"name": "dari halaman"})
    assert page.status_code == 200
    assert "bbg_" in page.content.decode()


def test_a_deactivated_owner_token_is_refused(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    user = make_user("api@medan.go.id", schema=medan)
    key = (
        signed_in(medan_host, user)
        .post("/api/akun/token/", {"name": "x"}, content_type="application/json")
        .json()["key"]
    )
    with schema_context(medan.schema_name):
        type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert (
        client_on(medan_host).get("/api/akun/saya/", HTTP_AUTHORIZATION=f"Token {key}").status_code
        == 401
    )


def test_a_tokens_last_use_is_written_at_most_once_an_hour(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    # given a token used once (its last use written)
    user = make_user("jam@medan.go.id", schema=medan, roles=[Role.BAPPEDA])
    with schema_context(medan.schema_name):
        token, key = api_token_create(user=user, name="integrasi")
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client_on(medan_host).get("/api/akun/saya/", **auth).status_code == 200
    with schema_context(medan.schema_name):
        first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None

    # when it is used again within the hour, no write; past the hour, one
    with CaptureQueriesContext(connection) as queries:
        assert client_on(medan_host).get("/api/akun/saya/", **auth).status_code == 200
    assert not [q for q in queries if q["sql"].startswith('UPDATE "accounts_apitoken"')]
    with schema_context(medan.schema_name):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=61))
    assert client_on(medan_host).get("/api/akun/saya/", **auth).status_code == 200
    with schema_context(medan.schema_name):
        later = ApiToken.objects.get(pk=token.pk).last_used_at
    assert later is not None and later > first
