from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from messaging.discussions import emails
from messaging.discussions.access import writer_for
from messaging.discussions.forms import PreferenceForm
from messaging.discussions.models import MailKind, Notification
from messaging.discussions.notifications import mark_read, unread_count
from network.access import member_for

LIST_LIMIT = 100


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The member's latest notifications, grouped by thread (newest group first)."""
    member = writer_for(request.user)
    rows = list(
        Notification.objects.filter(recipient=member)
        .select_related("thread", "actor")
        .order_by("-created_at")[:LIST_LIMIT]
    )
    order: dict[int | str, int] = {}
    for row in rows:
        order.setdefault(row.thread_id or f"n{row.pk}", len(order))
    rows.sort(key=lambda row: order[row.thread_id or f"n{row.pk}"])
    groups = [
        {"thread": notes[0].thread, "notes": notes}
        for notes in (
            list(group) for _, group in groupby(rows, key=lambda r: r.thread_id or f"n{r.pk}")
        )
    ]
    return render(
        request,
        "discussions/notifications.html",
        {"groups": groups, "unread": unread_count(member)},
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    member = writer_for(request.user)
    note = Notification.objects.filter(recipient=member, pk=pk).first()
    if note is None:
        raise Http404("No such notification.")
    mark_read(member=member, notification_ids=[pk])
    if request.POST.get("open"):
        return redirect(note.url)
    return redirect("discussions:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    mark_read(member=writer_for(request.user))
    messages.success(request, "All notifications marked read.")
    return redirect("discussions:notifications")


@login_required
def bell(request: HttpRequest) -> JsonResponse:
    """The bell's unread count, for discussions-bell.js."""
    member = member_for(request.user)
    return JsonResponse({"unread": unread_count(member) if member else 0})


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    member = writer_for(request.user)
    prefs = emails.preferences_of(member)
    initial = {"frequency": prefs.frequency} | {
        name: getattr(prefs, name) for name in PreferenceForm.ON_OFF
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        emails.save_preferences(
            member=member, frequency=form.cleaned_data["frequency"], kinds=form.kinds()
        )
        messages.success(request, "Your e-mail settings are saved.")
        return redirect("discussions:preferences")
    return render(
        request, "discussions/preferences.html", {"form": form}, status=400 if form.errors else 200
    )


# One-click unsubscribe (RFC 8058): mail providers POST without a session or CSRF token; the
# signed token is the authority, and it names the one kind of mail it turns off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = emails.read_token(token)
    if found is None:
        raise Http404("This unsubscribe link is not valid.")
    member, kind = found
    done = request.method == "POST"
    if done:
        emails.turn_off(member=member, kind=kind)
    return render(
        request,
        "discussions/unsubscribe.html",
        {"done": done, "token": token, "kind_label": MailKind(kind).label},
    )
