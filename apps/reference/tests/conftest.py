import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from apps.reference.models import ReferenceRelease
from apps.reference.services import STARTER_RELEASE_DIR, reference_diff_apply, reference_import
from tenants.models import Tenant


@pytest.fixture
def loaded(medan: Tenant) -> Iterator[ReferenceRelease]:
    """Medan's schema holding the starter release (rolled back with the test's transaction)."""
    with schema_context(medan.schema_name):
        yield reference_diff_apply(actor="uji")


@pytest.fixture
def release_copy(tmp_path: Path) -> Path:
    """A writable copy of the starter release to derive modified releases from."""
    target = tmp_path / "rilis"
    target.mkdir()
    for source in STARTER_RELEASE_DIR.iterdir():
        if source.suffix in (".csv", ".json"):
            shutil.copy(source, target / source.name)
    return target


@pytest.fixture
def priced(loaded: ReferenceRelease, medan: Tenant) -> Iterator[None]:
    """Medan with a small price list of its own (the 442-item sample, 2026)."""
    with schema_context(medan.schema_name):
        reference_import(
            path=STARTER_RELEASE_DIR / "standar_harga.csv",
            kind="harga",
            tahun=2026,
            dasar_hukum="Perwali Medan contoh",
        )
    yield None
