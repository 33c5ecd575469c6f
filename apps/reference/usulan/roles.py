"""Who proposes, approves and reads standard-price requests."""

from apps.accounts.models import Role
from apps.reference.models import PersetujuanHarga

PROPOSERS = (Role.OPD_OPERATOR, Role.KEPALA_OPD)
# Each approving role and the approval it gives; both are needed, from two different people.
APPROVERS = {Role.BPKAD: PersetujuanHarga.Peran.BPKAD, Role.TAPD: PersetujuanHarga.Peran.TAPD}
DECIDERS = tuple(APPROVERS)
# Besides proposers (their own OPD only) and deciders; Inspektorat reads as an observer.
READERS = (Role.ADMIN, Role.BAPPEDA)
