"""Times show in the region's own zone (WIB, WITA, WIT) on its pages, and in WIB on the console."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import Role
from apps.accounts.services.tokens import api_token_create
from tenants.models import Region, Tenant
from tenants.timezones import WIB, WIT, WITA, zone_name_for
from tests.pages import region_client

# Every province of the registry and the zone its clocks follow.
PROVINCE_ZONES = {
    **dict.fromkeys(["11", "12", "13", "14", "15", "16", "17", "18", "19", "21"], WIB),
    **dict.fromkeys(["31", "32", "33", "34", "35", "36", "61", "62"], WIB),
    **dict.fromkeys(["51", "52", "53", "63", "64", "65"], WITA),
    **dict.fromkeys(["71", "72", "73", "74", "75", "76"], WITA),
    **dict.fromkeys(["81", "82", "91", "92", "93", "94", "95", "96"], WIT),
}


def test_every_province_of_the_registry_has_its_zone(db: None) -> None:
    provinces = set(
        Region.objects.filter(tingkat=Region.Level.PROVINSI).values_list("kode", flat=True)
    )
    assert provinces == set(PROVINCE_ZONES)
    for kode, zone in PROVINCE_ZONES.items():
        assert zone_name_for(kode) == zone
        assert zone_name_for(f"{kode}.01") == zone  # any level below counts by its province


def test_no_code_means_wib() -> None:
    assert zone_name_for(None) == zone_name_for("") == WIB


@pytest.mark.parametrize(
    ("region", "shown"), [("medan", "01-02-2027 00:30"), ("buol", "01-02-2027 01:30")]
)
def test_region_pages_show_times_in_the_regions_zone(
    region: str, shown: str, request: pytest.FixtureRequest
) -> None:
    # given: a token made at 17:30 UTC in the region
    tenant: Tenant = request.getfixturevalue(region)
    client, user = region_client(tenant, Role.ADMIN)
    with schema_context(tenant.schema_name):
        token, _secret = api_token_create(user=user, name="integrasi")
        type(token).objects.filter(pk=token.pk).update(
            created_at=datetime(2027, 1, 31, 17, 30, tzinfo=UTC)
        )

    # when
    body = client.get("/akun/token/").content.decode()

    # then: the same instant on that region's clock: WIB in Medan, WITA in Buol
    assert shown in body


def test_a_request_leaves_the_zone_as_it_found_it(buol: Tenant) -> None:
    before = timezone.get_current_timezone_name()
    Client(HTTP_HOST="buol.localhost").get("/")
    assert timezone.get_current_timezone_name() == before
