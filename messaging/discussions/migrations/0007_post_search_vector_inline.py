"""Keeps posts' search vector in the row itself (storage MAIN) on PostgreSQL.

A phrase is checked against each candidate post's vector, since the GIN index cannot tell
whether two words are adjacent. With the default storage, a post whose row passes ~2 KB had
its vector (which does not compress) moved to the TOAST table, so checking it cost an extra
index lookup and page fetch: about a quarter of the posts in the discussions bench, and ~40 %
of the phrase count's time (~33 -> ~20 ms for the 10,800 posts it reads). MAIN compresses or
moves out the texts instead (body, body_html, search_text), which a search reads only for the
20 posts shown. It applies to rows as they are written; ``VACUUM FULL discussions_post``
rewrites the rows already there.
"""

from django.db import migrations

INLINE = "ALTER TABLE discussions_post ALTER COLUMN search_vector SET STORAGE MAIN"
DEFAULT = "ALTER TABLE discussions_post ALTER COLUMN search_vector SET STORAGE EXTENDED"


def run(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("discussions", "0006_unread_in_thread_index")]

    operations = [migrations.RunPython(run(INLINE), run(DEFAULT))]
