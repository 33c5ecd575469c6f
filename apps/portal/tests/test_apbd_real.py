"""The `apbd` document from the real e-budgeting: refused until the year is enacted, then the
enacted lines to the sen on the portal; the price drill-down lists the lines that used a price."""

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum
from django.utils import timezone

from apps.budgeting.models import Rincian
from apps.budgeting.tests.conftest import Budget, budget, fill_and_enact  # noqa: F401
from apps.planning.tests.conftest import YEAR, client_as
from apps.portal.errors import PortalError
from apps.portal.platform.models import KoleksiDaerah
from apps.portal.platform.selectors import price_drilldown
from apps.portal.services import publikasi_publish
from tenants.models import Tenant

pytestmark = pytest.mark.django_db(transaction=False)


def test_an_apbd_is_refused_before_enactment_and_then_published_to_the_sen(
    budget: Budget,  # noqa: F811
    admin: Any,
) -> None:
    with pytest.raises(PortalError) as refused:
        publikasi_publish(actor=admin, jenis="apbd", tahun=YEAR, kode_wilayah="12.71")
    assert refused.value.field == "tahun"
    fill_and_enact(budget)
    publikasi = publikasi_publish(actor=admin, jenis="apbd", tahun=YEAR, kode_wilayah="12.71")
    data = json.loads(publikasi.isi)["data"]
    belanja = Rincian.objects.filter(versi=budget.versi).aggregate(s=Sum("jumlah"))["s"]
    assert belanja and Decimal(data["belanja"]) == belanja
    assert sum(Decimal(row["jumlah"]) for row in data["per_opd"]) == belanja
    assert sum(Decimal(row["jumlah"]) for row in data["per_urusan"]) == belanja
    page = client_as(budget.tenant, None).get(f"/portal/apbd/{YEAR}/")
    assert page.status_code == 200
    shown = f"{belanja:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    assert shown in page.content.decode()


def test_the_price_drilldown_lists_the_enacted_lines_that_used_the_price(
    budget: Budget,  # noqa: F811
) -> None:
    made = fill_and_enact(budget)
    kode = made[1].kode_harga
    tenant = Tenant.objects.get(pk=budget.tenant.pk)
    daerah = KoleksiDaerah.objects.create(
        tenant=tenant,
        schema_name=tenant.schema_name,
        nama=str(tenant.name),
        dikumpulkan_pada=timezone.now(),
    )
    drill = price_drilldown(daerah=daerah, kode=kode, tahun=YEAR)
    expected = set(
        Rincian.objects.filter(versi=budget.versi, kode_harga=kode).values_list("id", flat=True)
    )
    assert expected and {line["id"] for line in drill["lines"]} == expected
