"""manage.py import_reference."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from apps.reference.models import PerangkatDaerah
from tenants.models import Tenant


def test_imports_one_file_into_the_named_schema(
    medan: Tenant, buol: Tenant, tmp_path: Path
) -> None:
    path = tmp_path / "opd.csv"
    # a code that is not among the default OPD every region gets from the template
    path.write_text("Kode OPD,Nama OPD,Singkatan\n2.18.0.00.0.00.09.0000,DPMPTSP Uji,DPMPTSP\n")
    out = StringIO()
    call_command(
        "import_reference", schema=medan.schema_name, file=str(path), kind="opd", stdout=out
    )
    assert "ditambah 1" in out.getvalue()
    with schema_context(medan.schema_name):
        assert PerangkatDaerah.objects.get(kode="2.18.0.00.0.00.09.0000").nama == "DPMPTSP Uji"
    with schema_context(buol.schema_name):
        assert not PerangkatDaerah.objects.filter(nama="DPMPTSP Uji").exists()


def test_a_bad_file_is_a_command_error_with_file_and_line(medan: Tenant, tmp_path: Path) -> None:
    path = tmp_path / "dana.csv"
    path.write_text("kode,nama\n1,PAD\nA.1,Salah\n")
    with pytest.raises(CommandError, match=r"dana.csv, baris 3: kode 'A.1'"):
        call_command(
            "import_reference", schema=medan.schema_name, file=str(path), kind="sumber_dana"
        )


def test_loads_the_starter_release(medan: Tenant) -> None:
    out = StringIO()
    call_command("import_reference", schema=medan.schema_name, stdout=out)
    assert "4702 rekening" in out.getvalue()


def test_an_unknown_schema_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_reference", schema="tidak_ada")
