from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from messaging.discussions import search as searching
from messaging.discussions.models import Board
from network.access import visible_members

PER_PAGE = 20


@login_required
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").replace("\x00", "").strip()[:200]  # PostgreSQL refuses NUL
    # Read once: the board menu, the board filter and the search's own visibility filter.
    boards = list(Board.objects.visible_to(request.user))
    slug = request.GET.get("board", "")
    board = next((b for b in boards if b.slug == slug), None)
    author_id = request.GET.get("author", "")
    author = (
        visible_members(request.user).filter(pk=int(author_id)).first()
        if author_id.isascii() and author_id.isdigit()  # "²".isdigit() but int("²") fails
        else None
    )
    page = hits = None
    if text:
        found = searching.search_posts(
            request.user, text, visible_boards=boards, board=board, author=author
        )
        page = searching.CappedPaginator(found, PER_PAGE).get_page(request.GET.get("page"))
        hits = searching.hits(request.user, list(page.object_list), text)
    return render(
        request,
        "discussions/search.html",
        {
            "q": text,
            "boards": boards,
            "board": board,
            "author": author,
            "page": page,
            "hits": hits,
        },
    )
