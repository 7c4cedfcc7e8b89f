"""The console page: figures, charts with their numbers, and who may open it."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.console.conftest import summarise_everything
from tests.factories import MemberFactory, MembershipFactory


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def console_url(world) -> str:
    return reverse("network:cohort_console", args=[world.cohort.slug])


def test_the_cohort_page_links_managers_to_the_console(world, client_for):
    page = client_for("manager").get(reverse("network:cohort", args=[world.cohort.slug]))
    assert console_url(world) in page.content.decode()
    member_page = client_for("member").get(reverse("network:cohort", args=[world.cohort.slug]))
    assert console_url(world) not in member_page.content.decode()


def test_the_console_shows_the_hand_counted_figures(world, story, client_for):
    page = client_for("manager").get(console_url(world)).content.decode()
    assert 'data-figure="members">5<' in page
    assert 'data-figure="pending">2<' in page
    assert 'data-figure="active-week">4<' in page
    assert 'data-figure="ties">2<' in page
    assert 'data-figure="untied">2<' in page
    assert "Hal Silent" in page and "Gus Quiet" in page


def test_the_console_quotes_nothing_said_off_the_record(world, story, client_for):
    page = client_for("admin").get(console_url(world)).content.decode()
    assert "Secret title" not in page and "Quiet words" not in page and "Shh" not in page
    assert "Closed dinner" in page  # an event's title is not what was said at it


def test_each_chart_is_an_image_with_a_text_alternative_and_its_numbers(world, story, client_for):
    page = client_for("manager").get(console_url(world)).content.decode()
    assert page.count('class="convene-chart__svg" role="img"') == 5
    assert page.count("<desc id=") == 5
    assert page.count("Show the numbers") == 5
    assert "5 posts and 3 chat messages" in page


def test_the_console_costs_the_same_queries_for_a_larger_cohort(world, story, client_for):
    client = client_for("manager")
    program_url = reverse("network:program_console", args=[world.cohort.program.slug])
    client.get(console_url(world))
    before = [count_queries(client, url) for url in (console_url(world), program_url)]
    for n in range(30):
        MembershipFactory(cohort=world.cohort, member=MemberFactory(name=f"Extra {n}"))
    summarise_everything()  # 30 more without a tie, and quiet: both lists name them
    page = client.get(console_url(world)).content.decode()
    assert "Extra 29" in page
    after = [count_queries(client, url) for url in (console_url(world), program_url)]
    assert after == before


def test_a_program_console_names_nobody(world, story, client_for):
    url = reverse("network:program_console", args=[world.cohort.program.slug])
    page = client_for("manager").get(url).content.decode()
    assert 'data-figure="members">5<' in page
    assert "Hal Silent" not in page


def test_the_console_reads_the_snapshot_the_beat_refreshes(world, story, client_for):
    from django.utils import timezone

    from network import summaries
    from network.models import Tie

    low, high = sorted((story.gus.pk, story.ada.pk))
    Tie.objects.create(low_id=low, high_id=high, first_at=timezone.now())
    client = client_for("manager")
    assert 'data-figure="ties">2<' in client.get(console_url(world)).content.decode()
    summaries.refresh_snapshots()
    assert 'data-figure="ties">3<' in client.get(console_url(world)).content.decode()
