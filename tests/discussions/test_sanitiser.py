"""Post bodies go through the project's one sanitiser: an XSS corpus, and generated input that
must never render an element or attribute outside the allowed lists."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messaging.discussions.rendering import render_body
from network.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

ALLOWED_ATTRS = {tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()}
ALLOWED_ATTRS.setdefault("a", set()).add("rel")
SAFE_SCHEMES = {"http:", "https:", "mailto:"}
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")

CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=5/></svg>",
    "<svg><script>alert(1)</script></svg>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![img](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    "<object data=x></object><embed src=x>",
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    '[x](https://ok.example "title" onclick=alert(1))',
    "`<script>` and ```\n<script>alert(1)</script>\n```",
    "<!--<script>alert(1)//-->",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<a href='&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)'>x</a>",
    "[x](&#106;avascript:alert(1))",
    "[unclosed](https://ok.example",
    "**bold _mixed** nesting_ <b",
    "> quote\n> <script>alert(1)</script>",
    "@[<img src=x onerror=alert(1)>](1)",
]


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found.append((tag, attrs))


def assert_safe(html: str) -> None:
    parser = Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attrs:
            assert name in ALLOWED_ATTRS.get(tag, set()), (tag, name, html)
            if name == "href":
                # Relative links are fine; any scheme must be a safe one.
                scheme = SCHEME.match((value or "").strip().lower())
                assert scheme is None or scheme.group(0) in SAFE_SCHEMES, (value, html)
            if name == "rel":
                assert "nofollow" in (value or "") and "noopener" in (value or "")
    assert "<script" not in html.lower()


@pytest.mark.parametrize("payload", CORPUS)
def test_xss_payload_renders_harmlessly(payload, cohort_board):
    html, _ = render_body(payload, board=cohort_board)
    assert_safe(html)


def test_links_get_nofollow_noopener(cohort_board):
    html, _ = render_body("[site](https://example.gov)", board=cohort_board)
    assert 'href="https://example.gov"' in html and 'rel="nofollow noopener' in html


FRAGMENTS = st.sampled_from(
    [
        "<", ">", "</", "/>", '"', "'", "=", "&", "#", ";", ":", "(", ")", "[", "]", "!", "`",
        "*", "_", ">", "\n", " ", "script", "img", "svg", "a", "iframe", "style", "on",
        "onerror", "onload", "href", "src", "javascript", "data", "vbscript", "alert(1)",
        "&#106;", "&#x6A;", "%6A", "\t", "<!--", "-->", "![x](", "[x](", "@[", "](1)",
        "https://ok.example", "<a ", "<p ", "<table>", "<th scope=", "<code>", "<pre>",
    ]
)  # fmt: skip


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(source=st.one_of(st.lists(FRAGMENTS, max_size=40).map("".join), st.text(max_size=200)))
def test_generated_input_renders_only_allowed_elements_and_attributes(source, cohort_board):
    html, _ = render_body(source, board=cohort_board)
    assert_safe(html)
