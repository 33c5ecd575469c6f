"""The Kemendagri region registry shipped in data/wilayah, loaded once per database."""

from django.db import connection

from tenants.models import SLUG_VALIDATOR, Region, Tenant
from tenants.registry import region_registry_load, registry_checksum


def test_buol_is_a_kabupaten_under_sulawesi_tengah(db: None) -> None:
    buol = Region.objects.select_related("induk").get(kode="72.05")
    assert buol.nama == "Kabupaten Buol"
    assert buol.tingkat == Region.Level.KABUPATEN_KOTA
    assert not buol.is_kota
    assert buol.induk is not None
    assert (buol.induk.kode, buol.induk.nama) == ("72", "Sulawesi Tengah")
    assert buol.induk.tingkat == Region.Level.PROVINSI
    assert buol.slug == "buol"


def test_medan_is_a_kota_in_sumatera_utara(db: None) -> None:
    medan = Region.objects.select_related("induk").get(kode="12.71")
    assert medan.nama == "Kota Medan"
    assert medan.is_kota
    assert medan.induk is not None
    assert medan.induk.nama == "Sumatera Utara"
    assert medan.slug == "medan"


def test_session_tenants_carry_kind_and_province(medan: Tenant, buol: Tenant) -> None:
    assert medan.kind == Tenant.Kind.KOTA
    assert buol.kind == Tenant.Kind.KABUPATEN
    assert buol.province_id == "72"
    assert medan.province_id == "12"
    assert buol.schema_name == "daerah_72_05"
    assert buol.kode_wilayah == "72.05"


def test_the_whole_country_is_loaded(db: None) -> None:
    counts = {level: Region.objects.filter(tingkat=level).count() for level in Region.Level.values}
    assert counts == {
        Region.Level.PROVINSI: 38,
        Region.Level.KABUPATEN_KOTA: 514,
        Region.Level.KECAMATAN: 7285,
        Region.Level.DESA_KELURAHAN: 83762,
    }


def test_medan_and_buol_have_their_kecamatan_and_desa(db: None) -> None:
    assert Region.objects.filter(induk_id="12.71").count() == 21
    assert Region.objects.filter(induk_id="72.05").count() == 11
    assert Region.objects.filter(induk__induk_id="12.71").count() == 151
    assert Region.objects.filter(induk__induk_id="72.05").count() == 115


def test_every_region_hangs_off_the_level_above(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT child.kode FROM tenants_region child
            LEFT JOIN tenants_region parent ON parent.kode = child.kode_induk
            WHERE (child.tingkat = 'provinsi') <> (parent.kode IS NULL)
               OR (child.tingkat = 'kabupaten_kota' AND parent.tingkat <> 'provinsi')
               OR (child.tingkat = 'kecamatan' AND parent.tingkat <> 'kabupaten_kota')
               OR (child.tingkat = 'desa_kelurahan' AND parent.tingkat <> 'kecamatan')
               OR (child.kode_induk IS NOT NULL AND child.kode NOT LIKE child.kode_induk || '.%')
            LIMIT 5
            """
        )
        assert cursor.fetchall() == []


def test_a_second_load_changes_nothing(db: None) -> None:
    before = registry_checksum()
    assert region_registry_load() == 0
    assert registry_checksum() == before


def test_a_load_corrects_a_changed_row_in_place(db: None) -> None:
    Region.objects.filter(kode="72.05").update(nama="Kabupaten Salah", slug="salah")
    assert region_registry_load() == 1
    buol = Region.objects.get(kode="72.05")
    assert (buol.nama, buol.slug) == ("Kabupaten Buol", "buol")


def test_slugs_are_short_names(db: None) -> None:
    slugs = dict(
        Region.objects.filter(kode__in=["72.05", "12.71", "12.07"]).values_list("kode", "slug")
    )
    assert slugs == {"72.05": "buol", "12.71": "medan", "12.07": "deli-serdang"}


def test_colliding_names_get_kab_and_kota_prefixes(db: None) -> None:
    bandung = dict(
        Region.objects.filter(
            tingkat=Region.Level.KABUPATEN_KOTA, nama__in=["Kabupaten Bandung", "Kota Bandung"]
        ).values_list("nama", "slug")
    )
    assert bandung == {"Kabupaten Bandung": "kab-bandung", "Kota Bandung": "kota-bandung"}


def test_provinces_get_a_prov_prefix(db: None) -> None:
    assert Region.objects.get(kode="72").slug == "prov-sulawesi-tengah"


def test_every_routable_slug_is_a_unique_dns_label(db: None) -> None:
    routable = Region.objects.filter(
        tingkat__in=[Region.Level.PROVINSI, Region.Level.KABUPATEN_KOTA]
    ).values_list("slug", flat=True)
    slugs = list(routable)
    assert len(slugs) == 38 + 514
    assert len(set(slugs)) == len(slugs)
    for slug in slugs:
        SLUG_VALIDATOR(slug)
    assert not Region.objects.filter(tingkat=Region.Level.KECAMATAN).exclude(slug="").exists()
