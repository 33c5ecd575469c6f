"""django-tenants' backend, minus the redundant `SET search_path` on every request.

django-tenants forgets the connection's search_path whenever a tenant is set, so every request
issues a SET even when the connection already points at that schema. Here the backend remembers
what the session really holds (it still forgets on rollback, savepoint rollback and close, where
PostgreSQL may have discarded the SET) and skips the statement when nothing changes: one SET per
connection or per schema switch. This relies on session-level search_path, so a transaction-mode
pooler must not sit in front of it (see README).
"""

from typing import Any

from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


class DatabaseWrapper(TenantDatabaseWrapper):
    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:
        held = self.search_path_set_schemas
        same_schema = (
            getattr(self, "schema_name", None) == tenant.schema_name
            and self.include_public_schema == include_public
        )
        if same_schema and held is not None:
            # Only the tenant object changes; the session's search_path is already right.
            self.tenant = tenant
            return
        super().set_tenant(tenant, include_public)

    def _handle_search_path(self, cursor: Any = None) -> None:
        # django-tenants issues the SET on every cursor unless TENANT_LIMIT_SET_CALLS is on; here
        # it is skipped whenever the session already holds this schema's search_path.
        if self.search_path_set_schemas is not None:
            return
        super()._handle_search_path(cursor)
