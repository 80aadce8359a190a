"""The audit log's hash chain (tandem/audit/chain.py) and API tokens' scope.

- `prev_hash` and `hash` are added as NOT NULL columns with a database default of "" by plain
  ALTER TABLE: on SQLite, Django would rebuild the table for them, which drops its triggers.
- The events already written get their hashes in id order (the triggers are lifted for that
  update only, inside this migration's transaction).
- PostgreSQL gets `tandem_audit_chain_head()`, the locked read of the chain's head.
- SQLite gets a trigger refusing an insert at or below the last id: `REPLACE INTO` deletes
  without firing the delete trigger, so it could rewrite a row, and a row slipped in among the
  old ones could be back-dated.
"""

from django.db import migrations, models

from tandem.audit.chain import ADVISORY_KEY, seal_existing

COLUMNS = [
    "ALTER TABLE access_auditevent ADD COLUMN prev_hash varchar(64) NOT NULL DEFAULT ''",
    "ALTER TABLE access_auditevent ADD COLUMN hash varchar(64) NOT NULL DEFAULT ''",
]
COLUMNS_REVERSE = [
    "ALTER TABLE access_auditevent DROP COLUMN hash",
    "ALTER TABLE access_auditevent DROP COLUMN prev_hash",
]

SQLITE_LIFT = ["DROP TRIGGER IF EXISTS audit_no_update;"]
SQLITE_AFTER = [
    """CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON access_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_no_rewrite BEFORE INSERT ON access_auditevent
       WHEN NEW.id > 0 AND NEW.id <= (SELECT MAX(id) FROM access_auditevent)
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_no_rewrite;"]

POSTGRES_LIFT = ["ALTER TABLE access_auditevent DISABLE TRIGGER audit_no_update_delete;"]
POSTGRES_AFTER = [
    "ALTER TABLE access_auditevent ENABLE TRIGGER audit_no_update_delete;",
    f"""CREATE OR REPLACE FUNCTION tandem_audit_chain_head() RETURNS text AS $$
       DECLARE head text;
       BEGIN
         -- Held until the caller's transaction ends: the next writer reads this one's event.
         PERFORM pg_advisory_xact_lock({ADVISORY_KEY});
         -- A query of its own, so (READ COMMITTED) a snapshot taken after the lock.
         SELECT hash INTO head FROM access_auditevent ORDER BY id DESC LIMIT 1;
         RETURN COALESCE(head, '');
       END; $$ LANGUAGE plpgsql VOLATILE;""",
]
POSTGRES_REVERSE = ["DROP FUNCTION IF EXISTS tandem_audit_chain_head();"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def _columns(apps, schema_editor):
    for statement in COLUMNS:
        schema_editor.execute(statement)


def _columns_reverse(apps, schema_editor):
    for statement in COLUMNS_REVERSE:
        schema_editor.execute(statement)


def _seal(apps, schema_editor):
    _run({"sqlite": SQLITE_LIFT, "postgresql": POSTGRES_LIFT})(apps, schema_editor)
    seal_existing(apps, schema_editor)
    _run({"sqlite": SQLITE_AFTER, "postgresql": POSTGRES_AFTER})(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("access", "0003_audit_log_append_only")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="auditevent",
                    name="prev_hash",
                    field=models.CharField(blank=True, default="", editable=False, max_length=64),
                ),
                migrations.AddField(
                    model_name="auditevent",
                    name="hash",
                    field=models.CharField(blank=True, default="", editable=False, max_length=64),
                ),
            ],
            database_operations=[migrations.RunPython(_columns, _columns_reverse)],
        ),
        migrations.RunPython(
            _seal, _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})
        ),
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("write", "Read and write")],
                default="write",
                max_length=8,
            ),
        ),
    ]
