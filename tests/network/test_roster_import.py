"""Inviting people from a CSV file: good rows go in, bad rows are reported by line."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.urls import reverse

from network.models import Invitation, RosterImport
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

CSV = (
    "Name,E-mail,Member type,Agency,Title\n"
    "Ann One,ann@example.gov,Career executive,DOE,CIO\n"
    "Bad Address,not-an-email,,,\n"
    "Cal Two,cal@example.gov,appointee,Department of Energy,Deputy Secretary\n"
    "Dup Ann,ANN@example.gov,,,\n"
    "Unknown Agency,dee@example.gov,,Ministry of Magic,\n"
    "Bad Type,eve@example.gov,wizard,,\n"
    '"=HYPERLINK(""http://evil"",""x"")",fay@example.gov,,,\n'
)


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Posts a CSV and runs what the view queued after commit (the import task, the e-mails)."""

    def post(client, slug: str, content: bytes, name: str = "people.csv"):
        file = io.BytesIO(content)
        file.name = name
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("network:cohort_invite", args=[slug]), {"file": file})

    return post


@pytest.fixture
def doe(db):
    return AgencyFactory(acronym="DOE", name="Department of Energy")


def test_good_rows_are_invited_and_bad_rows_reported_with_line_numbers(
    world, client_for, upload, doe
):
    client = client_for("manager")
    response = upload(client, world.cohort.slug, CSV.encode())
    roster_import = RosterImport.objects.get()
    assert response["Location"] == reverse(
        "network:import", args=[world.cohort.slug, roster_import.pk]
    )
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "ann@example.gov",
        "cal@example.gov",
        "fay@example.gov",
    ]
    ann = Invitation.objects.get(email="ann@example.gov")
    assert (ann.name, ann.member_type, ann.agency, ann.title) == ("Ann One", "career", doe, "CIO")
    assert len(mail.outbox) == 3
    errors = {e["line"]: e["reason"] for e in roster_import.errors}
    assert set(errors) == {3, 5, 6, 7}
    assert "not an e-mail address" in errors[3]
    assert "already on line 2" in errors[5]
    assert "unknown agency" in errors[6]
    assert "unknown member type" in errors[7]
    page = client.get(response["Location"]).text
    assert "Rows with problems" in page and "3 invitations sent" in page


def test_reimporting_the_same_file_creates_no_duplicates(world, client_for, upload, doe):
    client = client_for("manager")
    upload(client, world.cohort.slug, CSV.encode())
    upload(client, world.cohort.slug, CSV.encode())
    assert Invitation.objects.count() == 3
    second = RosterImport.objects.order_by("-pk").first()
    assert (second.invited, second.skipped) == (0, 3)


def test_windows_1252_file_is_read(world, client_for, upload):
    content = "name,email\nJosé Núñez,jose@example.gov\n".encode("cp1252")
    upload(client_for("manager"), world.cohort.slug, content)
    assert Invitation.objects.get().name == "José Núñez"


def test_utf8_with_byte_order_mark_and_no_header(world, client_for, upload):
    content = "\ufeffZoë Ångström,zoe@example.gov\n".encode()
    upload(client_for("manager"), world.cohort.slug, content)
    assert Invitation.objects.get().name == "Zoë Ångström"


def test_utf16_or_binary_file_is_refused_with_a_reason(world, client_for, upload):
    response = upload(client_for("manager"), world.cohort.slug, "name,email\n".encode("utf-16"))
    assert response.status_code == 200
    assert "Save it as" in response.text
    assert not RosterImport.objects.exists()


def test_progress_endpoint_reports_the_import(world, client_for, upload, doe):
    client = client_for("manager")
    upload(client, world.cohort.slug, CSV.encode())
    roster_import = RosterImport.objects.get()
    state = client.get(
        reverse("network:import_progress", args=[world.cohort.slug, roster_import.pk])
    ).json()
    assert state == {"status": "done", "percent": 100, "processed": 7, "total": 7, "done": True}


def test_large_import_works_in_chunks(world, client_for, upload):
    rows = "".join(f"Person {n},p{n}@example.gov\n" for n in range(250))
    upload(client_for("manager"), world.cohort.slug, rows.encode())
    roster_import = RosterImport.objects.get()
    assert (roster_import.invited, roster_import.processed_rows) == (250, 250)
