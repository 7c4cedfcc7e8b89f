"""The manage pages that scale: roster and invitations paged, searched, sorted, filtered, and
acted on in bulk, at a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network.models import AuditEntry, CohortMembership, Invitation
from tests.factories import AgencyFactory, InvitationFactory, MemberFactory, MembershipFactory


def roster_url(world) -> str:
    return reverse("network:roster_manage", args=[world.cohort.slug])


def invitations_url(world) -> str:
    return reverse("network:invitations_manage", args=[world.cohort.slug])


def names(response) -> list[str]:
    return [ms.member.name for ms in response.context["listing"].page]


def test_the_roster_is_paged_25_at_a_time(world, client_for):
    for n in range(30):
        MembershipFactory(cohort=world.cohort, member=MemberFactory(name=f"Zed {n:02}"))
    client = client_for("manager")
    first = client.get(roster_url(world))
    assert len(names(first)) == 25 and "Page 1 of 2" in first.content.decode()
    assert len(names(client.get(roster_url(world), {"page": 2}))) == 8


def test_the_roster_is_searchable_by_name_email_and_agency(world, client_for):
    world.mate.agency = AgencyFactory(acronym="NASA", name="Space Agency")
    world.mate.save(update_fields=["agency"])
    client = client_for("manager")
    assert names(client.get(roster_url(world), {"q": "ada"})) == ["Ada Member"]
    email = world.member.user.email
    assert names(client.get(roster_url(world), {"q": email})) == ["Ada Member"]
    assert names(client.get(roster_url(world), {"q": "nasa"})) == ["Bo Mate"]
    assert names(client.get(roster_url(world), {"q": "space"})) == ["Bo Mate"]


def test_the_roster_sorts(world, client_for):
    client = client_for("manager")
    assert names(client.get(roster_url(world), {"sort": "-name"})) == [
        "Dee Manager", "Bo Mate", "Ada Member",
    ]  # fmt: skip
    assert names(client.get(roster_url(world), {"sort": "role"}))[0] == "Dee Manager"


def test_the_roster_costs_the_same_queries_for_one_row_or_a_full_page(world, client_for):
    client = client_for("manager")
    client.get(roster_url(world))
    with CaptureQueriesContext(connection) as few:
        client.get(roster_url(world), {"q": "ada"})
    for n in range(30):
        MembershipFactory(cohort=world.cohort, member=MemberFactory(name=f"Ada {n}"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(roster_url(world), {"q": "ada"})
    assert len(response.context["listing"].page) == 25
    assert len(many) == len(few)


def test_chosen_members_are_removed_in_bulk(world, client_for):
    ids = CohortMembership.objects.filter(member__in=[world.member, world.mate]).values_list(
        "pk", flat=True
    )
    response = client_for("manager").post(
        reverse("network:roster_bulk", args=[world.cohort.slug]),
        {"action": "remove", "chosen": list(ids), "return": "?q=a"},
    )
    assert response["Location"].endswith("/manage/members/?q=a")
    assert list(world.cohort.memberships.values_list("member__name", flat=True)) == ["Dee Manager"]
    assert AuditEntry.objects.filter(action="membership_removed").count() == 2


def test_bulk_actions_never_reach_another_cohort(world, client_for):
    theirs = CohortMembership.objects.get(member=world.outsider)
    client_for("manager").post(
        reverse("network:roster_bulk", args=[world.cohort.slug]),
        {"action": "remove", "chosen": [theirs.pk]},
    )
    assert CohortMembership.objects.filter(pk=theirs.pk).exists()


def make_invitations(world) -> dict[str, Invitation]:
    now = timezone.now()
    return {
        "pending": InvitationFactory(cohort=world.cohort, email="pending@x.gov"),
        "accepted": InvitationFactory(cohort=world.cohort, email="acc@x.gov", accepted_at=now),
        "revoked": InvitationFactory(cohort=world.cohort, email="rev@x.gov", revoked_at=now),
        "expired": InvitationFactory(
            cohort=world.cohort, email="old@x.gov", expires_at=now - timedelta(days=1)
        ),
    }


def emails(response) -> list[str]:
    return [inv.email for inv in response.context["listing"].page]


def test_invitations_filter_by_status(world, client_for):
    made = make_invitations(world)
    client = client_for("manager")
    for status, invitation in made.items():
        assert emails(client.get(invitations_url(world), {"status": status})) == [invitation.email]
    assert len(emails(client.get(invitations_url(world)))) == 4


def test_invitations_search_and_sort(world, client_for):
    make_invitations(world)
    client = client_for("manager")
    assert emails(client.get(invitations_url(world), {"q": "pend"})) == ["pending@x.gov"]
    assert emails(client.get(invitations_url(world), {"sort": "email"}))[0] == "acc@x.gov"


def test_chosen_invitations_are_revoked_or_resent_in_bulk(world, client_for):
    made = make_invitations(world)
    client = client_for("manager")
    url = reverse("network:invitations_bulk", args=[world.cohort.slug])
    chosen = [made["pending"].pk, made["expired"].pk, made["accepted"].pk]
    client.post(url, {"action": "resend", "chosen": chosen})
    made["expired"].refresh_from_db()
    assert made["expired"].expires_at > timezone.now()
    client.post(url, {"action": "revoke", "chosen": chosen})
    revoked = Invitation.objects.filter(revoked_at__isnull=False).values_list("email", flat=True)
    assert sorted(revoked) == ["old@x.gov", "pending@x.gov", "rev@x.gov"]


def test_invitations_cost_the_same_queries_for_one_row_or_a_full_page(world, client_for):
    client = client_for("manager")
    InvitationFactory(cohort=world.cohort)
    client.get(invitations_url(world))
    with CaptureQueriesContext(connection) as few:
        client.get(invitations_url(world))
    for _ in range(40):
        InvitationFactory(cohort=world.cohort, invited_by=world.manager)
    with CaptureQueriesContext(connection) as many:
        client.get(invitations_url(world))
    assert len(many) == len(few)


def bulk_queries(client, url: str, data: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302
    return len(queries)


def test_bulk_resend_and_revoke_cost_the_same_queries_for_one_invitation_or_twenty(
    world, client_for
):
    client = client_for("manager")
    url = reverse("network:invitations_bulk", args=[world.cohort.slug])
    one = [InvitationFactory(cohort=world.cohort).pk]
    twenty = [InvitationFactory(cohort=world.cohort).pk for _ in range(20)]
    bulk_queries(client, url, {"action": "resend", "chosen": []})  # the session's first write
    for action in ("resend", "revoke"):
        few = bulk_queries(client, url, {"action": action, "chosen": one})
        many = bulk_queries(client, url, {"action": action, "chosen": twenty})
        assert many == few, action
    assert AuditEntry.objects.filter(action="invitation_resent").count() == 21
    assert AuditEntry.objects.filter(action="invitation_revoked").count() == 21
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 0


def test_removing_members_in_bulk_costs_four_more_queries_a_member_at_most(world, client_for):
    # The audit entries and the removal are one query each, however many; each member still
    # leaves the cohort's rooms and gives up seats in its coming events (the waitlist moves in,
    # in order), which messaging and events do member by member.
    client = client_for("manager")
    url = reverse("network:roster_bulk", args=[world.cohort.slug])
    chosen = [MembershipFactory(cohort=world.cohort, member=MemberFactory()).pk for _ in range(11)]
    bulk_queries(client, url, {"action": "remove", "chosen": []})  # the session's first write
    one = bulk_queries(client, url, {"action": "remove", "chosen": chosen[:1]})
    ten = bulk_queries(client, url, {"action": "remove", "chosen": chosen[1:]})
    assert ten - one <= 9 * 4
    assert AuditEntry.objects.filter(action="membership_removed").count() == 11
    assert not CohortMembership.objects.filter(pk__in=chosen).exists()
