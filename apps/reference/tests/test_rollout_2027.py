"""Release 2027.1 through the console's path: published into the master template as a template
version, rolled out to a region, which keeps what it already points to and refuses retired codes
for new records."""

import csv

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.core.errors import ApplicationError
from apps.reference import selectors
from apps.reference.errors import NomenklaturError
from apps.reference.models import Nomenklatur, ReferenceRelease, StandarHargaRekening
from apps.reference.services import (
    RELEASE_2027_DIR,
    reference_checksum,
    release_directories,
)
from provisioning import services
from provisioning.models import RolloutItem
from provisioning.services.versions import reference_diff_totals
from tenants.models import Tenant
from tests.pages import console_client


def _codes_2027() -> set[str]:
    codes: set[str] = set()
    for name in ("urusan_bidang.csv", "nomenklatur_kabkota_2027.csv"):
        with (RELEASE_2027_DIR / name).open(encoding="utf-8") as handle:
            codes |= {row["kode"] for row in csv.DictReader(handle)}
    return codes


def test_every_shipped_release_is_offered_oldest_first() -> None:
    assert list(release_directories())[:2] == ["2026.2", "2027.1"]
    assert release_directories()["2027.1"] == RELEASE_2027_DIR


def test_publishing_an_unknown_release_is_refused_before_anything_changes(db: None) -> None:
    with pytest.raises(ApplicationError) as caught:
        services.template_version_publish(label="uji-tak-dikenal", release="1999.9")
    assert caught.value.field == "release"


def test_a_region_rolled_to_2027_1_keeps_existing_references_and_refuses_retired_codes_for_new(
    priced: None, medan: Tenant
) -> None:
    # given Medan on 2026.2 with a price list pointing to its accounts and a current item
    # pointing to a kegiatan that 2027.1 withdraws
    with schema_context(medan.schema_name):
        withdrawn = (
            Nomenklatur.objects.filter(tingkat="sub_kegiatan", retired_at=None, kekhususan="")
            .exclude(kode__in=_codes_2027())
            .first()
        )
        assert withdrawn is not None
        links = set(StandarHargaRekening.objects.values_list("standar_harga_id", "rekening_id"))
        pointing = Nomenklatur.objects.filter(tingkat="sub_kegiatan", retired_at=None).exclude(
            pk=withdrawn.pk
        )[0]
        withdrawn_kegiatan = withdrawn.induk
    # when central support publishes a version carrying 2027.1 and rolls it out to Medan
    with schema_context("public"):  # the `loaded` fixture holds Medan's schema
        version = services.template_version_publish(label="uji-2027.1", release="2027.1")
        assert version.reference_release == "2027.1"
        job = services.rollout_run(
            job=services.rollout_create(template_version=version, schema_names=[medan.schema_name])
        )
        item = job.items.get()
    # then the region applied the diff, and the rollout shows its counts
    assert item.status == RolloutItem.Status.DONE, item.error
    totals = reference_diff_totals(item.reference)
    assert totals["added"] > 0 and totals["changed"] > 0 and totals["retired"] > 0
    with schema_context(medan.schema_name):
        release = ReferenceRelease.objects.order_by("-id").first()
        assert release is not None and release.versi == "2027.1"
        # what already pointed somewhere still does: nothing deleted, links intact
        kept = Nomenklatur.objects.get(pk=withdrawn.pk)
        assert kept.retired and kept.induk_id == withdrawn.induk_id
        assert set(StandarHargaRekening.objects.values_list("standar_harga_id", "rekening_id")) == (
            links
        )
        assert Nomenklatur.objects.filter(pk=pointing.pk).exists()
        # a retired code is refused for a new record (naming a successor when there is one)
        with pytest.raises(NomenklaturError):
            selectors.nomenklatur_for_new_record(kode=withdrawn.kode)
        assert not selectors.sub_kegiatan_available(region_kind="kota", province_code="12").filter(
            pk=withdrawn.pk
        )
        checksum = reference_checksum()
    # and the region holds the template's reference data (prices are the region's own)
    assert version.reference_checksum == checksum
    assert withdrawn_kegiatan is not None


def test_the_rollout_page_and_api_show_each_regions_reference_diff(db: None, medan: Tenant) -> None:
    with schema_context("public"):
        version = services.template_version_publish(label="uji-2027.1-hal", release="2027.1")
        job = services.rollout_run(
            job=services.rollout_create(template_version=version, schema_names=[medan.schema_name])
        )
        totals = reference_diff_totals(job.items.get().reference)
    client: Client = console_client("central_support")
    page = client.get(f"/operasi/rilis/{job.pk}/")
    assert page.status_code == 200
    expected = f"{totals['added']} / {totals['changed']} / {totals['retired']}"
    assert expected.encode() in page.content
    api = client.get(f"/api/operations/rollouts/{job.pk}/")
    assert api.status_code == 200
    assert api.json()["items"][0]["reference_diff"] == totals
