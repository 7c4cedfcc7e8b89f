"""Inviting people from a CSV file: checked row by row, worked through by a Celery task."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from network import audit
from network.models import Agency, Cohort, ImportStatus, Member, MemberType, RosterImport
from network.services.invitations import Invitee, invite_people, normalise_email

if TYPE_CHECKING:
    from _csv import Reader

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
CHUNK = 100
COLUMNS = ("name", "email", "member_type", "agency", "title")
HEADER_ALIASES = {
    "name": "name", "full name": "name", "email": "email", "e-mail": "email",
    "email address": "email", "member type": "member_type", "member_type": "member_type",
    "type": "member_type", "agency": "agency", "organisation": "agency",
    "organization": "agency", "title": "title", "job title": "title",
}  # fmt: skip


def decode_upload(data: bytes) -> str:
    """UTF-8 (with or without Excel's byte-order mark), else Windows-1252 as Excel saves it."""
    if len(data) > MAX_BYTES:
        raise ValidationError("The file is larger than 5 MB. Split it into smaller files.")
    if b"\x00" in data:
        raise ValidationError(
            "This file is not plain text (it may be UTF-16 or a spreadsheet). "
            "Save it as “CSV UTF-8” and upload it again."
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("The file's text encoding is not recognised. Save it as “CSV UTF-8”.")


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


def read_rows(text: str) -> list[Row]:
    """Rows with their line numbers in the file; a header row is used when there is one."""
    # newline="" as the csv module asks: a bare CR inside a field is then read, not an error.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _rows(reader)
    except csv.Error as problem:
        line = reader.line_num
        raise ValidationError(f"Line {line} cannot be read as CSV ({problem}).") from None


def _rows(reader: Reader) -> list[Row]:
    rows: list[Row] = []
    columns: tuple[str, ...] = COLUMNS
    for cells in reader:
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if not rows and columns is COLUMNS and not any("@" in cell for cell in cells):
            named = tuple(HEADER_ALIASES.get(cell.lower(), "") for cell in cells)
            if "email" in named:
                columns = named
                continue
        values = {name: cell for name, cell in zip(columns, cells, strict=False) if name}
        rows.append(Row(line=reader.line_num, values=values))
        if len(rows) > MAX_ROWS:
            raise ValidationError(f"The file has more than {MAX_ROWS} rows.")
    return rows


@dataclass
class Lookups:
    agencies: dict[str, Agency]
    types: dict[str, str]

    @classmethod
    def load(cls) -> Lookups:
        agencies: dict[str, Agency] = {}
        for agency in Agency.objects.all():
            agencies[agency.acronym.lower()] = agency
            agencies[agency.name.lower()] = agency
        types = {value: value for value in MemberType.values}
        types.update({label.lower(): value for value, label in MemberType.choices})
        return cls(agencies=agencies, types=types)


def check_row(row: Row, lookups: Lookups) -> Invitee:
    """The invitee a row describes; raises ValidationError saying what is wrong with it."""
    try:
        email = normalise_email(row.values.get("email", ""))
    except ValidationError:
        raise ValidationError(f"“{row.values.get('email', '')}” is not an e-mail address") from None
    raw_type = row.values.get("member_type", "").lower()
    if raw_type and raw_type not in lookups.types:
        raise ValidationError(f"unknown member type “{row.values['member_type']}”")
    raw_agency = row.values.get("agency", "")
    agency = lookups.agencies.get(raw_agency.lower()) if raw_agency else None
    if raw_agency and agency is None:
        raise ValidationError(f"unknown agency “{raw_agency}” (use its name or acronym)")
    return Invitee(
        email=email,
        name=row.values.get("name", "")[:150],
        member_type=lookups.types.get(raw_type, ""),
        agency=agency,
        title=row.values.get("title", "")[:200],
    )


@transaction.atomic
def start_roster_import(
    *,
    cohort: Cohort,
    created_by: Member,
    filename: str,
    data: bytes,
    request: HttpRequest | None = None,
) -> RosterImport:
    """Store the file and queue its import after commit; raises ValidationError for a file
    that cannot be read at all (rows with problems are reported later, one by one)."""
    text = decode_upload(data)
    total = len(read_rows(text))
    if total == 0:
        raise ValidationError("The file has no rows with an e-mail address.")
    roster_import = RosterImport.objects.create(
        cohort=cohort, created_by=created_by, filename=filename[:200], content=text,
        total_rows=total,
    )  # fmt: skip
    audit.record(
        "roster_import_started", actor=created_by.user, request=request, target=cohort,
        filename=filename, rows=total,
    )  # fmt: skip
    from network.tasks import run_roster_import as task

    transaction.on_commit(lambda: task.delay(roster_import.pk))
    return roster_import


def run_roster_import(*, import_id: int) -> RosterImport:
    """Invite every good row, report every bad one with its line number and reason.

    Works in chunks, each in its own transaction with the progress, the problems found so far
    and a heartbeat, so the page shows progress while it runs, and a run that was killed
    (its task re-delivered, or retried by the manager) picks up after the last whole chunk.
    Running it again invites nobody twice. An error marks the import failed, for a retry.
    """
    roster_import = RosterImport.objects.select_related("cohort", "created_by").get(pk=import_id)
    if roster_import.status == ImportStatus.DONE:
        return roster_import
    RosterImport.objects.filter(pk=import_id).update(
        status=ImportStatus.RUNNING, heartbeat_at=timezone.now()
    )
    try:
        _import_chunks(roster_import)
    except Exception:
        RosterImport.objects.filter(pk=import_id).update(status=ImportStatus.FAILED)
        raise
    roster_import.refresh_from_db()
    return roster_import


def _import_chunks(roster_import: RosterImport) -> None:
    lookups = Lookups.load()
    rows = read_rows(roster_import.content)
    errors: list[dict] = list(roster_import.errors)
    first_line: dict[str, int] = {}
    resume_at = roster_import.processed_rows
    for row in rows[:resume_at]:  # what earlier runs saw, for the "already on line" check
        try:
            first_line.setdefault(check_row(row, lookups).email, row.line)
        except ValidationError:
            continue
    for start in range(resume_at - resume_at % CHUNK, len(rows), CHUNK):
        invitees: list[Invitee] = []
        for row in rows[start : start + CHUNK]:
            try:
                invitee = check_row(row, lookups)
            except ValidationError as problem:
                errors.append({"line": row.line, "reason": problem.messages[0]})
                continue
            if invitee.email in first_line:
                errors.append(
                    {
                        "line": row.line,
                        "reason": f"{invitee.email} is already on line {first_line[invitee.email]}",
                    }
                )
                continue
            first_line[invitee.email] = row.line
            invitees.append(invitee)
        with transaction.atomic():
            created, skipped = invite_people(
                cohort=roster_import.cohort, invitees=invitees, invited_by=roster_import.created_by
            )
            RosterImport.objects.filter(pk=roster_import.pk).update(
                processed_rows=min(start + CHUNK, len(rows)),
                invited=F("invited") + len(created),
                skipped=F("skipped") + len(skipped),
                errors=errors,
                heartbeat_at=timezone.now(),
            )
    RosterImport.objects.filter(pk=roster_import.pk).update(
        status=ImportStatus.DONE, errors=errors, finished_at=timezone.now()
    )


@transaction.atomic
def retry_roster_import(
    *, roster_import: RosterImport, actor, request: HttpRequest | None = None
) -> bool:
    """Queues a failed (or stalled) import again; it resumes after its last whole chunk."""
    roster_import = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
    if not roster_import.can_retry:
        return False
    roster_import.status, roster_import.heartbeat_at = ImportStatus.QUEUED, timezone.now()
    roster_import.save(update_fields=["status", "heartbeat_at"])
    audit.record(
        "roster_import_retried", actor=actor, request=request, target=roster_import.cohort,
        filename=roster_import.filename,
    )  # fmt: skip
    from network.tasks import run_roster_import as task

    transaction.on_commit(lambda: task.delay(roster_import.pk))
    return True
