"""Every committed change to tenants or domains notifies all processes to drop their routes."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION public.tenant_routing_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('tenant_routing', TG_TABLE_NAME);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tenant_routing_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON tenants_tenant FOR EACH STATEMENT EXECUTE FUNCTION public.tenant_routing_notify();
CREATE TRIGGER tenant_routing_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON tenants_domain FOR EACH STATEMENT EXECUTE FUNCTION public.tenant_routing_notify();
"""

REVERSE = """
DROP TRIGGER IF EXISTS tenant_routing_notify ON tenants_domain;
DROP TRIGGER IF EXISTS tenant_routing_notify ON tenants_tenant;
DROP FUNCTION IF EXISTS public.tenant_routing_notify();
"""


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
