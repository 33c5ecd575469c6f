"""Supporting documents of price requests (quotations, brochures), kept through apps.files."""

from apps.files.owners import FileOwner

OWNER_APP = "usulan_harga"

USULAN_OWNER = FileOwner(
    app=OWNER_APP,
    extensions=frozenset({"pdf", "png", "jpg", "jpeg", "xlsx"}),
    max_bytes=5 * 1024 * 1024,
)
