"""Announcements: written by a cohort's managers, seen on members' home pages, audited."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from messaging.announcements import services
from messaging.announcements.models import Announcement, Audience
from messaging.discussions.models import Notification, NotificationKind
from network.models import AuditEntry, CohortMembership
from tests.factories import CohortFactory, MemberFactory, MembershipFactory


def announce(world, **fields) -> Announcement:
    values = {"audience": Audience.COHORT, "cohort": world.cohort, "title": "Dinner moved",
              "body": "Now on **Thursday**."}  # fmt: skip
    values.update(fields)
    return services.create_announcement(author=world.manager, **values)


def home_text(client) -> str:
    return client.get(reverse("network:home")).content.decode()


def test_manager_writes_an_announcement_from_the_cohort_page(world, client_for):
    client = client_for("manager")
    page = client.get(reverse("network:cohort", args=[world.cohort.slug])).content.decode()
    assert "New announcement" in page
    form = client.get(reverse("announcements:new") + f"?cohort={world.cohort.slug}")
    assert form.context["form"].initial["to"] == f"cohort:{world.cohort.pk}"
    response = client.post(
        reverse("announcements:new"),
        {"to": f"cohort:{world.cohort.pk}", "title": "Dinner moved", "body": "Now *Thursday*."},
    )
    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert announcement.sent_at is not None
    assert announcement.recipient_count == 2  # member and mate; never the author


def test_members_do_not_see_the_new_announcement_button(world, client_for):
    page = client_for("member").get(reverse("network:cohort", args=[world.cohort.slug]))
    assert "New announcement" not in page.content.decode()


def test_members_of_the_cohort_see_it_on_their_home_page_until_they_dismiss_it(world, client_for):
    announce(world)
    client = client_for("member")
    assert "Dinner moved" in home_text(client)
    assert "<strong>Thursday</strong>" in home_text(client)
    announcement = Announcement.objects.get()
    client.post(reverse("announcements:dismiss", args=[announcement.pk]), {"next": "/"})
    assert "Dinner moved" not in home_text(client)
    assert "Dinner moved" in home_text(client_for("mate"))


def test_another_cohort_never_sees_it(world, client_for):
    announcement = announce(world)
    client = client_for("outsider")
    assert "Dinner moved" not in home_text(client)
    detail = reverse("announcements:detail", args=[announcement.pk])
    assert client.get(detail).status_code == 404
    dismiss = reverse("announcements:dismiss", args=[announcement.pk])
    assert client.post(dismiss).status_code == 404


def test_markdown_is_sanitised_like_posts(world, client_for):
    announce(world, body="<script>alert(1)</script> [x](javascript:alert(1)) **ok**")
    html = Announcement.objects.get().body_html
    assert "<script" not in html and 'href="javascript' not in html
    assert "<strong>ok</strong>" in html


def test_members_get_a_notification_and_an_email(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        announce(world)
    notes = Notification.objects.filter(kind=NotificationKind.ANNOUNCEMENT)
    assert {n.recipient for n in notes} == {world.member, world.mate}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.member.user.email, world.mate.user.email]
    )
    assert "Announcement: Dinner moved" in mail.outbox[0].subject


def test_members_who_turned_announcement_mail_off_get_only_the_bell(
    world, django_capture_on_commit_callbacks
):
    from messaging.discussions.emails import MailKind, set_frequency, turn_off

    turn_off(member=world.mate, kind=MailKind.ANNOUNCEMENTS)
    set_frequency(member=world.member, frequency="off")  # replies and mentions only
    with django_capture_on_commit_callbacks(execute=True):
        announce(world)
    assert [m.to[0] for m in mail.outbox] == [world.member.user.email]
    assert Notification.objects.filter(recipient=world.mate).exists()


def test_editing_marks_it_edited_without_notifying_again(world, client_for):
    announcement = announce(world)
    client = client_for("manager")
    client.post(
        reverse("announcements:edit", args=[announcement.pk]),
        {"title": "Dinner moved again", "body": "Friday."},
    )
    assert Notification.objects.count() == 2
    page = home_text(client_for("member"))
    assert "Dinner moved again" in page and "edited" in page


def test_withdrawn_announcements_leave_every_home_page(world, client_for):
    announcement = announce(world)
    client_for("manager").post(reverse("announcements:withdraw", args=[announcement.pk]))
    assert "Dinner moved" not in home_text(client_for("member"))
    detail = client_for("member").get(reverse("announcements:detail", args=[announcement.pk]))
    assert detail.status_code == 404


def test_members_cannot_edit_or_withdraw(world, client_for):
    announcement = announce(world)
    client = client_for("member")
    assert client.get(reverse("announcements:edit", args=[announcement.pk])).status_code == 403
    withdraw = reverse("announcements:withdraw", args=[announcement.pk])
    assert client.post(withdraw).status_code == 403
    assert Announcement.objects.get().withdrawn_at is None


def test_a_manager_cannot_announce_to_another_cohort(world, client_for):
    response = client_for("manager").post(
        reverse("announcements:new"),
        {"to": f"cohort:{world.other_cohort.pk}", "title": "Hi", "body": "x"},
    )
    assert response.status_code == 200 and not Announcement.objects.exists()


def test_only_administrators_address_a_program_or_the_network(world, client_for):
    choices = client_for("manager").get(reverse("announcements:new")).context["form"]
    assert [k for k, _ in choices.fields["to"].choices] == [f"cohort:{world.cohort.pk}"]
    client = client_for("admin")
    client.post(
        reverse("announcements:new"),
        {"to": f"program:{world.cohort.program_id}", "title": "Program news", "body": "x"},
    )
    announcement = Announcement.objects.get()
    assert announcement.audience == Audience.PROGRAM
    assert announcement.recipient_count == 3  # member, mate and manager


def test_a_program_announcement_reaches_every_cohort_of_the_program(world):
    sibling = CohortFactory(program=world.cohort.program)
    newcomer = MemberFactory()
    MembershipFactory(cohort=sibling, member=newcomer)
    services.create_announcement(
        author=world.admin, audience=Audience.PROGRAM, program=world.cohort.program,
        title="Program news", body="x",
    )  # fmt: skip
    assert Announcement.objects.for_home(newcomer).exists()
    assert not Announcement.objects.for_home(world.outsider).exists()


def test_the_audit_log_records_who_sent_what_to_whom(world):
    announce(world)
    entry = AuditEntry.objects.get(action="announcement_sent")
    assert entry.actor == world.manager.user
    assert entry.data["title"] == "Dinner moved"
    assert entry.data["audience"] == world.cohort.name
    assert entry.data["recipients"] == "2"


def test_a_scheduled_announcement_goes_out_once_when_due(world):
    later = timezone.now() + timedelta(hours=2)
    announcement = announce(world, send_at=later)
    assert announcement.is_scheduled
    assert not Notification.objects.exists()
    assert not Announcement.objects.for_home(world.member).exists()
    assert services.send_due_announcements(now=later - timedelta(minutes=1)) == 0
    assert services.send_due_announcements(now=later + timedelta(minutes=1)) == 1
    assert services.send_due_announcements(now=later + timedelta(minutes=2)) == 0
    assert Notification.objects.count() == 2
    assert Announcement.objects.for_home(world.member).exists()


def test_the_send_at_time_is_read_in_the_managers_time_zone(world, client_for):
    world.manager.time_zone = "America/Los_Angeles"
    world.manager.save(update_fields=["time_zone"])
    client_for("manager").post(
        reverse("announcements:new"),
        {"to": f"cohort:{world.cohort.pk}", "title": "Later", "body": "x",
         "send_at": "2099-06-01T09:00"},
    )  # fmt: skip
    announcement = Announcement.objects.get()
    assert announcement.send_at.isoformat() == "2099-06-01T16:00:00+00:00"
    assert announcement.is_scheduled


def test_a_withdrawn_scheduled_announcement_is_never_sent(world):
    announcement = announce(world, send_at=timezone.now() + timedelta(hours=1))
    services.withdraw_announcement(announcement=announcement, actor=world.manager)
    assert services.send_due_announcements(now=timezone.now() + timedelta(hours=2)) == 0
    assert not Notification.objects.exists()


def test_members_who_left_the_cohort_no_longer_see_it(world):
    announce(world)
    CohortMembership.objects.filter(member=world.mate).delete()
    assert not Announcement.objects.for_home(world.mate).exists()


def in_los_angeles(member) -> None:
    member.time_zone = "America/Los_Angeles"
    member.save(update_fields=["time_zone"])


def schedule(client, world, when: str):
    return client.post(
        reverse("announcements:new"),
        {"to": f"cohort:{world.cohort.pk}", "title": "Later", "body": "x", "send_at": when},
    )


def test_editing_a_scheduled_announcement_shows_and_moves_its_time_in_the_managers_zone(
    world, client_for
):
    in_los_angeles(world.manager)
    client = client_for("manager")
    schedule(client, world, "2099-06-01T09:00")
    announcement = Announcement.objects.get()
    edit = reverse("announcements:edit", args=[announcement.pk])
    assert 'value="2099-06-01T09:00"' in client.get(edit).content.decode()
    client.post(edit, {"title": "Later", "body": "x", "send_at": "2099-06-02T10:30"})
    announcement.refresh_from_db()
    assert announcement.send_at.isoformat() == "2099-06-02T17:30:00+00:00"
    client.post(edit, {"title": "Later still", "body": "x", "send_at": ""})
    announcement.refresh_from_db()
    assert announcement.title == "Later still" and announcement.is_scheduled
    assert announcement.send_at.isoformat() == "2099-06-02T17:30:00+00:00"


def test_a_sent_announcement_is_edited_without_a_send_time(world, client_for):
    announcement = announce(world)
    client = client_for("manager")
    edit = reverse("announcements:edit", args=[announcement.pk])
    assert 'name="send_at"' not in client.get(edit).content.decode()
    response = client.post(edit, {"title": "Dinner moved", "body": "Friday.", "send_at": "x"})
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.body == "Friday." and announcement.edited_at is not None


def test_a_send_time_the_clocks_skip_is_refused_and_one_they_pass_twice_is_the_first(
    world, client_for
):
    in_los_angeles(world.manager)
    client = client_for("manager")
    skipped = schedule(client, world, "2099-03-08T02:30")
    assert skipped.status_code == 200 and "does not exist" in skipped.content.decode()
    # 1:30 AM on November 1, 2099 happens twice in Los Angeles (and in New York, the
    # server's zone, whose reading of it must not get in the way).
    schedule(client, world, "2099-11-01T01:30")
    assert Announcement.objects.get().send_at.isoformat() == "2099-11-01T08:30:00+00:00"
