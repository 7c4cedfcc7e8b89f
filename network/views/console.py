"""The console: a cohort's or a program's figures and charts, for the people who run it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from network import access, console


@login_required
def cohort_console(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = access.get_managed_cohort_for(request.user, slug)
    figures = console.figures([cohort.pk], names=True)
    context = {
        "cohort": cohort,
        "program": cohort.program,
        "figures": figures,
        "charts": console.charts(figures),
        "inactive": console.inactive_members([cohort.pk]),
    }
    return render(request, "network/console.html", context)


@login_required
def program_console(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_console_for(request.user, slug)
    figures = console.figures(program.cohorts.values("pk"), names=False)
    context = {
        "cohort": None,
        "program": program,
        "figures": figures,
        "charts": console.charts(figures),
    }
    return render(request, "network/console.html", context)
