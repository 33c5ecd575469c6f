"""Demo publications (`platform_prepare --demo`): what a region's admin daerah would publish,
through the publication service, so the portal and the console have something to show."""

from django.db.models import Max
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import Role, User
from apps.core.errors import ApplicationError
from apps.planning.models import Proposal
from apps.portal.models import Publikasi
from apps.portal.services import publikasi_publish
from tenants.models import Tenant


def _years(jenis: str) -> list[int]:
    """The years to try, newest first: the proposals' year for Musrenbang; otherwise next year
    (the demo plans and budgets next year) and then this one."""
    if jenis == "musrenbang":
        found = Proposal.objects.aggregate(t=Max("tahun"))["t"]
        return [int(found or timezone.localdate().year)]
    this_year = timezone.localdate().year
    return [this_year + 1, this_year]


def portal_demo(*, tenant: Tenant, kinds: tuple[str, ...]) -> list[str]:
    """Publish each kind once (skipped when already published or when its provider refuses,
    e.g. an RKPD not yet enacted); returns what was published."""
    done: list[str] = []
    with schema_context(tenant.schema_name):
        admin = User.objects.filter(role_assignments__role=Role.ADMIN).order_by("id").first()
        if admin is None:
            return done
        for jenis in kinds:
            if Publikasi.objects.filter(jenis=jenis).exists():
                continue
            for tahun in _years(jenis):
                try:
                    publikasi = publikasi_publish(
                        actor=admin,
                        jenis=jenis,
                        tahun=tahun,
                        kode_wilayah=str(tenant.region_id or ""),
                    )
                except ApplicationError:
                    continue
                done.append(str(publikasi))
                break
    return done
