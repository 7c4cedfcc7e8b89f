"""Demo data for the embedded site and for browser tests: agencies, programs, cohorts, members."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

from allauth.account.models import EmailAddress
from django.db import transaction

from network import markdown, signals
from network.models import (
    Agency,
    Cohort,
    CohortMembership,
    Member,
    MemberType,
    Position,
    Program,
    Role,
    Tag,
    User,
)
from network.services import index_members

AGENCIES_FILE = Path(__file__).parent / "data" / "agencies.json"
DEMO_PASSWORD = "convene-demo-2026"  # noqa: S105  (published in the README)
DEMO_LOGINS = {
    "member": "member@demo.convene.test",
    "peer": "peer@demo.convene.test",
    "manager": "manager@demo.convene.test",
    "admin": "admin@demo.convene.test",
}

# (program, slug, [(cohort, slug, starts, ends)])
PROGRAMS: list[tuple[str, str, list[tuple[str, str, date, date | None]]]] = [
    (
        "Senior Executive Fellows",
        "senior-executive-fellows",
        [
            ("SEF Class of 2026", "sef-2026", date(2026, 1, 15), date(2026, 12, 15)),
            ("SEF Class of 2025", "sef-2025", date(2025, 1, 15), date(2025, 12, 15)),
        ],
    ),
    (
        "Deputy Secretaries Network",
        "deputy-secretaries",
        [
            ("Deputies Circle", "deputies-circle", date(2025, 3, 1), None),
            ("Chief Operating Officers Roundtable", "coo-roundtable", date(2026, 2, 1), None),
        ],
    ),
    (
        "Alumni Network",
        "alumni-network",
        [
            ("Alumni Circle East", "alumni-east", date(2024, 6, 1), None),
            ("Alumni Circle West", "alumni-west", date(2024, 6, 1), None),
        ],
    ),
]

FIRST = [
    "Alex",
    "Jordan",
    "Maria",
    "Wei",
    "Priya",
    "Samuel",
    "Aisha",
    "Daniel",
    "Grace",
    "Luis",
    "Fatima",
    "Thomas",
    "Keiko",
    "Omar",
    "Rachel",
    "David",
    "Amara",
    "Michael",
    "Sofia",
    "James",
]
LAST = [
    "Nguyen",
    "Okafor",
    "Garcia",
    "Chen",
    "Patel",
    "Johnson",
    "Rahman",
    "Kowalski",
    "Williams",
    "Hernandez",
    "Smith",
    "Tanaka",
    "Haddad",
    "Brown",
    "Levi",
    "Martin",
    "Osei",
    "Rossi",
    "Walker",
    "Kim",
]
TITLES = [
    "Deputy Secretary",
    "Chief Information Officer",
    "Chief Human Capital Officer",
    "Assistant Secretary",
    "Chief Financial Officer",
    "Director of Operations",
    "Associate Administrator",
    "Chief of Staff",
    "Senior Advisor",
    "General Counsel",
]
TIME_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Pacific/Honolulu",
    "America/Anchorage",
    "Europe/London",
]


CHALLENGES = [
    "Workforce retention", "Hiring speed", "AI adoption", "Cybersecurity", "Legacy IT",
    "Customer experience", "Grants management", "Procurement reform", "Data sharing",
    "Climate resilience", "Budget uncertainty", "Return to office",
]  # fmt: skip
EXPERTISE = [
    "Budget", "Human capital", "Cloud", "Acquisition", "Regulation", "Program evaluation",
    "Public health", "Logistics", "Congressional relations", "Communications", "Privacy",
    "Emergency management",
]  # fmt: skip
BIO = (
    "I lead **{title}** work and care about *{challenge}*.\n\n"
    "- Happy to compare notes with peers at other agencies\n- Ask me about {expertise}"
)


def _vocabulary() -> dict[str, Tag]:
    from django.utils.text import slugify

    tags = {}
    for name in CHALLENGES + EXPERTISE:
        tags[name], _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return tags


def _enrich(members: list[Member], rng: random.Random) -> None:
    """Bios, tags and a current role for members that have none yet; bulk writes keep it fast."""
    fresh = [m for m in members if not m.search_text]
    if not fresh:
        return
    tags = _vocabulary()
    challenge_rows, expertise_rows, positions = [], [], []
    for member in fresh:
        challenges = rng.sample(CHALLENGES, 2)
        expertise = rng.sample(EXPERTISE, 2)
        title = member.headline.split(",")[0] or "Senior Advisor"
        member.bio = BIO.format(
            title=title, challenge=challenges[0].lower(), expertise=expertise[0]
        )
        member.bio_html = markdown.render(member.bio)
        challenge_rows += [
            Member.challenges.through(member_id=member.pk, tag_id=tags[n].pk) for n in challenges
        ]
        expertise_rows += [
            Member.expertise.through(member_id=member.pk, tag_id=tags[n].pk) for n in expertise
        ]
        positions.append(
            Position(
                member=member, title=title, agency=member.agency,
                organisation=member.organisation, starts_on=date(2024 + rng.randint(0, 2), 1, 20),
            )
        )  # fmt: skip
    Member.objects.bulk_update(fresh, ["bio", "bio_html"])
    Member.challenges.through.objects.bulk_create(challenge_rows, ignore_conflicts=True)
    Member.expertise.through.objects.bulk_create(expertise_rows, ignore_conflicts=True)
    Position.objects.bulk_create(positions)
    index_members(member_ids=[m.pk for m in fresh])


def load_agencies() -> dict[str, Agency]:
    """Create or update every agency in the data file; returns them by acronym."""
    by_acronym: dict[str, Agency] = {}
    for row in json.loads(AGENCIES_FILE.read_text()):
        agency, _ = Agency.objects.update_or_create(
            acronym=row["acronym"],
            defaults={
                "name": row["name"],
                "sector": row.get("sector") or "federal",
                "parent": by_acronym.get(row["parent"]) if row.get("parent") else None,
            },
        )
        by_acronym[agency.acronym] = agency
    return by_acronym


def _account(email: str, *, password: str | None, staff: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, is_staff=staff, is_superuser=staff)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _join(cohort: Cohort, member: Member, role: str = Role.MEMBER) -> None:
    membership, made = CohortMembership.objects.update_or_create(
        cohort=cohort, member=member, defaults={"role": role}
    )
    if made:  # as accepting an invitation announces it
        signals.membership_started.send(sender=CohortMembership, membership=membership)


@transaction.atomic
def seed(*, members: int = 200) -> dict[str, int]:
    """Idempotent: running it again changes nothing that is already there."""
    rng = random.Random(2026)
    agencies = list(load_agencies().values())
    federal = [a for a in agencies if a.sector == "federal"]
    cohorts: list[Cohort] = []
    for name, slug, cohort_rows in PROGRAMS:
        program, _ = Program.objects.get_or_create(slug=slug, defaults={"name": name})
        for cohort_name, cohort_slug, starts, ends in cohort_rows:
            cohort, made = Cohort.objects.get_or_create(
                slug=cohort_slug,
                defaults={
                    "program": program,
                    "name": cohort_name,
                    "starts_on": starts,
                    "ends_on": ends,
                    "description": f"{cohort_name}, part of the {name}.",
                },
            )
            if made:  # as network.services.cohorts.create_cohort announces it
                signals.cohort_created.send(sender=Cohort, cohort=cohort)
            cohorts.append(cohort)

    types = list(MemberType)
    people: list[Member] = []
    for index in range(members):
        first, last = FIRST[index % len(FIRST)], LAST[(index // len(FIRST) + index) % len(LAST)]
        email = f"{first}.{last}.{index}@demo.convene.test".lower()
        user = _account(email, password=None)
        member_type = types[index % len(types)]
        agency = rng.choice(federal) if member_type != MemberType.PRIVATE else None
        member, _ = Member.objects.get_or_create(
            user=user,
            defaults={
                "name": f"{first} {last}",
                "member_type": member_type,
                "agency": agency,
                "organisation": "" if agency else "Example Consulting LLC",
                "headline": f"{rng.choice(TITLES)}{f', {agency.acronym}' if agency else ''}",
                "time_zone": rng.choice(TIME_ZONES),
            },
        )
        people.append(member)
        _join(cohorts[index % len(cohorts)], member)

    _enrich(people, rng)

    named = {
        "member": ("Morgan Member", MemberType.CAREER, [(cohorts[0], Role.MEMBER)]),
        # A second member of the same cohort at another agency: two browsers can chat.
        "peer": ("Priya Peer", MemberType.CAREER, [(cohorts[0], Role.MEMBER)]),
        "manager": (
            "Casey Manager",
            MemberType.STAFF,
            [(cohorts[0], Role.MANAGER), (cohorts[1], Role.MANAGER)],
        ),
        "admin": ("Avery Admin", MemberType.STAFF, []),
    }
    for key, (name, member_type, roles) in named.items():
        user = _account(DEMO_LOGINS[key], password=DEMO_PASSWORD, staff=key == "admin")
        member, _ = Member.objects.get_or_create(
            user=user,
            defaults={
                "name": name,
                "member_type": member_type,
                "agency": federal[1] if key == "peer" else federal[0],
                "headline": "Demo account",
            },
        )
        for cohort, role in roles:
            _join(cohort, member, role)
        _enrich([member], rng)
    return {"agencies": len(agencies), "cohorts": len(cohorts), "members": Member.objects.count()}
