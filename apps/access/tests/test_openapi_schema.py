"""The OpenAPI schema is generated once per URLconf, version and language and then served from
memory; an unknown language shares the default's entry, so no query grows the cache."""

from typing import Any

import pytest
from django.test import Client

from apps.access import openapi
from tenants.models import Tenant


def _host(tenant: Tenant) -> str:
    domain = tenant.get_primary_domain()
    assert domain is not None
    return str(domain.domain)


def test_the_schema_is_generated_once_per_language_and_served_from_memory(
    medan: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    openapi._schemas_clear()
    made: list[Any] = []
    generate = openapi.ApiSchemaView.generator_class.get_schema

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        made.append(kwargs.get("request"))
        return generate(self, *args, **kwargs)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(openapi.ApiSchemaView.generator_class, "get_schema", counting)
    client = Client(HTTP_HOST=_host(medan))
    first = client.get("/api/schema/", {"format": "json"})
    again = client.get("/api/schema/", {"format": "json"})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and "/api/perencanaan/entri/" in str(first.json())
    assert len(made) == 1
    for garbage in ("xx", "zz-qq", "id"):  # unknown languages share the default's entry
        assert client.get("/api/schema/", {"format": "json", "lang": garbage}).status_code == 200
    assert len(made) == 1
    english = client.get("/api/schema/", {"format": "json", "lang": "en"})
    assert english.status_code == 200 and len(made) == 2
    console = Client(HTTP_HOST="localhost").get("/api/schema/", {"format": "json"})
    assert console.status_code == 200 and len(made) == 3  # the console's URLconf: its own
    assert "/api/perencanaan/entri/" not in str(console.json())
    assert len(openapi._SCHEMAS) == 3
