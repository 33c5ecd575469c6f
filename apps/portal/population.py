"""Population per provinsi and kabupaten/kota (Dukcapil, semester II 2024) from data/wilayah."""

import csv
from functools import lru_cache

from django.conf import settings

SOURCE = "penduduk_2024.csv"
SOURCE_LABEL = "Dukcapil, semester II 2024"


@lru_cache(maxsize=1)
def _table() -> dict[str, int]:
    with open(settings.DATA_DIR / "wilayah" / SOURCE, encoding="utf-8", newline="") as handle:
        return {row["kode"]: int(row["total"]) for row in csv.DictReader(handle)}


def penduduk(kode_wilayah: str | None) -> int | None:
    """The population of a region code, or None when the file does not list it."""
    return _table().get(kode_wilayah or "")
