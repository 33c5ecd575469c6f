"""Fixtures of the portal's tests: Kota Medan with a plan year (planning's fixtures), people,
and an `apbd` provider test double with amounts chosen to the sen (the real provider, over an
enacted budget, is tested in test_apbd_real.py)."""

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from apps.accounts.models import Role
from apps.planning.tests.conftest import (  # noqa: F401  (fixtures shared with planning's tests)
    DINKES,
    DISDIK,
    in_medan,
    media_root,
    person,
    stages,
)
from apps.portal import providers
from apps.portal.documents import apbd_document

# A summary shaped exactly as apps.budgeting's `apbd_summary(tahun)` returns it, with sen.
APBD_SUMMARY_TEST_DOUBLE: dict[str, Any] = {
    "tahun": 2027,
    "versi": "Perda 2026/12",
    "ditetapkan_pada": None,
    "pendapatan": Decimal("5123456789.55"),
    "belanja": Decimal("5300000000.10"),
    "surplus_defisit": Decimal("-176543210.55"),
    "penerimaan_pembiayaan": Decimal("200000000.00"),
    "pengeluaran_pembiayaan": Decimal("23456789.45"),
    "pembiayaan_neto": Decimal("176543210.55"),
    "silpa": Decimal("0.00"),
    "per_urusan": [
        {"kode": "1.01", "nama": "Pendidikan", "jumlah": Decimal("2000000000.05")},
        {"kode": "1.02", "nama": "Kesehatan", "jumlah": Decimal("3300000000.05")},
    ],
    "per_opd": [
        {"kode": DISDIK, "nama": "Dinas Pendidikan", "jumlah": Decimal("2000000000.05")},
        {"kode": DINKES, "nama": "Dinas Kesehatan", "jumlah": Decimal("3300000000.05")},
    ],
    "per_kelompok": [
        {"kode": "5.1", "nama": "Belanja operasi", "jumlah": Decimal("4000000000.10")},
        {"kode": "5.2", "nama": "Belanja modal", "jumlah": Decimal("1300000000.00")},
    ],
}  # fmt: skip


@pytest.fixture
def apbd_provider_test_double() -> Iterator[dict[str, Any]]:
    """Registers an `apbd` provider returning APBD_SUMMARY_TEST_DOUBLE (a copy the test may
    change before publishing); the real provider is put back afterwards."""
    summary = dict(APBD_SUMMARY_TEST_DOUBLE)

    def provider(tahun: int) -> Any:
        return apbd_document({**summary, "tahun": tahun})

    real = providers.PROVIDERS.get("apbd")
    providers.provider_register("apbd", provider)
    yield summary
    if real is not None:
        providers.provider_register("apbd", real)


@pytest.fixture
def admin(person: Callable[..., Any]) -> Any:  # noqa: F811
    return person(Role.ADMIN)
