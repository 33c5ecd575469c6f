"""What a signed-in person has to do, for the home page: tasks with links, per role.

Region roles come from the person's role assignments in that region; platform roles from
User.platform_role on the console. A task whose page is not installed is left out (its URL does
not reverse), so the list only ever links to pages that exist.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.access.roles import is_support_session, user_roles
from apps.accounts.models import Role, User


@dataclass(frozen=True)
class Task:
    text: str
    url: str


_Spec = tuple[Promise, str]

_USERS = (_("Undang staf daerah dan tetapkan peran mereka"), "accounts-users")
_SUPPORT_GRANTS = (_("Tinjau akses dukungan pusat ke daerah ini"), "accounts-users")
_TOKENS = (_("Buat token API untuk aplikasi yang terhubung"), "accounts-tokens")
_AUDIT = (_("Periksa jejak audit daerah"), "audit-entry-list")
_NOMENKLATUR = (
    _("Telusuri nomenklatur perencanaan (urusan sampai sub kegiatan)"),
    "reference-page-nomenklatur",
)
_SUB_KEGIATAN = (_("Cari sub kegiatan yang dapat direncanakan"), "reference-page-sub-kegiatan")
_REKENING = (_("Telusuri kode rekening (bagan akun)"), "reference-page-rekening")
_HARGA = (_("Cari standar harga (SSH, HSPK, ASB, SBU)"), "reference-page-harga")
_SUMBER_DANA = (_("Lihat daftar sumber dana"), "reference-page-dana")
_OPD = (_("Lihat daftar perangkat daerah (OPD)"), "reference-page-opd")
_IZIN = (_("Lihat jenis izin, persyaratan dan standar pelayanannya"), "reference-page-izin")
_RENCANA = (_("Susun dan telusuri rencana kerja (RKPD/Renja)"), "planning-plan")
_MUSRENBANG = (_("Catat dan tinjau usulan Musrenbang"), "planning-musrenbang")

REGION_TASKS: dict[str, tuple[_Spec, ...]] = {
    Role.ADMIN.value: (_USERS, _SUPPORT_GRANTS, _AUDIT, _OPD),
    Role.BAPPEDA.value: (_RENCANA, _MUSRENBANG, _NOMENKLATUR, _SUB_KEGIATAN, _OPD),
    Role.OPD_OPERATOR.value: (_RENCANA, _SUB_KEGIATAN, _HARGA, _REKENING),
    Role.KEPALA_OPD.value: (_RENCANA, _SUB_KEGIATAN, _REKENING, _HARGA),
    Role.TAPD.value: (_REKENING, _HARGA, _SUMBER_DANA, _OPD),
    Role.BPKAD.value: (_REKENING, _SUMBER_DANA, _HARGA),
    Role.PERIZINAN_FRONT.value: (_IZIN,),
    Role.PERIZINAN_BACK.value: (_IZIN,),
    Role.KEPALA_DPMPTSP.value: (_IZIN, _OPD),
    Role.DPRD.value: (_NOMENKLATUR, _OPD),
    Role.INSPEKTORAT.value: (_AUDIT, _NOMENKLATUR, _REKENING),
    Role.OPERATOR_KECAMATAN.value: (_MUSRENBANG,),
    Role.OPERATOR_DESA.value: (_MUSRENBANG,),
}
SUPPORT_SESSION_TASKS: tuple[_Spec, ...] = (_AUDIT, _NOMENKLATUR, _OPD)

PLATFORM_TASKS: dict[str, tuple[_Spec, ...]] = {
    User.PlatformRole.CENTRAL_SUPPORT.value: (
        (_("Pantau kesehatan, versi dan galat setiap daerah"), "console:overview"),
        (_("Terbitkan versi templat dan terapkan ke daerah"), "console:releases"),
        (_("Siapkan daerah baru dari daftar wilayah"), "provisioning-console"),
        (_("Buka akses dukungan ke sebuah daerah"), "support-console"),
        (_("Undang staf platform"), "staff-invitations"),
    ),
    User.PlatformRole.PROVINCIAL_ADMIN.value: (
        (
            _("Siapkan kabupaten/kota di provinsi Anda dan undang admin pertamanya"),
            "provisioning-console",
        ),
        (_("Pantau daerah di provinsi Anda"), "console:overview"),
    ),
}


def _tasks(specs: tuple[_Spec, ...]) -> list[Task]:
    tasks: list[Task] = []
    for text, name in specs:
        try:
            url = reverse(name)
        except NoReverseMatch:  # that app is not installed here
            continue
        task = Task(text=str(text), url=url)
        if task not in tasks:
            tasks.append(task)
    return tasks


def region_tasks(user: Any) -> list[Task]:
    """The tasks of every role the person holds in this region, in the order roles are listed;
    a support session gets the read-only ones. Everyone may manage their own API tokens."""
    if is_support_session(user):
        return _tasks(SUPPORT_SESSION_TASKS)
    held = user_roles(user)
    specs = tuple(spec for role in Role.values if role in held for spec in REGION_TASKS[role])
    return _tasks((*specs, _TOKENS)) if held else []


def platform_tasks(user: Any) -> list[Task]:
    return _tasks(PLATFORM_TASKS.get(getattr(user, "platform_role", ""), ()))
