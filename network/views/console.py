"""The console: a cohort's or a program's figures and charts, for the people who run it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from network import access, console
from network.models import ConsoleSnapshot
from network.nudge_form import NudgeTemplateForm
from network.services import nudges


@login_required
def cohort_console(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = access.get_managed_cohort_for(request.user, slug)
    stored = ConsoleSnapshot.objects.filter(cohort=cohort).values_list("figures", flat=True)
    figures = console.figures([cohort.pk], names=True, stored=stored.first())
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
    stored = ConsoleSnapshot.objects.filter(program=program).values_list("figures", flat=True)
    figures = console.figures(program.cohorts.values("pk"), names=False, stored=stored.first())
    context = {
        "cohort": None,
        "program": program,
        "figures": figures,
        "charts": console.charts(figures),
    }
    return render(request, "network/console.html", context)


@login_required
def nudge_template(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = access.get_managed_cohort_for(request.user, slug)
    form = NudgeTemplateForm(request.POST or None, instance=nudges.template_for(cohort))
    if request.method == "POST" and form.is_valid():
        nudges.save_template(
            cohort=cohort, actor=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, "The nudge e-mail has been saved.")
        return redirect("network:cohort_console", slug=slug)
    return render(request, "network/nudge_template.html", {"cohort": cohort, "form": form})


@login_required
@require_POST
def nudge_send(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = access.get_managed_cohort_for(request.user, slug)
    sender = access.require_member(request.user)
    # "³".isdigit() is true but int("³") fails: only ASCII digits are ids.
    chosen = [int(v) for v in request.POST.getlist("member") if v.isascii() and v.isdigit()]
    sent = nudges.nudge_members(cohort=cohort, member_ids=chosen, sender=sender, request=request)
    messages.success(
        request,
        f"Nudge sent to {len(sent)} member{'s' if len(sent) != 1 else ''}. "
        "Nobody is nudged twice within 14 days.",
    )
    return redirect("network:cohort_console", slug=slug)
