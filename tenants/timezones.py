"""Which of Indonesia's three time zones a region lives in, from its province code.

WIB (UTC+7): Sumatra, Java, Kalimantan Barat and Tengah; WITA (UTC+8): Bali, Nusa Tenggara,
Kalimantan Selatan, Timur and Utara, Sulawesi; WIT (UTC+9): Maluku and Papua. The console, and a
region without a code, show WIB.
"""

from zoneinfo import ZoneInfo

WIB = "Asia/Jakarta"
WITA = "Asia/Makassar"
WIT = "Asia/Jayapura"

_WITA_PROVINCES = frozenset(
    {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
)
_WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})


def zone_name_for(kode_wilayah: str | None) -> str:
    """The IANA zone of a kode wilayah (any level: only the province's two digits count)."""
    province = (kode_wilayah or "")[:2]
    if province in _WIT_PROVINCES:
        return WIT
    if province in _WITA_PROVINCES:
        return WITA
    return WIB


def zone_for(kode_wilayah: str | None) -> ZoneInfo:
    return ZoneInfo(zone_name_for(kode_wilayah))
