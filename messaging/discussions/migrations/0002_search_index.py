"""The GIN index over posts' stored search vector, on PostgreSQL only (SQLite searches
``search_text`` with LIKE instead), so it is not declared on the model."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS discussions_post_search_gin "
    "ON discussions_post USING gin (search_vector)"
)
DROP = "DROP INDEX IF EXISTS discussions_post_search_gin"


def run(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("discussions", "0001_initial")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
