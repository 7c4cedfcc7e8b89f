"""CSV exports for a cohort's managers beyond the roster: engagement per member and the
errors of a roster import. Python's csv module writes them; every cell goes through the
roster export's formula guard; each export is audited."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from network import access, audit, console
from network.rosters import csv_safe
from network.services.imports import COLUMNS, read_rows


def csv_response(filename: str, rows: list[list[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    csv.writer(response).writerows([csv_safe(cell) for cell in row] for row in rows)
    return response


@login_required
def engagement_export(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = access.get_managed_cohort_for(request.user, slug)
    rows = console.engagement_rows(cohort.pk)
    audit.record("engagement_exported", request=request, target=cohort, rows=len(rows) - 1)
    return csv_response(f"{cohort.slug}-engagement.csv", rows)


@login_required
def import_errors_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Each refused line of a roster import: its line number, why, and what it held in the
    importer's own columns, so that the file, corrected, can be imported again as it is (the
    importer reads columns by their header and leaves "line" and "reason" aside)."""
    cohort = access.get_managed_cohort_for(request.user, slug)
    roster_import = get_object_or_404(cohort.imports, pk=pk)
    held = {row.line: row.values for row in read_rows(roster_import.content)}
    rows: list[list[object]] = [["line", "reason", *COLUMNS]]
    for error in roster_import.errors:
        values = held.get(error["line"], {})
        rows.append([error["line"], error["reason"], *(values.get(c, "") for c in COLUMNS)])
    audit.record("import_errors_exported", request=request, target=cohort, rows=len(rows) - 1)
    return csv_response(f"{cohort.slug}-import-{roster_import.pk}-errors.csv", rows)
