"""Browser tests: Playwright driving Debian's Chromium against a live server, with two accessibility
engines on every page: axe-core and IBM's Equal Access checker (they find different things)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# npm's accessibility-checker-engine (IBM Equal Access); the page runs it, so contexts are opened
# with bypass_csp=True: the test's own script tag is let in, the site's CSP stays as it is.
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
ACE_JS = Path(__file__).resolve().parents[2] / "node_modules/accessibility-checker-engine/ace.js"

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(timezone_id: str = "America/New_York", phone: bool = False) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            timezone_id=timezone_id,
            bypass_csp=True,
            **(PHONE if phone else {}),
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


_axe = Axe()


def assert_accessible(page: Page, *, not_a_page: bool = False) -> None:
    """No WCAG 2.1 A or AA violation on the page as it is now, by axe or by Equal Access.

    not_a_page: an HTML e-mail shown on its own, where rules about a page's landmarks (a way to
    skip to the main content) do not apply; its own article role is what mail clients expect.
    """
    results = _axe.run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    violations = equal_access_violations(page)
    if not_a_page:
        violations = [v for v in violations if not v.startswith("skip_main_exists:")]
    assert not violations, f"{page.url}\n" + "\n".join(violations)


@functools.cache
def _ace_source() -> str:
    return ACE_JS.read_text(encoding="utf-8")


def equal_access_violations(page: Page) -> list[str]:
    """What IBM's checker calls a violation (not "needs review") under its WCAG 2.1 ruleset."""
    if not page.evaluate("typeof ace !== 'undefined'"):
        page.add_script_tag(content=_ace_source())
    results = page.evaluate(
        """async () => {
            const report = await new ace.Checker().check(document, ["WCAG_2_1"]);
            return report.results
                .filter((r) => r.value[0] === "VIOLATION" && r.value[1] === "FAIL")
                .map((r) => `${r.ruleId}: ${r.message} at ${r.path.dom}\n  ${r.snippet}`);
        }"""
    )
    return list(results)


def visit(page: Page, path: str) -> Page:
    page.goto(path)
    assert_accessible(page)
    return page


def link_in_last_email(pattern: str = r"https?://\S+") -> str:
    body = mail.outbox[-1].body
    match = re.search(pattern, body)
    assert match, body
    return match.group(0)
