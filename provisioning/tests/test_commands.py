"""manage.py provision_region: the same service from the command line."""

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import BaseCommand
from django.db import connection

from provisioning.management.commands.provision_region import Command
from tenants.models import Domain, Tenant


def test_provisions_a_region_and_reports_it(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("provision_region", "72.10", admin_email="admin@sigi.example")

    out = capsys.readouterr().out
    assert "Kabupaten Sigi (72.10) provisioned" in out and "daerah_72_10" in out
    assert Tenant.objects.get(region_id="72.10").status == Tenant.Status.ACTIVE


def test_refusals_are_command_errors_with_the_reason(db: None, medan: Tenant) -> None:
    with pytest.raises(CommandError, match="409"):
        call_command("provision_region", "12.71", admin_email="a@medan.example")
    with pytest.raises(CommandError, match="400"):
        call_command("provision_region", "99.99", admin_email="a@b.example")


@pytest.mark.parametrize("leftover", ["schema", "domain"])
def test_a_schema_or_host_already_taken_is_a_clear_error_and_nothing_is_left(
    db: None, medan: Tenant, leftover: str
) -> None:
    # given the name Kabupaten Sigi would get is already taken, by a stray schema or a Host
    if leftover == "schema":
        with connection.cursor() as cursor:
            cursor.execute('CREATE SCHEMA "daerah_72_10"')
    else:
        Domain.objects.create(domain="sigi.localhost", tenant=medan, is_primary=False)
    # when it is provisioned from the command line, then the refusal names it (no traceback)
    with pytest.raises(CommandError, match="409") as refused:
        call_command("provision_region", "72.10", admin_email="admin@sigi.example")
    assert ("daerah_72_10" if leftover == "schema" else "sigi.localhost") in str(refused.value)
    # and no region was registered
    assert not Tenant.objects.filter(region_id="72.10").exists()


def test_help_describes_the_arguments() -> None:
    command: BaseCommand = Command()
    text = command.create_parser("manage.py", "provision_region").format_help()
    assert "kode_wilayah" in text and "--admin-email" in text
