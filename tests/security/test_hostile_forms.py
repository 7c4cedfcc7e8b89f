"""Every form of Convene's own, filled with generated hostile input (issue 12, item 14).

For each POST route, as the role that uses it, hypothesis fills every field with line breaks,
NUL, bidi controls, very long strings, markup and markdown tricks, and ids of the other cohort's
things. Each answer, the page it leads to and the pages where the input is shown to others must
not fail (the test client re-raises any server error), carry no script or event handler from
input and show nothing of the other cohort; the stored HTML is the sanitiser's output. A route
added without a case here fails test_every_route_is_driven_or_has_no_input.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.conftest import World, sign_in
from tests.matrix import all_routes
from tests.security.form_cases import CASES, NO_INPUT, QUERY_CASES, QueryCase
from tests.security.form_fields import FormCase
from tests.security.hostile import (
    HOSTILE_SETTINGS,
    Scene,
    assert_inert,
    assert_stored_sanitised,
    build_scene,
)
from tests.test_permissions import project_route_names


def test_every_route_is_driven_or_has_no_input():
    driven = {case.route for case in CASES} | {case.route for case in QUERY_CASES}
    missing = sorted(project_route_names() - driven - NO_INPUT)
    assert not missing, f"Add hostile-input cases to tests/security/ for: {missing}"
    assert not driven & NO_INPUT


def test_every_post_route_of_the_matrix_has_a_case():
    posted = {route.name for route in all_routes() if route.method == "post"}
    assert posted <= {case.route for case in CASES}


@pytest.fixture
def scene(world) -> Scene:
    return build_scene(world)


def viewer_client(world: World, role: str) -> Client:
    client = Client()
    sign_in(client, world.user_for(role))
    return client


def get_and_check(client: Client, url: str, *, secret_hidden: bool) -> None:
    response = client.get(url)
    assert response.status_code < 500
    assert_inert(response, secret_hidden=secret_hidden)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_form_answers_hostile_input_without_error_script_or_foreign_data(
    case: FormCase, world, scene, client_for, django_capture_on_commit_callbacks
):
    url = reverse(case.route, kwargs=case.kwargs(world, scene))
    fields, uploads = case.fields(world, scene), case.uploads(world, scene)
    viewer = viewer_client(world, case.viewer)
    sees_all = {case.role, case.viewer} & {"admin", "other_manager", "outsider"}

    @hypothesis_settings(HOSTILE_SETTINGS, max_examples=case.examples)
    @given(data=st.data())
    def submit(data: st.DataObject) -> None:
        cache.clear()  # rate limits would otherwise end the run after a few examples
        values = {name: data.draw(strategy, label=name) for name, strategy in fields.items()}
        values |= {name: data.draw(strategy, label=name) for name, strategy in uploads.items()}
        client = client_for(case.role)
        # Run what is queued after commit (mail, notifications) as production would.
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, values, follow=True)
        assert response.status_code < 500
        assert_inert(response, secret_hidden=case.role not in sees_all)
        for page in case.shown(world, scene):
            get_and_check(viewer, page, secret_hidden=case.viewer not in sees_all)
        if case.stores_html:
            assert_stored_sanitised()
        case.holds(world, scene)

    submit()


@pytest.mark.parametrize("case", QUERY_CASES, ids=lambda case: case.route)
def test_query_string_answers_hostile_input_without_error_script_or_foreign_data(
    case: QueryCase, world, scene, client_for
):
    url = reverse(case.route, kwargs=case.kwargs(world, scene))
    params = case.params(world, scene)
    client = client_for(case.role)

    @hypothesis_settings(HOSTILE_SETTINGS, max_examples=case.examples)
    @given(data=st.data())
    def search(data: st.DataObject) -> None:
        cache.clear()
        values = {name: data.draw(strategy, label=name) for name, strategy in params.items()}
        get_and_check(client, f"{url}?{urlencode(values)}", secret_hidden=True)

    search()


def urlencode(values: dict[str, str]) -> str:
    from urllib.parse import urlencode as encode

    return encode(values, encoding="utf-8", errors="surrogatepass")


@pytest.mark.parametrize("role", ["member", "mate", "manager"])
def test_common_pages_after_hostile_forms_show_nothing_foreign(role, world, scene, client_for):
    """The pages everyone visits, as each role of the member's cohort, on the scene's data."""
    client = client_for(role)
    for name, kwargs in [
        ("network:home", {}),
        ("network:directory", {}),
        ("network:cohorts", {}),
        ("discussions:boards", {}),
        ("discussions:notifications", {}),
        ("events:list", {}),
        ("messaging:chat", {}),
        ("network:cohort", {"slug": world.cohort.slug}),
    ]:
        get_and_check(client, reverse(name, kwargs=kwargs), secret_hidden=True)


def test_a_line_break_in_an_event_title_never_breaks_the_mail_to_people_going(
    world, scene, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    from events.models import RSVP, RSVPStatus

    RSVP.objects.create(event=scene.event, member=world.mate, status=RSVPStatus.GOING)
    fields = {
        "cohort": world.cohort.pk, "title": "Roundtable\r\nBcc: everyone@example.gov",
        "description": "", "time_zone": "America/New_York", "starts": "2031-05-01T10:00",
        "ends": "2031-05-01T11:00", "location_kind": "online",
        "online_url": "https://meet.example.gov/x", "records_mode": "informal",
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("manager").post(reverse("events:edit", args=[scene.event.pk]), fields)
    assert response.status_code < 500
    assert all("\n" not in m.subject and "\r" not in m.subject for m in mailoutbox)
    to_mate = [m.subject for m in mailoutbox if m.to == [world.mate.user.email]]
    # Mailed on one line (network.mail.safe_subject), or refused by the form.
    assert to_mate == ["[Convene] New time: Roundtable Bcc: everyone@example.gov"] or (
        response.status_code == 200
    )


def test_attendance_ignores_a_digit_that_is_not_ascii(world, scene, client_for):
    """Found by the generated input: '³' passed isdigit() and int() then failed."""
    response = client_for("manager").post(
        reverse("events:attendance", args=[scene.past_event.pk]), {"attended": ["³", "١٢"]}
    )
    assert response.status_code == 302


def test_a_line_break_in_the_nudge_subject_never_breaks_the_nudge_mail(
    world, scene, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    client = client_for("manager")
    template = {"subject": "Hello {name}\r\nBcc: everyone@example.gov", "body": "Come back\x0b"}
    client.post(reverse("network:nudge_template", args=[world.cohort.slug]), template)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("network:nudge_send", args=[world.cohort.slug]),
            {"member": [world.member.pk, world.mate.pk]},
        )
    assert response.status_code == 302
    assert mailoutbox, "nobody quiet was nudged"
    assert all(m.subject.startswith("[Convene] Hello ") for m in mailoutbox)
    assert all("\n" not in m.subject and "\r" not in m.subject for m in mailoutbox)
