"""Invitations for the mail drills (tests/load/drills.py): invites COUNT people to the first
demo cohort through the service a manager's page calls, so each gets one e-mail from the Celery
worker. Run with prod-local's environment; prints the invited addresses as JSON.

    .venv/bin/python tests/load/invite_drill_people.py --tag smtp-1733 --count 10
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402

from network.models import Cohort  # noqa: E402
from network.services.invitations import Invitee, invite_people  # noqa: E402

DOMAIN = "drill.convene.test"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tag", required=True)
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()
    cohort = Cohort.objects.order_by("pk").first()
    assert cohort is not None, "no cohort: run seed_demo first"
    invitees = [
        Invitee(email=f"{args.tag}-{n}@{DOMAIN}", name=f"Drill {args.tag} {n}")
        for n in range(args.count)
    ]
    with transaction.atomic():
        created, skipped = invite_people(cohort=cohort, invitees=invitees, invited_by=None)
    assert not skipped, skipped
    print(json.dumps([invitation.email for invitation in created]))


if __name__ == "__main__":
    main()
