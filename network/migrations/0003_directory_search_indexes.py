"""PostgreSQL-only search indexes for the member directory.

The GIN index over the stored search vector and the trigram index over names exist only on
PostgreSQL; SQLite (the embedded default) searches ``search_text`` with LIKE instead. The indexes
are not declared on the model because SQLite cannot build them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS network_member_search_vector_gin "
    "ON network_member USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS network_member_name_trgm "
    "ON network_member USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS network_member_expertise_tag "
    "ON network_member_expertise (tag_id, member_id)",
    "CREATE INDEX IF NOT EXISTS network_member_challenges_tag "
    "ON network_member_challenges (tag_id, member_id)",
]
DROP = [
    "DROP INDEX IF EXISTS network_member_search_vector_gin",
    "DROP INDEX IF EXISTS network_member_name_trgm",
    "DROP INDEX IF EXISTS network_member_expertise_tag",
    "DROP INDEX IF EXISTS network_member_challenges_tag",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("network", "0002_profiles_directory_imports")]

    operations = [
        TrigramExtension(),  # a no-op on databases other than PostgreSQL
        migrations.RunPython(run(CREATE), run(DROP)),
    ]
