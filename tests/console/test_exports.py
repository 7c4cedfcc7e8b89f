"""Engagement per member and a roster import's errors, as CSV."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from network import services
from network.models import AuditEntry


def read(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_engagement_export_gives_the_console_figures_per_member(world, story, client_for):
    url = reverse("network:engagement_export", args=[world.cohort.slug])
    header, *rows = read(client_for("manager").get(url))
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert sorted(by_name) == ["Ada Member", "Bo Mate", "Dee Manager", "Gus Quiet", "Hal Silent"]
    assert by_name["Bo Mate"]["cross-agency ties"] == "2"
    assert by_name["Ada Member"]["cross-agency ties"] == "1"
    assert by_name["Hal Silent"]["active days (last 30)"] == "0"
    assert by_name["Hal Silent"]["cross-agency ties"] == "0"
    assert "Lee Left" not in by_name
    assert AuditEntry.objects.filter(action="engagement_exported").exists()


def test_import_errors_export_gives_line_reason_and_the_row_in_its_columns(world, client_for):
    content = "email,name\nnot-an-email,Ann\n=cmd@x.gov,Bob\nok@example.gov,Cat\n"
    roster_import = services.start_roster_import(
        cohort=world.cohort, created_by=world.manager, filename="r.csv", data=content.encode()
    )
    services.run_roster_import(import_id=roster_import.pk)
    url = reverse("network:import_errors_export", args=[world.cohort.slug, roster_import.pk])
    header, *rows = read(client_for("manager").get(url))
    assert header == ["line", "reason", "name", "email", "member_type", "agency", "title"]
    first = dict(zip(header, rows[0], strict=True))
    assert (first["line"], first["name"], first["email"]) == ("2", "Ann", "not-an-email")
    assert first["reason"]
    assert all(not cell.startswith("=") for row in rows for cell in row)


def test_the_errors_file_corrected_imports_the_rows_it_held(world, client_for):
    """What a manager does with the errors: fix the cells in a spreadsheet, upload the file."""
    content = "name,email\nAnn Fixed,not-an-email\nCat Fine,cat@example.gov\n"
    first = services.start_roster_import(
        cohort=world.cohort, created_by=world.manager, filename="r.csv", data=content.encode()
    )
    services.run_roster_import(import_id=first.pk)
    url = reverse("network:import_errors_export", args=[world.cohort.slug, first.pk])
    errors = client_for("manager").get(url).content.decode()
    corrected = errors.replace("not-an-email", "ann@example.gov")
    again = services.start_roster_import(
        cohort=world.cohort, created_by=world.manager, filename="errors.csv",
        data=corrected.encode(),
    )  # fmt: skip
    services.run_roster_import(import_id=again.pk)
    again.refresh_from_db()
    assert again.errors == []
    assert world.cohort.invitations.filter(email="ann@example.gov").exists()
