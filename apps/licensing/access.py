"""Who may do what in perizinan: the role of each step and the file rules of documents and
issued permits (used by the services, the pages, the APIs and apps.files)."""

from typing import TYPE_CHECKING, Any

from apps.access.roles import is_support_session, missing_role_message, user_has_role
from apps.accounts.models import Role
from apps.files.owners import FileOwner
from apps.licensing.errors import LicensingRoleError
from apps.licensing.models import Step

if TYPE_CHECKING:
    from apps.files.models import StoredFile

FRONT = Role.PERIZINAN_FRONT.value
BACK = Role.PERIZINAN_BACK.value
KEPALA = Role.KEPALA_DPMPTSP.value
STAFF_ROLES = (FRONT, BACK, KEPALA)
READ_ROLES = (Role.INSPEKTORAT.value,)

STEP_ROLES: dict[str, tuple[str, ...]] = {
    Step.BERKAS: (FRONT,),
    Step.TEKNIS: (BACK,),
    Step.REKOMENDASI: (BACK,),
    Step.KEPUTUSAN: (KEPALA,),
    Step.SKRD: (BACK,),
    Step.PEMBAYARAN: (FRONT,),
    Step.PENERBITAN: (KEPALA,),
    Step.PENYERAHAN: (FRONT,),
}


def step_role_require(user: Any, step: str) -> None:
    """LicensingRoleError naming the role unless `user` may take `step`."""
    allowed = STEP_ROLES[step]
    if is_support_session(user) or not user_has_role(user, *allowed):
        raise LicensingRoleError(missing_role_message(allowed), field="role")


def steps_of(user: Any) -> list[str]:
    """The steps `user`'s roles take, in their order (the worklist's default filter)."""
    return [step for step, roles in STEP_ROLES.items() if user_has_role(user, *roles)]


def staff_require(user: Any, *roles: str) -> None:
    wanted = roles or STAFF_ROLES
    if is_support_session(user) or not user_has_role(user, *wanted):
        raise LicensingRoleError(missing_role_message(wanted), field="role")


def is_licensing_staff(user: Any) -> bool:
    return is_support_session(user) or user_has_role(user, *STAFF_ROLES, *READ_ROLES)


def _applicant_of(user: Any, stored: "StoredFile") -> bool:
    from apps.licensing.models import Dokumen, Izin

    if not getattr(user, "is_authenticated", False) or is_support_session(user):
        return False
    return (
        Dokumen.objects.filter(berkas=stored, permohonan__pemohon_id=user.pk).exists()
        or Izin.objects.filter(berkas=stored, permohonan__pemohon_id=user.pk).exists()
        or (stored.uploaded_by_id == user.pk and not Dokumen.objects.filter(berkas=stored).exists())
    )


def may_view_file(user: Any, stored: "StoredFile") -> bool:
    return is_licensing_staff(user) or _applicant_of(user, stored)


def may_upload_document(user: Any) -> bool:
    """Applicants (any signed-in person of the region) and the counter upload documents."""
    return bool(getattr(user, "is_authenticated", False)) and not is_support_session(user)


def may_upload_permit(user: Any) -> bool:
    return not is_support_session(user) and user_has_role(user, KEPALA)


DOCUMENT_OWNER = FileOwner(
    app="perizinan",
    may_view=may_view_file,
    may_upload=may_upload_document,
    extensions=frozenset({"pdf", "png", "jpg"}),
)
PERMIT_OWNER = FileOwner(
    app="izin_terbit",
    may_view=may_view_file,
    may_upload=may_upload_permit,
    extensions=frozenset({"pdf"}),
)
