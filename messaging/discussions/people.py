"""The people on a page of posts as one reader may see them: which links to profiles in the
bodies stay links (whether the authors' profiles, and so their pictures and profile links,
may be opened comes with the posts: queries.thread_posts).

A post's body is stored once for every reader, with each @mention as a link to the member's
profile (rendering.render_body). Whether a reader may open that profile is network.access's
rule, asked once per page (with the posts for their authors); links to profiles
the reader may not see become their plain text, so a hidden member is not a dead link.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from messaging.discussions.models import Post
from network.access import AnyUser, visible_members

# Links to profiles as the sanitiser writes them (network.markdown): the href first, then rel.
PROFILE_LINK = re.compile(r'<a href="/members/(\d{1,12})/"[^>]*>(.*?)</a>', re.DOTALL)


def annotate_people(posts: list[Post], user: AnyUser) -> None:
    """Gives each post ``body_shown``: its HTML with links to profiles the reader may not
    open unlinked. The posts come with ``author_seen`` (queries.thread_posts), which answers
    for the page's authors; one query asks about the other members linked, none when every
    member named wrote on the page too."""
    authors = {post.author_id for post in posts if post.author_id is not None}
    seen = {post.author_id for post in posts if post.author_id is not None and post.author_seen}
    linked = {int(pk) for post in posts for pk, _ in PROFILE_LINK.findall(post.body_html)}
    if others := linked - authors:
        seen.update(visible_members(user).filter(pk__in=others).values_list("pk", flat=True))
    for post in posts:
        post.body_shown = _unlink_unseen(post.body_html, seen)


def _unlink_unseen(body_html: str, seen: set[int]) -> Markup:
    def keep_or_unlink(match: re.Match) -> str:
        return match.group(0) if int(match.group(1)) in seen else match.group(2)

    # The stored HTML is the sanitiser's output; removing <a> tags from it keeps it safe.
    return Markup(PROFILE_LINK.sub(keep_or_unlink, body_html))  # noqa: S704
