"""Load reference data into one named schema: the whole starter release, a release directory,
or one CSV/XLSX file of one kind."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import schema_context, schema_exists

from apps.core.errors import ApplicationError
from apps.reference import services
from apps.reference.importers.kinds import KINDS


class Command(BaseCommand):
    help = (
        "Import reference data into the schema named by --schema (e.g. template_master or a "
        "region's schema). Without --file, applies a whole release (the starter release in "
        "data/reference/, or --release DIR with its release.json): new codes are added, changed "
        "ones updated, codes the release no longer lists are marked retired, never deleted. "
        "With --file and --kind, upserts one CSV or XLSX file by code and retires nothing. "
        "Headers may use the ministries' Indonesian variants (kode/kd, nama/uraian, harga "
        "satuan, kode rekening, ...). A malformed row stops the import with its file, line "
        "and reason, and nothing is changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schema", required=True, help="target schema, e.g. template_master or daerah_72_05"
        )
        parser.add_argument("--file", help="a .csv or .xlsx file to import (needs --kind)")
        parser.add_argument(
            "--kind",
            choices=sorted(KINDS),
            help="what --file holds: "
            + "; ".join(f"{name} = {kind.label}" for name, kind in KINDS.items()),
        )
        parser.add_argument(
            "--release",
            metavar="DIR",
            help="a release directory with release.json (default: the starter release)",
        )
        parser.add_argument(
            "--skip-unknown-accounts",
            action="store_true",
            help="with --kind harga: leave out prices whose account is not in the chart of "
            "accounts and list each with its line (by default such a row stops the import)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="re-apply the release even when the schema already holds it unchanged",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        schema = options["schema"]
        if not schema_exists(schema):
            raise CommandError(f"schema {schema!r} does not exist")
        if bool(options["file"]) != bool(options["kind"]):
            raise CommandError("--file and --kind go together")
        if options["file"] and options["release"]:
            raise CommandError("use either --file/--kind or --release")
        if options["skip_unknown_accounts"] and options["kind"] != "harga":
            raise CommandError("--skip-unknown-accounts goes with --kind harga")
        started = time.perf_counter()
        try:
            with schema_context(schema):
                if options["file"]:
                    loader = services.reference_import(
                        path=options["file"],
                        kind=options["kind"],
                        actor="manage.py import_reference",
                        skip_unknown_accounts=options["skip_unknown_accounts"],
                    )
                    for skipped in loader.skipped:
                        self.stderr.write(str(skipped))
                    summary = ", ".join(f"{k} {v}" for k, v in loader.changes.as_dict().items())
                    self.stdout.write(
                        f"{options['file']} ({options['kind']}) -> {schema}: {summary}"
                    )
                else:
                    release = services.reference_release_load(
                        path=options["release"],
                        actor="manage.py import_reference",
                        force=options["force"],
                    )
                    counts = release.jumlah
                    self.stdout.write(
                        f"release {release.versi} in {schema}: "
                        f"checksum {release.checksum_data[:16]}, "
                        f"{counts.get('nomenklatur', 0)} nomenklatur, "
                        f"{counts.get('rekening', 0)} rekening, "
                        f"{counts.get('harga', 0)} harga, {counts.get('izin', 0)} izin"
                    )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"done in {time.perf_counter() - started:.2f} s")
