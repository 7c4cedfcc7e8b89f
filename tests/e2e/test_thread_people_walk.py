"""A member reads a thread as a thread should read (issue 17, item 7), at desktop width and on
a 390 by 844 phone: each author an avatar beside a name with title and agency, reactions one
row of small toggles that say who reacted, the post's actions in one menu that works from the
keyboard, the records banner once, and a mention that leads to the person's profile. Both
accessibility engines run on each state."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from messaging.discussions import services
from tests.conftest import sign_in
from tests.e2e.conftest import assert_accessible, visit
from tests.factories import CohortFactory, MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_member_reads_reacts_quotes_and_follows_a_mention(new_page, live_server, phone):
    cohort = CohortFactory(name="Class of 2026", slug="class-2026")
    ada = MemberFactory(name="Ada Lovelace", headline="Chief Data Officer")
    bo = MemberFactory(name="Bo Builder", headline="Deputy CIO")
    cy = MemberFactory(name="Cy Reader")
    for member in (ada, bo, cy):
        MembershipFactory(cohort=cohort, member=member)
    services.ensure_cohort_boards([cohort])
    board = cohort.board
    thread = services.start_thread(
        board=board, author=bo, title="Hiring across agencies", body=f"Ask @[Cy Reader]({cy.pk})."
    )
    services.toggle_reaction(post=thread.posts.get(), member=cy, kind="agree")

    client = Client()
    sign_in(client, ada.user)
    page = new_page(phone=phone)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    visit(page, reverse("discussions:thread", args=[thread.pk]))

    # The author: avatar, a name that links to the profile, title and agency beside it.
    post = page.locator("#post-1")
    expect(post.locator(".convene-avatar")).to_have_text("BB")
    expect(post.get_by_role("heading", name=re.compile("Bo Builder"))).to_be_visible()
    expect(post.get_by_role("link", name="Bo Builder")).to_be_visible()
    expect(post.locator(".convene-post__meta")).to_contain_text(f"Deputy CIO · {bo.agency.acronym}")
    expect(page.get_by_text(re.compile("^Records mode:"))).to_have_count(1)

    # Reactions: one row of small toggles, even on a phone; who reacted is in the name.
    toggles = post.locator(".convene-reaction__toggle")
    expect(toggles).to_have_count(4)
    tops = {round(toggles.nth(i).bounding_box()["y"]) for i in range(4)}
    assert len(tops) == 1, tops
    agree = post.get_by_role("button", name=re.compile(r"^Agree\s+1\s+by Cy Reader$"))
    agree.focus()
    expect(post.locator(".convene-reaction__who").first).to_be_visible()
    expect(post.locator(".convene-reaction__who").first).to_have_text("Agree: Cy Reader")
    assert_accessible(page)
    agree.click()
    agree = page.locator("#post-1").get_by_role(
        "button", name=re.compile(r"^Agree\s+2\s+by Cy Reader, Ada Lovelace$")
    )
    expect(agree).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)

    # The actions menu, from the keyboard: open it, reach "Quote", and quote.
    menu = page.locator("#post-1 summary")
    menu.focus()
    page.keyboard.press("Enter")
    quote = page.locator("#post-1").get_by_role("link", name="Quote")
    expect(quote).to_be_visible()
    expect(page.locator("#post-1").get_by_role("link", name="Report")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Tab")
    expect(quote).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your reply")).to_have_value(
        re.compile(r"^> \*\*Bo Builder\*\* wrote:")
    )
    assert_accessible(page)

    # The mention leads to the profile, which shows the same avatar beside the name.
    page.locator("#post-1").get_by_role("link", name="@Cy Reader").click()
    expect(page.get_by_role("heading", name="Cy Reader", level=1)).to_be_visible()
    expect(page.locator(".convene-avatar--lg")).to_have_text("CR")
    assert_accessible(page)
