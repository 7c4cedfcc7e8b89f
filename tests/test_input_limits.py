"""One-line fields hold one line (no header injection into e-mail); long texts have limits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from network.models import BIO_MAX, DESCRIPTION_MAX, Cohort

pytestmark = pytest.mark.django_db
INJECTION = "Quarterly review\r\nBcc: everyone@example.gov"


def test_line_breaks_in_a_cohort_name_become_a_space(world, client_for):
    world.cohort.program.leads.add(world.manager)
    client_for("manager").post(
        reverse("network:cohort_create"),
        {"program": world.cohort.program.pk, "name": INJECTION, "description": "x"},
    )
    assert Cohort.objects.filter(name="Quarterly review Bcc: everyone@example.gov").exists()


def test_line_breaks_in_a_thread_title_become_a_space(world, client_for):
    from messaging.discussions import services
    from messaging.discussions.models import Thread

    services.ensure_cohort_boards([world.cohort])
    client_for("member").post(
        reverse("discussions:new_thread", args=[world.cohort.board.slug]),
        {"title": INJECTION, "body": "Agenda attached."},
    )
    assert Thread.objects.get().title == "Quarterly review Bcc: everyone@example.gov"


def test_line_breaks_in_a_profile_name_become_a_space(world, client_for):
    client = client_for("member")
    page = client.get(reverse("network:profile_edit"))
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(name="Ada\nBcc: x", time_zone="America/New_York")
    client.post(reverse("network:profile_edit"), data)
    world.member.refresh_from_db()
    assert "\n" not in world.member.name


@pytest.mark.parametrize(
    ("route", "field", "limit"),
    [
        ("network:profile_edit", "bio", BIO_MAX),
        ("network:cohort_create", "description", DESCRIPTION_MAX),
    ],
)
def test_a_text_past_its_limit_is_refused_with_a_message_saying_so(
    world, client_for, route, field, limit
):
    world.cohort.program.leads.add(world.admin)
    response = client_for("admin").post(
        reverse(route),
        {field: "x" * (limit + 1), "name": "Someone", "program": world.cohort.program.pk},
    )
    assert response.status_code == 200
    assert f"Ensure this value has at most {limit:,} characters" in response.text or (
        f"at most {limit} characters" in response.text
    )


def test_an_event_description_past_its_limit_is_refused(world, client_for):
    from events.models import EVENT_DESCRIPTION_MAX

    response = client_for("manager").post(
        reverse("events:create"),
        {"title": "Roundtable", "description": "x" * (EVENT_DESCRIPTION_MAX + 1)},
    )
    assert response.status_code == 200
    assert f"at most {EVENT_DESCRIPTION_MAX}" in response.text.replace(",", "")
