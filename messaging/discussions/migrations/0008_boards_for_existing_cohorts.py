"""Every existing cohort gets its discussion board, which used to be made the first time
someone opened /discussions/ (now made with the cohort: messaging.receivers)."""

from django.db import migrations
from django.utils.text import slugify


def open_cohort_boards(apps, schema_editor) -> None:
    Cohort = apps.get_model("network", "Cohort")
    Board = apps.get_model("discussions", "Board")
    taken = set(Board.objects.values_list("slug", flat=True))
    for cohort in Cohort.objects.filter(board__isnull=True).order_by("pk"):
        base = slugify(cohort.name)[:120] or "board"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        Board.objects.create(
            name=cohort.name,
            slug=slug,
            cohort=cohort,
            description=f"Discussion for members of {cohort.name}.",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0007_post_search_vector_inline"),
        ("network", "0004_member_name_index"),
    ]

    operations = [migrations.RunPython(open_cohort_boards, migrations.RunPython.noop)]
