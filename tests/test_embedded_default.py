"""The newcomer's first command: the site on its embedded default (SQLite, in-memory layer,
local-memory cache), seeded with the demo data, answers the pages a member opens first.

The rest of the suite runs on PostgreSQL, so this is what keeps the SQLite fallbacks (directory
search and counts, peer suggestions, discussion search) honest. It runs in a subprocess with no
DATABASE_URL or REDIS_URL, on a throwaway var/ directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WALK = textwrap.dedent(
    """
    import django
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from network.demo import DEMO_LOGINS, DEMO_PASSWORD

    call_command("migrate", verbosity=0)
    call_command("seed_demo", members=60, verbosity=0)
    call_command("seed_events_demo", verbosity=0)
    client = Client()
    assert client.login(email=DEMO_LOGINS["member"], password=DEMO_PASSWORD)
    pages = {
        "/": "Welcome",
        "/directory/": "members",
        "/directory/?q=workforce&sort=name": "Member directory",
        "/discussions/": "Discussions",
        "/discussions/search/?q=the": "Search",
        "/events/": "events",
        "/chat/": "Chat",
        "/members/autocomplete/?q=ma": "members",
    }
    for path, text in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert text in response.text, (path, text)
        print("ok", path)
    # The directory follows a change (its shared counts are in this process's memory here,
    # not in Redis), and lists a cohort-mate's cohort-only profile to the member alone.
    from network import services
    from network.models import CohortMembership, Member, Visibility
    me = Member.objects.get(user__email=DEMO_LOGINS["member"])
    mate = Member.objects.filter(
        memberships__cohort__in=CohortMembership.objects.filter(member=me).values("cohort"),
        visibility=Visibility.NETWORK,
    ).exclude(pk=me.pk).order_by("pk").first()
    services.update_profile(
        member=mate, fields={"visibility": Visibility.COHORTS}, expertise=[], challenges=[]
    )
    assert f'/members/{mate.pk}/"' in client.get("/directory/", {"q": mate.name}).text
    theirs = CohortMembership.objects.filter(member=mate).values("cohort")
    stranger = Client()
    stranger.force_login(Member.objects.exclude(memberships__cohort__in=theirs).first().user)
    assert f'/members/{mate.pk}/"' not in stranger.get("/directory/", {"q": mate.name}).text
    print("ok cohort-only")
    someone = Member.objects.filter(visibility=Visibility.NETWORK).exclude(
        user__email=DEMO_LOGINS["member"]).order_by("pk").first()
    link = f'/members/{someone.pk}/"'
    assert link in client.get("/directory/", {"q": someone.name}).text
    services.update_profile(
        member=someone, fields={"visibility": Visibility.HIDDEN}, expertise=[], challenges=[]
    )
    assert link not in client.get("/directory/", {"q": someone.name}).text
    print("ok hidden")
    # The demo is alive: the second demo member finds the conversation, the thread and the
    # announcement the seed left.
    peer = Client()
    assert peer.login(email=DEMO_LOGINS["peer"], password=DEMO_PASSWORD)
    chat = peer.get("/chat/").text
    assert "Gladly. Tuesday morning?" in chat or "Welcome, everyone." in chat, chat[-2000:]
    from messaging.discussions.models import Thread
    from messaging.demo import THREAD_TITLE
    thread = Thread.objects.get(title=THREAD_TITLE)
    page = peer.get(f"/discussions/t/{thread.pk}/").text
    assert "ask the panel to meet" in page
    assert "Welcome to the cohort" in peer.get("/").text
    print("ok alive")
    # The chat socket on the in-memory layer greets the signed-in member.
    import asyncio
    from channels.testing import WebsocketCommunicator
    from django.conf import settings
    from config.asgi import application

    async def greeting():
        name = settings.SESSION_COOKIE_NAME
        cookie = f"{name}={peer.cookies[name].value}"
        headers = [(b"origin", b"http://localhost"), (b"cookie", cookie.encode())]
        socket = WebsocketCommunicator(application, "/ws/", headers=headers)
        connected, _ = await socket.connect()
        assert connected
        frame = await socket.receive_json_from(timeout=10)
        await socket.disconnect()
        return frame

    assert asyncio.run(greeting())["type"] == "hello"
    print("ok socket")
    """
)


def test_demo_site_on_sqlite_answers_a_members_first_pages(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV"}
    }
    env |= {"CONVENE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", WALK],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("ok ") == 12
