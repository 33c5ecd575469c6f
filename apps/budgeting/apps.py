from django.apps import AppConfig


class BudgetingConfig(AppConfig):
    """E-budgeting: KUA-PPAS ceilings, RKA-SKPD lines priced from standard prices, TAPD
    verification, enactment locked by PostgreSQL, revisions and their comparison."""

    name = "apps.budgeting"
    label = "budgeting"
    verbose_name = "Penganggaran"
