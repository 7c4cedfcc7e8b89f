"""Every existing cohort gets its chat room and every member their read state in it, which
used to be made the first time someone opened /chat/ (now made with the cohort and the
membership: messaging.receivers)."""

from django.db import migrations


def open_cohort_rooms(apps, schema_editor) -> None:
    Cohort = apps.get_model("network", "Cohort")
    CohortMembership = apps.get_model("network", "CohortMembership")
    Room = apps.get_model("messaging", "Room")
    RoomMember = apps.get_model("messaging", "RoomMember")
    Room.objects.bulk_create(
        [
            Room(kind="cohort", cohort=cohort, name=cohort.name)
            for cohort in Cohort.objects.filter(chat_room__isnull=True)
        ]
    )
    rooms = dict(Room.objects.filter(kind="cohort").values_list("cohort_id", "pk"))
    present = set(
        RoomMember.objects.filter(room__kind="cohort").values_list("room_id", "member_id")
    )
    missing = {
        (rooms[cohort], member)
        for cohort, member in CohortMembership.objects.values_list("cohort_id", "member_id")
    } - present
    RoomMember.objects.bulk_create(
        [RoomMember(room_id=room, member_id=member) for room, member in sorted(missing)],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0002_message_sender_time_index"),
        ("network", "0004_member_name_index"),
    ]

    operations = [migrations.RunPython(open_cohort_rooms, migrations.RunPython.noop)]
