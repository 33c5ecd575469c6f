"""The issued permit as a PDF (fpdf2, core fonts) with a QR code (segno) of its verification
URL on the region's host."""

import io
from datetime import date

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos


def _line(pdf: FPDF, height: int, text: str, center: bool = False) -> None:
    pdf.multi_cell(
        0, height, text, align="C" if center else "L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )


def _latin1(text: str) -> str:
    # The core fonts speak Latin-1: anything else becomes "?" rather than failing issuance.
    return text.encode("latin-1", "replace").decode("latin-1")


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=2)
    return buffer.getvalue()


def permit_pdf(
    *,
    region: str,
    nomor_izin: str,
    nama_izin: str,
    nomor_permohonan: str,
    pemegang: str,
    lokasi: str,
    diterbitkan: date,
    berlaku_sampai: date | None,
    penandatangan: str,
    verify_url: str,
) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creator("Berbagi")
    pdf.set_title(_latin1(f"Izin {nomor_izin}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    _line(pdf, 8, _latin1(f"PEMERINTAH {region.upper()}"), center=True)
    _line(pdf, 8, "DINAS PENANAMAN MODAL DAN PTSP", center=True)
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 13)
    _line(pdf, 8, _latin1(nama_izin.upper()), center=True)
    pdf.set_font("Helvetica", "", 11)
    _line(pdf, 7, _latin1(f"Nomor: {nomor_izin}"), center=True)
    pdf.ln(6)
    rows = [
        ("Nomor permohonan", nomor_permohonan),
        ("Pemegang izin", pemegang),
        ("Lokasi", lokasi or "-"),
        ("Tanggal terbit", diterbitkan.strftime("%d-%m-%Y")),
        (
            "Berlaku sampai",
            berlaku_sampai.strftime("%d-%m-%Y")
            if berlaku_sampai
            else "Selama kegiatan berlangsung sesuai ketentuan",
        ),
    ]
    for label, value in rows:
        pdf.cell(50, 7, _latin1(label))
        _line(pdf, 7, _latin1(f": {value}"))
    pdf.ln(8)
    _line(pdf, 7, "Ditandatangani secara elektronik oleh:")
    pdf.set_font("Helvetica", "B", 11)
    _line(pdf, 7, _latin1(penandatangan))
    pdf.set_font("Helvetica", "", 11)
    _line(pdf, 7, "Kepala DPMPTSP")
    pdf.ln(4)
    y = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(verify_url)), x=15, y=y, w=40, h=40)
    pdf.set_xy(60, y + 5)
    pdf.set_font("Helvetica", "", 9)
    _line(pdf, 5, _latin1(f"Pindai kode QR untuk memeriksa keaslian izin ini:\n{verify_url}"))
    return bytes(pdf.output())
