"""The self-service export is complete: profile and picture, cohorts, posts, reactions, chat
messages, RSVPs, poll answers, e-mail settings and calendar feeds, as JSON and as a page a
person can read, in one zip."""

from __future__ import annotations

import io
import json
import zipfile

from django.urls import reverse

from events import services as events
from messaging.discussions import emails
from messaging.discussions import services as discussions
from messaging.models import Room
from messaging.services import chat
from tests.events.builders import make_event, make_poll
from tests.matrix.network_setup import member_with_picture


def test_the_zip_holds_everything_as_json_and_as_a_readable_page(world, client_for):
    member_with_picture(world)
    discussions.ensure_cohort_boards([world.cohort])
    thread = discussions.start_thread(
        board=world.cohort.board, author=world.mate, title="Hiring", body="Their post."
    )
    discussions.toggle_reaction(post=thread.posts.get(number=1), member=world.member, kind="thanks")
    discussions.post_reply(thread=thread, author=world.member, body="My own post.")
    chat.ensure_cohort_rooms(member=world.member)
    room = Room.objects.get(cohort=world.cohort)
    chat.send_message(member=world.member, room=room, body="My own message.", client_id="c1")
    event = make_event(world.cohort, creator=world.manager, title="Budget roundtable")
    events.rsvp(event=event, member=world.member, going=True)
    poll = make_poll(world.cohort, creator=world.manager, title="Spring dinner")
    events.answer_poll(poll=poll, member=world.member, answers={poll.slots.first().pk: "maybe"})
    emails.turn_off(member=world.member, kind="nudges")
    events.get_or_create_feed(member=world.member)

    response = client_for("member").get(reverse("network:own_data_archive"))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="convene-my-data.zip"'
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(bundle.namelist()) == ["my-data.html", "my-data.json", "picture.png"]
    with world.member.avatar.open("rb") as picture:
        assert bundle.read("picture.png") == picture.read()

    data = json.loads(bundle.read("my-data.json"))
    assert data["profile"]["name"] == world.member.name
    assert data["profile"]["picture_file"] == "picture.png"
    assert data["cohorts"][0]["cohort"] == world.cohort.name
    assert [p["body"] for p in data["discussion_posts"]] == ["My own post."]
    assert [(r["thread"], r["reaction"]) for r in data["reactions"]] == [("Hiring", "🙏 Thanks")]
    assert [m["body"] for m in data["chat_messages"]] == ["My own message."]
    assert [(r["event"], r["status"]) for r in data["rsvps"]] == [("Budget roundtable", "going")]
    assert [(v["poll"], v["answer"]) for v in data["poll_votes"]] == [
        ("Spring dinner", "If need be")
    ]
    assert data["notification_settings"]["nudges"] is False
    assert data["notification_settings"]["reminders"] is True
    assert [f["active"] for f in data["calendar_feeds"]] == [True]
    assert "token" not in json.dumps(data["calendar_feeds"])

    page = bundle.read("my-data.html").decode()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    for text in ("My own post.", "My own message.", "Budget roundtable", "If need be"):
        assert text in page
    for heading in ("Reactions", "Poll votes", "Notification settings", "Calendar feeds"):
        assert f">{heading}</h2>" in page


def test_someone_elses_data_is_not_in_my_zip(world, client_for):
    discussions.ensure_cohort_boards([world.cohort])
    discussions.start_thread(
        board=world.cohort.board, author=world.mate, title="Mate's", body="Not mine."
    )
    response = client_for("member").get(reverse("network:own_data_archive"))
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    assert "Not mine." not in bundle.read("my-data.json").decode()
    assert "picture.png" not in bundle.namelist()
