"""The chain head shown on the portal verifies against the region's audit chain by following,
step by step, what the portal's verification page tells anyone to do."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django_tenants.utils import schema_context

from apps.audit.models import AuditChainHead
from apps.audit.platform.services import ObservedHead, chain_heads_publish
from apps.planning.tests.conftest import YEAR, client_as
from apps.portal.services import publikasi_publish
from tenants.models import Tenant

GENESIS = "0" * 64


def _canonical(entry: dict[str, Any]) -> bytes:
    """Step 3: the keys named on the page, sorted, no spaces, UTF-8, created_at in UTC."""
    created = datetime.fromisoformat(entry["created_at"]).astimezone(UTC)
    document = {
        "seq": entry["seq"],
        "created_at": created.isoformat(timespec="microseconds"),
        "actor_id": entry["actor_id"],
        "actor_label": entry["actor_label"],
        "action": entry["action"],
        "target_type": entry["target_type"],
        "target_id": entry["target_id"],
        "target_label": entry["target_label"],
        "changes": entry["changes"],
        "prev_hash": entry["prev_hash"],
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _all_entries(client: Any) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    url: str | None = "/api/audit/entries/?limit=100"
    while url:
        page = client.get(url).json()
        rows = page["results"] if isinstance(page, dict) else page
        entries += rows
        url = page.get("next") if isinstance(page, dict) else None
    return sorted(entries, key=lambda e: e["seq"])


def test_a_published_head_verifies_with_the_documented_steps(
    in_medan: Tenant, admin: Any, person: Any, apbd_provider_test_double: dict[str, Any]
) -> None:
    publikasi = publikasi_publish(actor=admin, jenis="apbd", tahun=YEAR, kode_wilayah="12.71")
    inspektorat = person("inspektorat")
    head = AuditChainHead.objects.get()
    with schema_context("public"):
        chain_heads_publish(
            tenants=[in_medan], heads={in_medan.schema_name: ObservedHead(head.seq, head.hash)}
        )
    page = client_as(in_medan, None).get("/portal/rantai-audit/")
    assert page.status_code == 200 and head.hash.encode() in page.content
    assert b'id="portal-steps"' in page.content
    # step 1: the latest head from the public API
    heads = client_as(in_medan, None).get("/api/publik/v1/rantai-audit/").json()["kepala"]
    seq, expected = heads[0]["seq"], heads[0]["hash"]
    # step 2: the entries 1..N, as Inspektorat reads them
    entries = [e for e in _all_entries(client_as(in_medan, inspektorat)) if e["seq"] <= seq]
    assert [e["seq"] for e in entries] == list(range(1, seq + 1))
    # steps 3-5: each entry hashes to its hash and links to the one before
    previous = GENESIS
    for entry in entries:
        assert entry["prev_hash"] == previous, entry["seq"]
        assert hashlib.sha256(_canonical(entry)).hexdigest() == entry["hash"], entry["seq"]
        previous = entry["hash"]
    # step 6: the last one is the published head
    assert previous == expected
    # step 7: the document's bytes hash to the sha256 its publication entry carries
    raw = client_as(in_medan, None).get(f"/api/publik/v1/dokumen/apbd/{YEAR}/isi/?versi=1").content
    published = [e for e in entries if e["action"] == "portal.published"]
    assert published[-1]["changes"]["sha256"] == hashlib.sha256(raw).hexdigest() == publikasi.sha256


def test_a_tampered_entry_fails_the_documented_steps(
    in_medan: Tenant, admin: Any, person: Any, apbd_provider_test_double: dict[str, Any]
) -> None:
    publikasi_publish(actor=admin, jenis="apbd", tahun=YEAR, kode_wilayah="12.71")
    entries = _all_entries(client_as(in_medan, person("inspektorat")))
    forged = {**entries[-1], "changes": {**entries[-1]["changes"], "versi": 99}}
    assert hashlib.sha256(_canonical(forged)).hexdigest() != forged["hash"]
