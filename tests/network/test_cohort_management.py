"""Managers create cohorts, manage memberships and invitations; every action is audited."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import AuditEntry, Cohort, CohortMembership, Invitation, Role
from tests.factories import InvitationFactory, MemberFactory, MembershipFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_program_lead_creates_a_cohort_and_becomes_its_manager(world, client_for):
    world.cohort.program.leads.add(world.manager)
    response = client_for("manager").post(
        reverse("network:cohort_create"),
        {"program": world.cohort.program.pk, "name": "Class of 2027", "description": "Next"},
    )
    cohort = Cohort.objects.get(name="Class of 2027")
    assert response["Location"] == reverse("network:cohort_manage", args=[cohort.slug])
    assert cohort.memberships.get().member == world.manager
    assert cohort.memberships.get().role == Role.MANAGER
    assert AuditEntry.objects.filter(action="cohort_created").exists()


def test_a_manager_who_leads_no_program_cannot_create_cohorts(world, client_for):
    client = client_for("manager")
    assert client.get(reverse("network:cohort_create")).status_code == 403
    response = client.post(
        reverse("network:cohort_create"),
        {"program": world.cohort.program.pk, "name": "Rogue cohort"},
    )
    assert response.status_code == 403
    assert not Cohort.objects.filter(name="Rogue cohort").exists()
    assert "Create a cohort" not in client.get(reverse("network:cohorts")).text


def test_program_lead_sees_only_the_programs_they_lead(world, client_for):
    led = ProgramFactory(name="Led program")
    led.leads.add(world.manager)
    ProgramFactory(name="Someone else's program")
    page = client_for("manager").get(reverse("network:cohort_create")).text
    assert "Led program" in page and "Someone else&#x27;s program" not in page


def test_manager_edits_the_cohort(world, client_for):
    client_for("manager").post(
        reverse("network:cohort_edit", args=[world.cohort.slug]),
        {"program": world.cohort.program.pk, "name": "Renamed", "starts_on": "2026-01-01"},
    )
    world.cohort.refresh_from_db()
    assert world.cohort.name == "Renamed"
    assert AuditEntry.objects.filter(action="cohort_updated").exists()


def test_adding_an_existing_member_sends_an_invitation_they_accept(
    world, client, client_for, django_capture_on_commit_callbacks
):
    newcomer = MemberFactory(name="New Person")
    slug = world.cohort.slug
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("manager").post(
            reverse("network:cohort_manage", args=[slug]),
            {"email": newcomer.user.email, "role": "member"},
            follow=True,
        )
    assert "An invitation is on its way" in response.text
    assert not CohortMembership.objects.filter(cohort=world.cohort, member=newcomer).exists()
    invitation = Invitation.objects.get(cohort=world.cohort, email=newcomer.user.email)
    assert any(newcomer.user.email in m.to for m in mail.outbox)
    client.force_login(newcomer.user)
    client.post(reverse("network:invitation", args=[invitation.signed_token]))
    assert CohortMembership.objects.filter(cohort=world.cohort, member=newcomer).exists()


def test_add_form_says_the_same_for_a_member_a_stranger_and_a_hidden_profile(world, client_for):
    hidden = MemberFactory(visibility="hidden")
    client = client_for("manager")
    answers = set()
    for email in (hidden.user.email, "nobody@example.gov", world.outsider.user.email):
        response = client.post(
            reverse("network:cohort_manage", args=[world.cohort.slug]),
            {"email": email, "role": "member"},
            follow=True,
        )
        answers.add(response.text.replace(email, "ADDRESS").count("An invitation is on its way"))
        assert "No member has that address" not in response.text
    assert answers == {1}
    # The hidden member is not pulled in: the roster export still does not list them.
    export = client.get(reverse("network:roster_export", args=[world.cohort.slug])).text
    assert hidden.user.email not in export and hidden.name not in export


def test_manager_promotes_and_removes_a_member(world, client_for):
    client = client_for("manager")
    slug = world.cohort.slug
    membership = CohortMembership.objects.get(cohort=world.cohort, member=world.mate)
    client.post(reverse("network:membership_role", args=[slug, membership.pk]), {"role": "manager"})
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER
    client.post(reverse("network:membership_remove", args=[slug, membership.pk]))
    assert not CohortMembership.objects.filter(pk=membership.pk).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"membership_role_changed", "membership_removed"} <= actions


def test_administrator_removes_a_member_of_any_cohort(world, client_for):
    theirs = CohortMembership.objects.get(cohort=world.other_cohort, member=world.outsider)
    response = client_for("admin").post(
        reverse("network:membership_remove", args=[world.other_cohort.slug, theirs.pk])
    )
    assert response.status_code == 302
    assert not CohortMembership.objects.filter(pk=theirs.pk).exists()


def test_membership_of_another_cohort_is_404(world, client_for):
    theirs = CohortMembership.objects.get(cohort=world.other_cohort, member=world.outsider)
    response = client_for("manager").post(
        reverse("network:membership_remove", args=[world.cohort.slug, theirs.pk])
    )
    assert response.status_code == 404


def test_invite_by_email_list_sends_signed_links_after_commit(
    world, client_for, django_capture_on_commit_callbacks
):
    response = client_for("manager").post(
        reverse("network:cohort_invite", args=[world.cohort.slug]),
        {"emails": "One@Example.gov, two@example.gov\nnot-an-address", "role": "member"},
    )
    assert "Not e-mail addresses: not-an-address" in response.text
    assert Invitation.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client_for("manager").post(
            reverse("network:cohort_invite", args=[world.cohort.slug]),
            {"emails": "One@Example.gov, two@example.gov\none@example.gov", "role": "member"},
        )
    assert len(callbacks) == 2
    invitations = Invitation.objects.filter(cohort=world.cohort)
    assert sorted(invitations.values_list("email", flat=True)) == [
        "one@example.gov",
        "two@example.gov",
    ]
    assert len(mail.outbox) == 2
    one = invitations.get(email="one@example.gov")
    assert reverse("network:invitation", args=[one.signed_token]) in mail.outbox[0].body + (
        mail.outbox[1].body
    )
    assert all(i.sent_at for i in invitations)


def test_inviting_someone_already_invited_or_in_the_cohort_skips_them(world, client_for):
    InvitationFactory(cohort=world.cohort, email="pending@example.gov")
    client_for("manager").post(
        reverse("network:cohort_invite", args=[world.cohort.slug]),
        {"emails": f"pending@example.gov {world.mate.user.email}", "role": "member"},
    )
    assert Invitation.objects.filter(cohort=world.cohort).count() == 1
    assert len(mail.outbox) == 0


def test_manager_sees_status_and_can_resend_and_revoke(
    world, client_for, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(cohort=world.cohort, email="late@example.gov")
    client = client_for("manager")
    page = client.get(reverse("network:cohort_manage", args=[world.cohort.slug])).text
    assert "late@example.gov" in page and "Pending" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:invitation_resend", args=[world.cohort.slug, invitation.pk]))
    assert len(mail.outbox) == 1
    client.post(reverse("network:invitation_revoke", args=[world.cohort.slug, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    assert {"invitation_resent", "invitation_revoked"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_revoked_invitation_email_is_not_sent(world):
    from network.tasks import send_invitation

    invitation = InvitationFactory(cohort=world.cohort, revoked_at="2026-01-01T00:00:00Z")
    assert send_invitation(invitation.pk) is False
    assert len(mail.outbox) == 0


def test_roster_export_neutralises_formulas_and_respects_visibility(world, client_for):
    from network.models import Member

    Member.objects.filter(pk=world.mate.pk).update(name='=HYPERLINK("http://evil","x")')
    response = client_for("manager").get(reverse("network:roster_export", args=[world.cohort.slug]))
    body = response.content.decode()
    assert "'=HYPERLINK" in body and "\n=HYPERLINK" not in body
    assert world.member.user.email in body
    assert world.outsider.name not in body
    assert AuditEntry.objects.filter(action="roster_exported").exists()


def test_members_roster_hides_hidden_profiles(world, client_for):
    from network.models import Member, Visibility

    Member.objects.filter(pk=world.mate.pk).update(visibility=Visibility.HIDDEN)
    url = reverse("network:cohort", args=[world.cohort.slug])
    assert "Bo Mate" not in client_for("member").get(url).text
    assert "Bo Mate" in client_for("manager").get(url).text


def test_roster_page_query_count_is_constant(world, client_for):
    client = client_for("member")
    url = reverse("network:cohort", args=[world.cohort.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(20):
        MembershipFactory(cohort=world.cohort)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["memberships"]) == 23
    assert len(many.captured_queries) == len(few.captured_queries)
