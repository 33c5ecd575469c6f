"""With the database down (issue 8.14), every URL of both URLconfs answers 503, never a 500:
JSON {field, message} under /api/, the styled page otherwise. Run in a fresh process whose
DATABASE_URL points at a port nobody listens on."""

from typing import Any

import pytest

from tests.processes import django_snippet_json

DEAD_DATABASE = {"DATABASE_URL": "postgres://berbagi:x@127.0.0.1:9/berbagi"}

# Requests every URL pattern on the console and in a region, once with the region's route
# still unknown (the failure comes from routing), once with routes warm and credentials sent
# (the failure comes from sessions, token authentication or the view).
SNIPPET = r"""
from django.test import Client
from apps.access.tests.urlwalk import routes
from tenants.models import Tenant
from tenants.routing import Route, routing_cache

def run(warm):
    out = []
    if warm:
        medan = Tenant(schema_name="daerah_12_71", name="Kota Medan", status="active")
        routing_cache.put("medan.localhost", Route(tenant=medan))
    for r in routes():
        host = "localhost" if r.side == "console" else "medan.localhost"
        client = Client(HTTP_HOST=host, raise_request_exception=False)
        extra = {}
        if warm:
            client.cookies["sessionid"] = "x" * 32
            extra["HTTP_AUTHORIZATION"] = "Token bbg_" + "x" * 40
        for method in ("get", "post"):
            response = getattr(client, method)(r.path, **extra)
            body = response.content.decode(errors="replace")
            out.append([warm, r.side, r.path, method, response.status_code,
                        response.get("Content-Type", ""), body[:2000]])
    return out

print(json.dumps(run(False) + run(True)))
"""


@pytest.fixture(scope="module")
def answers() -> list[list[Any]]:
    return list(django_snippet_json(SNIPPET, DEAD_DATABASE))


def test_no_url_answers_a_500(answers: list[list[Any]]) -> None:
    assert len(answers) > 100
    failures = [a[:5] for a in answers if a[4] >= 500 and a[4] != 503]
    assert failures == []


def test_apis_answer_json_503_naming_the_cause(answers: list[list[Any]]) -> None:
    apis = [a for a in answers if a[2].startswith("/api/") and a[0]]  # warm: credentials sent
    assert apis
    for _warm, _side, path, method, status, content_type, body in apis:
        assert status == 503, (path, method, status)
        assert content_type.startswith("application/json"), (path, content_type)
        assert "Basis data sementara tidak dapat dihubungi" in body


def test_pages_answer_the_styled_503_page(answers: list[list[Any]]) -> None:
    pages = [a for a in answers if a[4] == 503 and not a[2].startswith("/api/")]
    assert any(a[1] == "region" for a in pages) and any(a[1] == "console" for a in pages)
    for _warm, _side, path, _method, _status, content_type, body in pages:
        assert content_type.startswith("text/html"), path
        assert "Layanan sementara tidak tersedia" in body and "berbagi.css" in body
