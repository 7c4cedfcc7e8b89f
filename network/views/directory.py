"""The member directory page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from network import directory
from network.forms import DirectoryForm


@login_required
def directory_page(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET)
    filters = form.filters()
    result = directory.search(request.user, filters, request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/directory.html",
        {
            "form": form,
            "result": result,
            "filters": filters,
            "querystring": query.urlencode(),
            "sorts": directory.SORTS,
        },
    )
