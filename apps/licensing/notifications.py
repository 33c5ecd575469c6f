"""Emails to the applicant at each change of status they should know about, in Bahasa Indonesia
(the region's language, whatever the language of the staff member who took the step), with the
public tracking link and, for an applicant with an account, the links to act on. Sent after
commit; nothing is sent for an application without an email address."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.licensing.models import Permohonan
from tenants.db import schema_current
from tenants.models import Tenant

# event -> what happened, completing "Permohonan <nomor> (<jenis izin>) ..."
HEADLINES = {
    "diterima": "telah kami terima",
    "dikembalikan": "dikembalikan kepada Anda untuk dilengkapi",
    "ditolak": "ditolak",
    "skrd": "menunggu pembayaran retribusi",
    "terbit": "telah diterbitkan izinnya",
    "diserahkan": "selesai: izin telah diserahkan",
}


def _links(permohonan: Permohonan, event: str) -> dict[str, str]:
    from apps.accounts.services.invitations import site_base_url

    base = site_base_url(tenant=Tenant.objects.filter(schema_name=schema_current()).first())
    links = {"track_url": f"{base}{reverse('licensing-track')}?nomor={permohonan.nomor}"}
    if permohonan.pemohon_id is None:
        return links
    nomor = {"nomor": permohonan.nomor}
    links["receipt_url"] = base + reverse("licensing-receipt", kwargs=nomor)
    if event == "dikembalikan":
        links["resubmit_url"] = base + reverse("licensing-resubmit", kwargs=nomor)
    if event == "diserahkan":
        links["survey_url"] = base + reverse("licensing-survey", kwargs=nomor)
    return links


def notify(permohonan: Permohonan, event: str, *, catatan: str = "", **extra: Any) -> None:
    """Email the applicant about `event` (a key of HEADLINES) after commit."""
    if not permohonan.email_pemohon:
        return
    context = {
        "p": permohonan,
        "event": event,
        "headline": HEADLINES[event],
        "catatan": catatan,
        **_links(permohonan, event),
        **extra,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("licensing/email/status_subject.txt", context).strip()
        body = render_to_string("licensing/email/status_message.txt", context)
    to = [permohonan.email_pemohon]
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=True)
    )
