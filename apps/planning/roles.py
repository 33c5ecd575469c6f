"""Who may do what in e-planning, expressed through apps.access (no rules of its own)."""

from apps.accounts.models import Role

BAPPEDA = (Role.BAPPEDA,)
PLAN_WRITERS = (Role.BAPPEDA, Role.OPD_OPERATOR, Role.KEPALA_OPD)
PROPOSAL_WRITERS = (Role.OPERATOR_DESA, Role.OPERATOR_KECAMATAN, Role.BAPPEDA, Role.DPRD)
RECOMMENDERS = (Role.OPERATOR_KECAMATAN, Role.BAPPEDA)
# Everyone who works on or reads the plan (Inspektorat reads as an observer).
PLAN_READERS = (
    Role.ADMIN,
    Role.BAPPEDA,
    Role.OPD_OPERATOR,
    Role.KEPALA_OPD,
    Role.DPRD,
    Role.TAPD,
    Role.BPKAD,
    Role.OPERATOR_DESA,
    Role.OPERATOR_KECAMATAN,
)
