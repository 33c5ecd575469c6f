"""Who may read a region's audit log: its admin, Inspektorat (observer) and support sessions."""

from apps.access.drf import region_roles
from apps.accounts.models import Role

# Read-only API: writes never happen through it, so the write roles only name who may read.
CanReadAuditLog = region_roles(Role.ADMIN)
