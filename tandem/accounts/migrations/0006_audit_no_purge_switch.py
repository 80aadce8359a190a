"""The audit log's PostgreSQL trigger without the purge switch: any role that could delete
could once set `tandem.audit_purge` and empty the log. Nothing in Tandem deletes audit events
(records destruction keeps the record of access, 300.614), so no role may, short of a
superuser lifting the triggers, which the hash chain then shows."""

from django.db import migrations

POSTGRES = """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
   BEGIN
     RAISE EXCEPTION 'the audit log is append-only';
   END; $$ LANGUAGE plpgsql;"""

POSTGRES_REVERSE = """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
   BEGIN
     IF TG_OP <> 'UPDATE' AND current_setting('tandem.audit_purge', true) = 'on' THEN
       RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NULL END;
     END IF;
     RAISE EXCEPTION 'the audit log is append-only';
   END; $$ LANGUAGE plpgsql;"""


def _run(sql):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("access", "0005_audit_listings")]

    operations = [migrations.RunPython(_run(POSTGRES), _run(POSTGRES_REVERSE))]
