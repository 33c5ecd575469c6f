"""The collection copies only what regions published (and their prices in force) into public;
the console pages and the price comparison read only what it wrote."""

from decimal import Decimal
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.accounts.models import Role, RoleAssignment, User
from apps.portal.platform.models import KoleksiDaerah, KoleksiHarga, KoleksiPublikasi
from apps.portal.platform.selectors import price_comparison
from apps.portal.platform.services import portal_collect, price_key
from apps.portal.services import publikasi_publish
from apps.reference.models import StandarHarga
from apps.reference.price_lists import daftar_harga_create, daftar_harga_enact
from tenants.models import Tenant

YEAR = 2031
CONSOLE = settings.BASE_DOMAIN


@pytest.fixture
def apbd_provider(apbd_provider_test_double: dict[str, Any]) -> dict[str, Any]:
    return apbd_provider_test_double


def _admin(tenant: Tenant) -> User:
    user = User.objects.create_user(email=f"admin-portal@{tenant.schema_name}.test")
    RoleAssignment.objects.create(user=user, role=Role.ADMIN)
    return user


def _prices(tenant: Tenant, items: list[tuple[str, str, str, str]], *, enact: bool = True) -> None:
    """A price list of YEAR in `tenant`: (kode, nama, satuan, harga) rows, enacted or a draft."""
    with schema_context(tenant.schema_name):
        daftar = daftar_harga_create(tahun=YEAR)
        StandarHarga.objects.bulk_create(
            StandarHarga(daftar=daftar, jenis="SSH", kode=k, nama=n, satuan=s, harga=Decimal(h))
            for k, n, s, h in items
        )
        if enact:
            daftar_harga_enact(daftar=daftar, jumlah=len(items))


def _publish_apbd(tenant: Tenant) -> None:
    with schema_context(tenant.schema_name):
        publikasi_publish(
            actor=_admin(tenant), jenis="apbd", tahun=YEAR, kode_wilayah=str(tenant.region_id)
        )


def test_only_published_documents_and_enacted_prices_are_collected(
    medan: Tenant, buol: Tenant, apbd_provider: dict[str, Any]
) -> None:
    # given Medan published its APBD and enacted a price list; Buol has only a draft list
    _publish_apbd(medan)
    _prices(medan, [("1.1.7.01", "Kertas HVS A4", "rim", "55000.00")])
    _prices(buol, [("1.1.7.01", "Kertas HVS A4", "rim", "999999.00")], enact=False)
    # when collected
    result = portal_collect(tenants=[medan, buol])
    # then
    assert result.skipped == []
    docs = KoleksiPublikasi.objects.filter(tahun=YEAR)
    assert [(d.daerah.tenant_id, d.jenis) for d in docs] == [(medan.pk, "apbd")]
    assert docs[0].isi["data"]["belanja"] == "5300000000.10"
    prices = KoleksiHarga.objects.filter(tahun=YEAR)
    assert [(p.daerah.tenant_id, p.harga) for p in prices] == [(medan.pk, Decimal("55000.00"))]


def test_a_second_run_copies_only_what_changed(
    medan: Tenant, buol: Tenant, apbd_provider: dict[str, Any]
) -> None:
    _prices(medan, [("1.1.7.01", "Kertas HVS A4", "rim", "55000.00")])
    first = portal_collect(tenants=[medan, buol])
    assert first.changed == 2
    again = portal_collect(tenants=[medan, buol])
    assert again.changed == 0 and again.prices == 0
    _publish_apbd(buol)
    third = portal_collect(tenants=[medan, buol])
    assert third.changed == 1 and third.publications == 1


def test_the_comparison_reads_only_what_the_collection_wrote(medan: Tenant, buol: Tenant) -> None:
    _prices(medan, [("1.1.7.01", "Kertas HVS A4", "rim", "55000.00")])
    _prices(buol, [("1.1.7.01", "Kertas HVS A4", "rim", "60000.00")])
    portal_collect(tenants=[medan, buol])
    # a price changed in the region after the collection is not seen until the next run
    with schema_context(buol.schema_name):
        StandarHarga.objects.filter(kode="1.1.7.01", daftar__tahun=YEAR).update(harga=1)
    with CaptureQueriesContext(connection) as queries:
        items = price_comparison(tahun=YEAR, provinces=None)
    schemas = (medan.schema_name, buol.schema_name)
    assert not any(s in q["sql"] for q in queries.captured_queries for s in schemas)
    (item,) = [i for i in items if i.kode == "1.1.7.01"]
    assert sorted(p.harga for p in item.prices) == [Decimal("55000.00"), Decimal("60000.00")]


def _collected(rows: list[tuple[Tenant, str, str, str, str]]) -> None:
    """KoleksiHarga rows as the collection writes them (for regions made here)."""
    for tenant, kode, nama, satuan, harga in rows:
        daerah, _ = KoleksiDaerah.objects.get_or_create(
            tenant=tenant,
            defaults={
                "schema_name": tenant.schema_name,
                "nama": tenant.name,
                "provinsi_kode": str(tenant.province_id or ""),
                "dikumpulkan_pada": "2031-01-01T00:00:00Z",
            },
        )
        KoleksiHarga.objects.create(
            daerah=daerah, tahun=YEAR, jenis="SSH", kode=kode, nama=nama, satuan=satuan,
            kunci=price_key(nama, satuan), harga=Decimal(harga),
        )  # fmt: skip


def _third_region() -> Tenant:
    template = Tenant.objects.get(kind=Tenant.Kind.TEMPLATE)
    return Tenant.objects.create(
        schema_name="daerah_uji_portal", name="Kabupaten Uji", kind=Tenant.Kind.KABUPATEN,
        slug="uji-portal", status=Tenant.Status.ACTIVE, province_id=template.province_id,
    )  # fmt: skip


def test_an_outlier_is_flagged_and_a_price_within_the_multiple_is_not(
    medan: Tenant, buol: Tenant
) -> None:
    third = _third_region()
    _collected(
        [
            (medan, "1.1.7.01", "Kertas HVS A4", "rim", "50000"),
            (buol, "1.1.7.01", "Kertas HVS A4", "rim", "140000"),  # 2.8 x median: within 3
            (third, "1.1.7.01", "Kertas HVS A4", "rim", "160000"),  # 3.2 x median: flagged
        ]
    )
    # median of 50,000 / 140,000 / 160,000 is 140,000: nothing above 3x
    (item,) = price_comparison(tahun=YEAR, provinces=None)
    assert item.median == Decimal("140000.00") and item.flagged == []
    KoleksiHarga.objects.filter(daerah__tenant=third).update(harga=Decimal("450000"))
    (item,) = price_comparison(tahun=YEAR, provinces=None)
    assert [p.daerah.tenant_id for p in item.flagged] == [third.pk]
    assert all(p.harga <= item.median * 3 for p in item.prices if p not in item.flagged)


def test_items_match_by_normalised_name_and_unit_where_codes_differ(
    medan: Tenant, buol: Tenant
) -> None:
    _collected(
        [
            (medan, "1.1.7.01", "Kertas HVS  A4", "Rim", "50000"),
            (buol, "9.9.9.99", "kertas hvs a4.", "rim", "52000"),
            (buol, "1.1.7.02", "Kertas HVS A4", "lembar", "500"),  # another unit: another item
        ]
    )
    items = price_comparison(tahun=YEAR, provinces=None)
    assert len(items) == 1
    assert {p.kode for p in items[0].prices} == {"1.1.7.01", "9.9.9.99"}


def test_the_landing_and_province_pages_are_anonymous_and_show_the_data_date(
    medan: Tenant, buol: Tenant, apbd_provider: dict[str, Any]
) -> None:
    _publish_apbd(medan)
    portal_collect(tenants=[medan, buol])
    client = Client(HTTP_HOST=CONSOLE)
    landing = client.get("/transparansi/")
    assert landing.status_code == 200
    assert medan.name.encode() in landing.content and buol.name.encode() in landing.content
    assert b'id="portal-data-date"' in landing.content
    province = client.get(f"/transparansi/provinsi/{medan.province_id}/")
    assert province.status_code == 200 and medan.name.encode() in province.content
    assert b"24,5%" in province.content or b"24.5%" in province.content  # 1.3 of 5.3 bn modal
    assert client.get("/transparansi/provinsi/99/").status_code == 404


def test_unpublished_data_of_one_region_reaches_neither_another_portal_nor_the_landing(
    medan: Tenant, buol: Tenant, apbd_provider: dict[str, Any]
) -> None:
    # Buol publishes; Medan has an unpublished (draft) plan-free state and a draft price list
    _publish_apbd(buol)
    _prices(medan, [("7.7.7.77", "Barang rahasia Medan", "unit", "123456.00")], enact=False)
    portal_collect(tenants=[medan, buol])
    landing = Client(HTTP_HOST=CONSOLE).get("/transparansi/").content
    assert b"rahasia" not in landing
    assert not KoleksiPublikasi.objects.filter(daerah__tenant=medan).exists()
    medan_host = medan.get_primary_domain().domain  # type: ignore[union-attr]
    api = Client(HTTP_HOST=medan_host).get("/api/publik/v1/dokumen/").json()
    assert api["dokumen"] == []  # Buol's publication is Buol's only
    assert Client(HTTP_HOST=medan_host).get(f"/portal/apbd/{YEAR}/").status_code == 404


def test_prices_are_closed_to_anonymous_and_scoped_to_a_provincial_admins_province(
    medan: Tenant, buol: Tenant
) -> None:
    _collected(
        [
            (medan, "1.1.7.01", "Kertas HVS A4", "rim", "50000"),
            (buol, "1.1.7.01", "Kertas HVS A4", "rim", "52000"),
        ]
    )
    client = Client(HTTP_HOST=CONSOLE)
    assert client.get("/operasi/harga/").status_code == 302
    for role, province, seen in (("provincial_admin", "72", False), ("central_support", "", True)):
        user = User.objects.create_user(
            email=f"{role}@example.org", platform_role=role, province_code=province
        )
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "X"})
        client.force_login(user)
        page = client.get(f"/operasi/harga/?tahun={YEAR}")
        # Buol alone (province 72) prices nothing twice; the whole country compares it
        assert page.status_code == 200
        assert (b"1.1.7.01" in page.content) is seen, role


def test_inspektorat_compares_prices_of_its_province_on_the_region_host(
    medan: Tenant, buol: Tenant
) -> None:
    _collected(
        [
            (medan, "1.1.7.01", "Kertas HVS A4", "rim", "50000"),
            (buol, "1.1.7.01", "Kertas HVS A4", "rim", "52000"),
        ]
    )
    host = buol.get_primary_domain().domain  # type: ignore[union-attr]
    with schema_context(buol.schema_name):
        user = User.objects.create_user(email="inspektorat@buol.test")
        RoleAssignment.objects.create(user=user, role=Role.INSPEKTORAT)
    client = Client(HTTP_HOST=host)
    assert client.get("/portal/harga/").status_code == 302
    client.force_login(user)
    page = client.get(f"/portal/harga/?tahun={YEAR}")
    assert page.status_code == 200
    # Medan (province 12) is not in Buol's province (72): no item priced in two regions
    assert b"1.1.7.01" not in page.content
    daerah = KoleksiDaerah.objects.get(tenant=buol)
    drill = client.get(f"/portal/harga/{daerah.pk}/1.1.7.01/?tahun={YEAR}")
    assert drill.status_code == 200 and b"52.000" in drill.content
    other = KoleksiDaerah.objects.get(tenant=medan)
    assert client.get(f"/portal/harga/{other.pk}/1.1.7.01/?tahun={YEAR}").status_code == 404


def test_a_region_no_longer_active_leaves_the_collection(
    medan: Tenant, buol: Tenant, apbd_provider: dict[str, Any]
) -> None:
    _publish_apbd(buol)
    portal_collect()
    assert KoleksiPublikasi.objects.filter(daerah__tenant=buol).exists()
    Tenant.objects.filter(pk=buol.pk).update(status=Tenant.Status.SUSPENDED)
    result = portal_collect()
    assert result.changed == 0
    assert not KoleksiDaerah.objects.filter(tenant=buol).exists()
    assert KoleksiDaerah.objects.filter(tenant=medan).exists()
    assert not KoleksiPublikasi.objects.filter(daerah__tenant=buol).exists()
