"""The tenancy map on one screen: which apps live in public, which in every region's schema."""

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "provisioning",
    "apps.audit.platform",
    # Public side of the transparency portal: what the collection copies out of the regions.
    "apps.portal.platform",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "apps.accounts",
    # Public-only identity (console records): never in a region's schema.
    "apps.platform",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

# Apps whose tables exist in every region schema (and in the master template).
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "apps.accounts",
    "django.contrib.sessions",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "apps.audit",
    "apps.wilayah",
    "apps.reference",
    "apps.files",
    "apps.licensing",
    "apps.planning",
    "apps.budgeting",
    "apps.portal",
]

INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

# Platform users in public, regional staff in each region's schema: the same model, two places.
AUTH_USER_MODEL = "accounts.User"

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# The master template: a real schema registered as a Tenant row that never gets a Domain,
# so migrate_schemas reaches it like any region and provisioning clones it.
TEMPLATE_SCHEMA_NAME = "template_master"

DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
ROOT_URLCONF = "saas.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "saas.urls_public"
