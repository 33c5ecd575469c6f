"""Who may do what in e-budgeting, expressed through apps.access (no rules of its own)."""

from apps.accounts.models import Role

DRAFTERS = (Role.OPD_OPERATOR,)
SUBMITTERS = (Role.KEPALA_OPD,)
VERIFIERS = (Role.TAPD,)
ENACTORS = (Role.BPKAD,)
# KUA-PPAS ceilings, revenue and financing: TAPD or BPKAD.
TREASURY = (Role.TAPD, Role.BPKAD)
# Everyone who works on or reads the budget (Inspektorat reads as an observer).
BUDGET_READERS = (
    Role.ADMIN,
    Role.BAPPEDA,
    Role.OPD_OPERATOR,
    Role.KEPALA_OPD,
    Role.TAPD,
    Role.BPKAD,
    Role.DPRD,
)
