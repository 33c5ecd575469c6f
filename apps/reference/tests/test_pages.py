"""The reference pages under /referensi/: readable by every region role, filters validated by
forms (garbage is a 400 with a message, never a 500), bounded paging, the price lists and the
report of what points to retired items."""

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django_tenants.utils import schema_context

from apps.accounts.models import Role
from apps.reference import page_urls, referencing
from apps.reference.forms import PAGE_SIZES, HargaFilterForm, NomenklaturFilterForm
from apps.reference.models import DaftarHarga, Nomenklatur, ReferenceRelease
from apps.reference.services import RELEASE_2027_DIR, reference_diff_apply
from tenants.models import Tenant
from tests.pages import region_client

URLCONF = "saas.urls_tenant"


@pytest.fixture
def rolled(loaded: ReferenceRelease, medan: Tenant) -> Iterator[ReferenceRelease]:
    """Medan on release 2027.1 (rolled back with the test)."""
    with schema_context(medan.schema_name):
        yield reference_diff_apply(path=RELEASE_2027_DIR, actor="uji")


def _page_paths(medan: Tenant) -> list[str]:
    """Every browsing page of apps/reference/page_urls.py, with real arguments (the
    standard-price request pages have their own role rules: test_usulan_web.py)."""
    with schema_context(medan.schema_name):
        kode = Nomenklatur.objects.filter(tingkat="kegiatan").values_list("kode", flat=True)[0]
        daftar = DaftarHarga.objects.first()
    paths = []
    for pattern in page_urls.urlpatterns:
        if pattern.callback.__module__.startswith("apps.reference.usulan"):
            continue
        name = str(pattern.name)
        if "kode" in str(pattern.pattern):
            paths.append(reverse(name, urlconf=URLCONF, args=[kode]))
        elif "pk" in str(pattern.pattern):
            assert daftar is not None
            paths.append(reverse(name, urlconf=URLCONF, args=[daftar.pk]))
        else:
            paths.append(reverse(name, urlconf=URLCONF))
    return paths


@pytest.mark.parametrize("role", Role.values)
def test_every_reference_page_is_readable_by_every_region_role(
    priced: None, medan: Tenant, role: str
) -> None:
    client, _user = region_client(medan, role)
    for path in _page_paths(medan):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b'lang="id"' in response.content or b"Nomenklatur" in response.content


def test_reference_pages_refuse_anonymous_visitors_and_people_without_a_role(
    priced: None, medan: Tenant
) -> None:
    anonymous = Client(HTTP_HOST="medan.localhost")
    nobody, _user = region_client(medan)
    for path in _page_paths(medan):
        assert anonymous.get(path).status_code == 302, path
        assert nobody.get(path).status_code == 403, path


GARBAGE = ["a\x00b", "x" * 5000, "9" * 40, "<script>", "-1", "sub kegiatan"]


def test_every_filter_of_every_page_answers_garbage_with_a_message_never_a_500(
    priced: None, medan: Tenant
) -> None:
    client, _user = region_client(medan, Role.BAPPEDA)
    fields = set(NomenklaturFilterForm.base_fields) | set(HargaFilterForm.base_fields)
    for path in _page_paths(medan):
        for field in sorted(fields):
            for value in GARBAGE:
                response = client.get(path, {field: value})
                assert response.status_code in (200, 400), (path, field, value)
                if response.status_code == 400 and "\x00" not in value:  # NUL: RequestGuard
                    assert b'role="alert"' in response.content, (path, field)


def test_the_page_size_is_bounded_and_a_page_past_the_end_shows_the_last(
    loaded: ReferenceRelease, medan: Tenant
) -> None:
    client, _user = region_client(medan, Role.DPRD)
    url = reverse("reference-page-nomenklatur", urlconf=URLCONF)
    assert client.get(url, {"per_halaman": "100000"}).status_code == 400
    assert client.get(url, {"halaman": "0"}).status_code == 400
    for size in PAGE_SIZES:
        response = client.get(url, {"per_halaman": str(size), "halaman": "9999"})
        assert response.status_code == 200
        page = response.context["page"]
        assert len(page.object_list) <= size and page.number == page.paginator.num_pages


def test_the_nomenclature_page_searches_and_filters_by_level_urusan_and_spm(
    rolled: ReferenceRelease, medan: Tenant
) -> None:
    client, _user = region_client(medan, Role.BAPPEDA)
    url = reverse("reference-page-nomenklatur", urlconf=URLCONF)
    # search by name, at sub kegiatan level, within bidang 1.02 (health)
    response = client.get(url, {"q": "rumah sakit", "tingkat": "sub_kegiatan", "urusan": "1.02"})
    assert response.status_code == 200
    items = [item for item, _ in response.context["items"]]
    assert items and all(i.tingkat == "sub_kegiatan" and i.kode.startswith("1.02.") for i in items)
    assert all("rumah sakit" in i.nama.lower() for i in items)
    assert items[0].indikator.encode() in response.content  # indicators are shown
    # SPM only
    spm = [item for item, _ in client.get(url, {"spm": "ya"}).context["items"]]
    assert spm and all(item.spm for item in spm)
    # a code prefix
    coded = [item for item, _ in client.get(url, {"q": "1.02.02"}).context["items"]]
    assert coded and all(item.kode.startswith("1.02.02") for item in coded)
    # the sub kegiatan page presets the level
    sub = client.get(reverse("reference-page-sub-kegiatan", urlconf=URLCONF))
    assert all(item.tingkat == "sub_kegiatan" for item, _ in sub.context["items"])


def test_retired_items_show_their_successor_and_only_on_request(
    rolled: ReferenceRelease, medan: Tenant
) -> None:
    client, _user = region_client(medan, Role.INSPEKTORAT)
    url = reverse("reference-page-nomenklatur", urlconf=URLCONF)
    with schema_context(medan.schema_name):
        moved = (
            Nomenklatur.objects.filter(retired_at=None, tingkat="sub_kegiatan")
            .exclude(kode_sebelumnya="")
            .filter(
                kode_sebelumnya__in=Nomenklatur.objects.filter(retired_at__isnull=False).values(
                    "kode"
                )
            )
            .first()
        )
    assert moved is not None
    # current only by default
    assert not client.get(url, {"q": moved.kode_sebelumnya}).context["items"] or all(
        not item.retired
        for item, _ in client.get(url, {"q": moved.kode_sebelumnya}).context["items"]
    )
    # retired on request, each with the successor from the previous-code mapping
    response = client.get(url, {"q": moved.kode_sebelumnya, "status": "pensiun"})
    pairs = dict((item.kode, successor) for item, successor in response.context["items"])
    assert pairs[moved.kode_sebelumnya] == moved
    assert moved.kode.encode() in response.content
    # the item's own page names the successor and its place in the tree
    detail = client.get(
        reverse("reference-page-item", urlconf=URLCONF, args=[moved.kode_sebelumnya])
    )
    assert detail.status_code == 200
    assert detail.context["successor"] == moved and detail.context["ancestors"]
    missing = client.get(reverse("reference-page-item", urlconf=URLCONF, args=["9.99.99"]))
    assert missing.status_code == 404


def test_price_list_pages_show_versions_items_accounts_and_amounts_in_rupiah(
    priced: None, medan: Tenant
) -> None:
    client, _user = region_client(medan, Role.OPD_OPERATOR)
    lists = client.get(reverse("reference-page-harga", urlconf=URLCONF))
    assert b"Perwali Medan contoh" in lists.content and b"2026" in lists.content
    with schema_context(medan.schema_name):
        daftar = DaftarHarga.objects.get()
    url = reverse("reference-page-daftar", urlconf=URLCONF, args=[daftar.pk])
    response = client.get(url, {"rekening": "5.1.02.01.01.0025"})
    assert response.status_code == 200
    items = list(response.context["page"].object_list)
    assert len(items) >= 5
    assert all(any(r.kode == "5.1.02.01.01.0025" for r in item.rekening.all()) for item in items)
    assert b"Rp " in response.content and b"5.1.02.01.01.0025" in response.content
    for jenis in ("SSH", "HSPK", "ASB", "SBU"):
        page = client.get(url, {"jenis": jenis}).context["page"]
        assert all(item.jenis == jenis for item in page.object_list)
    assert client.get(url, {"jenis": "XYZ"}).status_code == 400
    other = client.get(reverse("reference-page-daftar", urlconf=URLCONF, args=[daftar.pk + 999]))
    assert other.status_code == 404


def test_the_chart_of_accounts_page_filters_by_level(
    loaded: ReferenceRelease, medan: Tenant
) -> None:
    client, _user = region_client(medan, Role.BPKAD)
    url = reverse("reference-page-rekening", urlconf=URLCONF)
    response = client.get(url, {"q": "5.1.02", "tingkat": "sub_rincian_objek"})
    rows = list(response.context["page"].object_list)
    assert rows and all(
        r.tingkat == "sub_rincian_objek" and r.kode.startswith("5.1.02") for r in rows
    )


def test_the_retired_report_lists_what_points_to_retired_items_with_successors(
    rolled: ReferenceRelease, medan: Tenant
) -> None:
    with schema_context(medan.schema_name):
        # given a current item whose parent a release retired (as a plan entry would point)
        retired = Nomenklatur.objects.filter(retired_at__isnull=False, tingkat="kegiatan").first()
        assert retired is not None
        child = Nomenklatur.objects.filter(tingkat="sub_kegiatan", retired_at=None).first()
        assert child is not None
        Nomenklatur.objects.filter(pk=child.pk).update(induk=retired)
        # when
        rows = referencing.retired_references()
    # then the row is listed with the suggested successor
    row = next(
        r
        for r in rows
        if r.row == str(Nomenklatur.objects.none().model(kode=child.kode, nama=child.nama))
    )
    assert row.kode == retired.kode
    with schema_context(medan.schema_name):
        from apps.reference.selectors import nomenklatur_successor

        assert row.successor == nomenklatur_successor(kode=retired.kode)
    client, _user = region_client(medan, Role.DPRD)
    page = client.get(reverse("reference-page-retired", urlconf=URLCONF))
    assert page.status_code == 200 and retired.kode.encode() in page.content
    api = client.get("/api/reference/pensiun/")
    assert api.status_code == 200
    assert any(entry["kode"] == retired.kode for entry in api.json()["results"])


def test_an_app_registers_its_referencing_fields_and_only_reference_targets_are_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(referencing, "REGISTRY", list(referencing.REGISTRY))
    before = len(referencing.REGISTRY)
    entry = referencing.referencing_field_register(
        model="reference.PerangkatDaerah", field="induk", label="OPD induk"
    )
    referencing.referencing_field_register(
        model="reference.PerangkatDaerah", field="induk", label="OPD induk"
    )
    assert referencing.REGISTRY[-1] == entry and len(referencing.REGISTRY) == before + 1
    with pytest.raises(ValueError):
        referencing.referencing_field_register(
            model="reference.StandarHarga", field="daftar", label="x"
        )


def test_the_nomenclature_page_sends_the_same_statements_whatever_the_page_size(
    rolled: ReferenceRelease, medan: Tenant
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, _user = region_client(medan, Role.BAPPEDA)
    url = reverse("reference-page-nomenklatur", urlconf=URLCONF)
    client.get(url)  # the session's first request
    counts = []
    for size in PAGE_SIZES:  # retired rows only: their successors come in bulk
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"status": "pensiun", "per_halaman": str(size)})
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert len(set(counts)) == 1 and counts[0] <= 15, counts


def test_a_region_without_a_release_is_brought_through_every_shipped_release_in_order(
    loaded: ReferenceRelease, medan: Tenant
) -> None:
    from apps.reference.services import reference_release_upgrade

    with schema_context(medan.schema_name):
        ReferenceRelease.objects.all().delete()
        steps = reference_release_upgrade(versi="2027.1", actor="uji")
        assert [release.versi for release in steps] == ["2026.2", "2027.1"]
        # already there: only the target again, which changes nothing
        again = reference_release_upgrade(versi="2027.1", actor="uji")
        assert [release.versi for release in again] == ["2027.1"]
        assert not any(again[0].perubahan["nomenklatur"][k] for k in ("ditambah", "dipensiunkan"))


def test_bulk_successors_agree_with_the_single_rule_for_every_retired_code(
    rolled: ReferenceRelease, medan: Tenant
) -> None:
    from apps.reference.selectors import nomenklatur_successor, nomenklatur_successors

    with schema_context(medan.schema_name):
        retired = list(
            Nomenklatur.objects.filter(retired_at__isnull=False).values_list("kode", flat=True)
        )
        assert retired
        bulk = nomenklatur_successors(kodes=retired)
        single = {kode: nomenklatur_successor(kode=kode) for kode in retired}
    assert bulk == {kode: item for kode, item in single.items() if item is not None}
