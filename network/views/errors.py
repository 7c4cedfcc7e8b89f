"""Error pages that also leave a trace: every refused authorisation is in the audit log."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from network import audit


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Records who was refused what, when and from where (AU-2), then says so plainly."""
    audit.record(
        "permission_denied",
        request=request,
        target=request.path[:200],
        method=request.method,
        reason=str(exception)[:200],
    )
    return render(request, "403.html", {"reason": str(exception)}, status=403)
