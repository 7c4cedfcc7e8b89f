"""Every existing event that is not cancelled gets its discussion thread, which used to be made
the first time someone opened the event's page (now made with the event:
events.services.create_event)."""

from django.db import migrations


def open_event_threads(apps, schema_editor) -> None:
    Event = apps.get_model("events", "Event")
    Thread = apps.get_model("discussions", "Thread")
    discussed = Thread.objects.filter(event_uid__isnull=False).values("event_uid")
    pending = list(
        Event.objects.exclude(uid__in=discussed)
        .exclude(status="cancelled")
        .filter(created_by__isnull=False)
        .values_list("pk", flat=True)
    )
    if not pending:
        return
    # The opening post is rendered, indexed and counted by the discussions service, which
    # historical models cannot repeat; it only runs for events that exist when this applies,
    # that is on a database whose schema is the one this code was written for.
    from events.discussion import open_thread
    from events.models import Event as CurrentEvent

    for event in CurrentEvent.objects.select_related("cohort", "created_by").filter(pk__in=pending):
        open_thread(event)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("discussions", "0008_boards_for_existing_cohorts"),
    ]

    operations = [migrations.RunPython(open_event_threads, migrations.RunPython.noop)]
