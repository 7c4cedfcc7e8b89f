"""The HTML of every kind of e-mail passes axe in light and dark mode and at 390 px (as a mail
client shows it, with no stylesheet of the site), and the page of a roster import whose worker
died offers Retry and passes axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from events import services as events
from events import tasks as event_tasks
from messaging.discussions import services as discussions
from network.models import ImportStatus, Invitation, RosterImport
from network.tasks import send_invitation
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_discussions_walk import sign_in
from tests.events.builders import make_event, make_poll
from tests.factories import CohortFactory, MemberFactory, MembershipFactory
from tests.mail_checks import parts_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_kind_of_email_reads_well_in_light_and_dark_and_on_a_phone(new_page):
    cohort = CohortFactory(name="Class of 2026")
    ada, bo, dee = (MemberFactory(name=n) for n in ("Ada Lovelace", "Bo Builder", "Dee Manager"))
    for person in (ada, bo):
        MembershipFactory(cohort=cohort, member=person)
    MembershipFactory(cohort=cohort, member=dee, role="manager")
    discussions.ensure_cohort_boards([cohort])
    thread = discussions.start_thread(board=cohort.board, author=ada, title="Hiring", body="x")
    mail.outbox.clear()
    discussions.post_reply(thread=thread, author=bo, body="A reply with **markdown**.")
    event = make_event(cohort, creator=dee, start=timezone.now() + timedelta(hours=3))
    events.rsvp(event=event, member=ada, going=True)
    events.send_due_reminders()
    events.cancel_event(event=event, editor=dee)
    event_tasks.send_poll_opened(make_poll(cohort, creator=dee).pk)
    invitation = Invitation.objects.create(cohort=cohort, email="new@example.gov", invited_by=dee)
    send_invitation(invitation.pk, timezone.now().isoformat())
    subjects = [m.subject for m in mail.outbox]
    for word in ("Hiring", "You're going", "Reminder", "Cancelled", "When can you", "invited"):
        assert any(word in subject for subject in subjects), (word, subjects)

    page = new_page()
    for message in mail.outbox:
        html = parts_of(message.message())["text/html"].get_content()
        for scheme, width in (("light", 1024), ("dark", 390)):
            page.emulate_media(color_scheme=scheme)
            page.set_viewport_size({"width": width, "height": 800})
            page.set_content(html)
            assert_accessible(page, not_a_page=True)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, (message.subject, scheme, scroll)


def test_a_stalled_import_shows_failed_and_retry_finishes_it(new_page, settings):
    cohort = CohortFactory(name="Class of 2026", slug="class-2026")
    dee = MemberFactory(name="Dee Manager")
    settings.MFA_EXEMPT_EMAILS = {dee.user.email}
    MembershipFactory(cohort=cohort, member=dee, role="manager")
    job = RosterImport.objects.create(
        cohort=cohort,
        created_by=dee,
        content="Ann One,ann@example.gov",
        total_rows=1,
        status=ImportStatus.RUNNING,
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )
    page = new_page()
    sign_in(page, dee.user.email)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(reverse("network:import", args=[cohort.slug, job.pk]))
    expect(page.get_by_text("Failed", exact=False).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Retry").click()
    expect(page.get_by_role("heading", name="Result")).to_be_visible()
    assert_accessible(page)
