"""Discussion fixtures on top of the shared world: a board per cohort and a network board."""

from __future__ import annotations

import pytest

from messaging.discussions import services
from messaging.discussions.models import Board, RecordsMode


@pytest.fixture
def lounge(world) -> Board:
    return services.create_board(name="Lounge")


@pytest.fixture
def cohort_board(world) -> Board:
    services.ensure_cohort_boards([world.cohort])
    return Board.objects.get(cohort=world.cohort)


@pytest.fixture
def other_board(world) -> Board:
    services.ensure_cohort_boards([world.other_cohort])
    return Board.objects.get(cohort=world.other_cohort)


@pytest.fixture
def off_record_board(world) -> Board:
    services.ensure_cohort_boards([world.cohort])
    board = Board.objects.get(cohort=world.cohort)
    board.records_mode = RecordsMode.OFF_THE_RECORD
    board.save(update_fields=["records_mode"])
    return board


def mention(member) -> str:
    return f"@[{member.name}]({member.pk})"
