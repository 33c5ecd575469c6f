"""PDFs in the vendored Unicode font: DejaVu Sans (static/fonts/dejavu, with its licence),
embedded as a subset, so names outside Latin-1 print in every application's documents; a
character the font lacks is left out with a warning in the log rather than failing."""

from typing import Literal

from django.conf import settings
from fpdf import FPDF

FONT = "DejaVuSans"
FONT_DIR = settings.BASE_DIR / "static" / "fonts" / "dejavu"


def unicode_pdf(orientation: Literal["P", "L"] = "P") -> FPDF:
    """An A4 document with the vendored Unicode font under FONT (regular and bold)."""
    pdf = FPDF(orientation=orientation, format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    return pdf
