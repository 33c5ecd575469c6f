"""The collection: each active region's latest frozen publications and its standard prices in
force, copied into public tables (through apps.portal.platform.crossschema only)."""

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from apps.portal.platform import crossschema
from apps.portal.platform.models import KoleksiDaerah, KoleksiHarga, KoleksiPublikasi
from apps.portal.population import penduduk
from tenants.models import Tenant


def normalised(text: str) -> str:
    """Lower case, punctuation dropped, runs of spaces as one: how names and units compare."""
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def price_key(nama: str, satuan: str) -> str:
    return f"{normalised(nama)}|{normalised(satuan)}"[:300]


@dataclass
class CollectionResult:
    regions: int = 0
    changed: int = 0
    publications: int = 0
    prices: int = 0
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _regions() -> list[Tenant]:
    return list(
        Tenant.objects.filter(status=Tenant.Status.ACTIVE)
        .exclude(kind=Tenant.Kind.TEMPLATE)
        .order_by("schema_name")
    )


def _host(tenant: Tenant) -> str:
    """The primary domain, from the prefetched domains when the caller prefetched them."""
    domains = tenant.domains.all()
    return next((d.domain for d in domains if d.is_primary), "")


DAERAH_FIELDS = ["schema_name", "kode_wilayah", "nama", "provinsi_kode", "host", "penduduk"]


def _daerah_upsert(
    tenants: Sequence[Tenant], prints: dict[str, tuple[str, str]], now: Any
) -> dict[str, KoleksiDaerah]:
    """Every ready region's row, inserted or refreshed in one statement per 500."""
    rows = [
        KoleksiDaerah(
            tenant=t,
            schema_name=t.schema_name,
            kode_wilayah=t.region_id or "",
            nama=t.name,
            provinsi_kode=t.province_id or (t.region_id or "")[:2],
            host=_host(t),
            penduduk=penduduk(t.region_id),
            sidik_publikasi=prints[t.schema_name][0],
            sidik_harga=prints[t.schema_name][1],
            dikumpulkan_pada=now,
        )
        for t in tenants
    ]
    KoleksiDaerah.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["tenant"],
        update_fields=[*DAERAH_FIELDS, "sidik_publikasi", "sidik_harga", "dikumpulkan_pada"],
    )
    return {k.schema_name: k for k in KoleksiDaerah.objects.filter(tenant__in=tenants)}


def _targets(daerah: dict[str, KoleksiDaerah], schemas: list[str]) -> list[tuple[str, int]]:
    return [(schema, daerah[schema].pk) for schema in schemas]


def _changed(
    ready: list[str], prints: dict[str, tuple[str, str]], known: dict[str, KoleksiDaerah]
) -> tuple[list[str], list[str]]:
    """The schemas whose publications, and whose prices, changed since they were collected."""
    pubs = [s for s in ready if s not in known or known[s].sidik_publikasi != prints[s][0]]
    prices = [s for s in ready if s not in known or known[s].sidik_harga != prints[s][1]]
    return pubs, prices


@transaction.atomic
def portal_collect(*, tenants: Sequence[Tenant] | None = None) -> CollectionResult:
    """Copy what changed since the last run (by fingerprint) for every active region (or for
    `tenants`); regions no longer active, or no longer holding the tables, are dropped. Each
    region's rows are replaced whole. Collections run one at a time (a transaction-scoped
    advisory lock): a second one waits, then finds nothing changed."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('portal.portal_collect'))")
    scope = list(tenants) if tenants is not None else _regions()
    prefetch_related_objects(scope, "domains")
    result = CollectionResult(regions=len(scope))
    by_schema = {t.schema_name: t for t in scope}
    ready = crossschema.portal_ready(list(by_schema))
    result.skipped = sorted(set(by_schema) - set(ready))
    prints = crossschema.fingerprints(ready)
    known = {k.schema_name: k for k in KoleksiDaerah.objects.filter(tenant__in=scope)}
    changed_pubs, changed_prices = _changed(ready, prints, known)
    stale = KoleksiDaerah.objects.exclude(tenant__in=[by_schema[s] for s in ready])
    (stale if tenants is None else stale.filter(tenant__in=scope)).delete()
    daerah = _daerah_upsert([by_schema[s] for s in ready], prints, timezone.now())
    # Each changed region's rows are replaced whole, in SQL (no row passes through Python).
    KoleksiPublikasi.objects.filter(daerah__schema_name__in=changed_pubs).delete()
    result.publications = crossschema.publications_copy(_targets(daerah, changed_pubs))
    KoleksiHarga.objects.filter(daerah__schema_name__in=changed_prices).delete()
    result.prices = crossschema.prices_copy(_targets(daerah, changed_prices))
    result.changed = len(set(changed_pubs) | set(changed_prices))
    result.seconds = time.perf_counter() - started
    return result
