from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.planning.formatting import change_text, number_text, rupiah_text

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    return rupiah_text(value)


@register.filter
def angka(value: Any) -> str:
    return number_text(value)


# What a changed field is called on the diff and tracking pages.
CHANGE_LABELS = {
    "kode": _lazy("Kode"),
    "opd": _lazy("OPD"),
    "kecamatan": _lazy("Kecamatan"),
    "desa": _lazy("Desa/kelurahan"),
    "indikator": _lazy("Indikator keluaran"),
    "satuan": _lazy("Satuan"),
    "target": _lazy("Target tahun ini"),
    "target_berikut": _lazy("Target tahun berikutnya"),
    "pagu": _lazy("Pagu indikatif"),
    "pagu_berikut": _lazy("Pagu tahun berikutnya"),
    "sumber_dana": _lazy("Sumber dana"),
    "sasaran": _lazy("Sasaran RPJMD/Renstra yang didukung"),
    "program_prioritas": _lazy("Program prioritas RPJMD"),
    "rpjmd_sasaran": _lazy("Sasaran RPJMD"),
    "renstra_sasaran": _lazy("Sasaran Renstra OPD"),
    "indikator_lain": _lazy("Indikator keluaran lainnya"),
    "usulan": _lazy("Usulan"),
    "volume": _lazy("Volume"),
    "biaya": _lazy("Perkiraan biaya"),
}


@register.filter
def ubahan(value: Any, name: str) -> str:
    """One side of a changed field, readable (see apps.planning.formatting.change_text)."""
    return change_text(name, value)


@register.filter
def ubahan_label(name: str) -> str:
    return str(CHANGE_LABELS.get(name, name))


@register.filter
def persen(value: Any, total: Any) -> int:
    """A bar's width in percent of `total` (0 to 100)."""
    try:
        return max(0, min(100, round(float(value) * 100 / float(total)))) if total else 0
    except (TypeError, ValueError):
        return 0


@register.simple_tag
def plan_rows_html(rows: list[dict[str, Any]], may_write: bool) -> SafeString:
    """The <tr> of one kegiatan's sub kegiatan, built here rather than in the template: a
    3,000-row plan rendered through template tags cost more than the rest of the page."""
    everywhere, change = escape(_("Seluruh daerah")), escape(_("Ubah"))
    # one reverse for the page, the id put in afterwards
    edit = reverse("planning-entry-edit", args=[0]).rsplit("0", 1)
    out = []
    for row in rows:
        extra = row["indikator_lain"]
        indicators = "".join(["<br>" + escape(i["uraian"]) for i in extra])
        targets = "".join(
            [f"<br>{escape(number_text(i['target']))} {escape(i['satuan'])}" for i in extra]
        )
        out.append(
            f'<tr><td class="mono">{escape(row["kode"])}</td><td>{escape(row["nama"])}</td>'
            f"<td>{escape(row['indikator'])}{indicators}</td>"
            f"<td>{escape(number_text(row['target']))} {escape(row['satuan'])}{targets}</td>"
            f"<td>{escape(row['lokasi']) or everywhere}</td>"
            f'<td class="num">{escape(rupiah_text(row["pagu"]))}</td>'
            f"<td>{escape(row['opd_nama'])}</td><td>{escape(row['sumber_dana_nama'])}</td>"
        )
        if may_write:
            out.append(f'<td><a href="{edit[0]}{row["id"]}{edit[1]}">{change}</a></td>')
        out.append("</tr>")
    return mark_safe("".join(out))  # every value above is escaped
