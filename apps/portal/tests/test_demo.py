"""The demo publishes what a region admin would, once; a kind its provider refuses is skipped."""

from typing import Any

from django.db import connection
from django_tenants.utils import schema_context

from apps.portal.demo import portal_demo
from apps.portal.models import Publikasi
from tenants.models import Tenant


def test_the_demo_publishes_each_kind_once_and_skips_an_unenacted_rkpd(
    in_medan: Tenant, admin: Any
) -> None:
    published = portal_demo(tenant=in_medan, kinds=("rkpd", "musrenbang", "perizinan"))
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    assert len(published) == 2
    again = portal_demo(tenant=in_medan, kinds=("rkpd", "musrenbang", "perizinan"))
    assert again == []
    with schema_context(in_medan.schema_name):
        kinds = sorted(Publikasi.objects.values_list("jenis", flat=True))
    assert kinds == ["musrenbang", "perizinan"]
