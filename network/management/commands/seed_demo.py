from django.core.management.base import BaseCommand

from messaging import demo as messaging_demo
from network import demo


class Command(BaseCommand):
    help = (
        "Seed demo agencies, programs, cohorts and members, with a thread, chat history and an"
        " announcement in the demo member's cohort. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--members", type=int, default=200)

    def handle(self, *args, members: int, **options) -> None:
        counts = demo.seed(members=members)
        counts |= messaging_demo.seed(demo.DEMO_LOGINS)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready: " + ", ".join(f"{n} {k}" for k, n in counts.items())
            )
        )
        self.stdout.write(
            "Sign in at http://127.0.0.1:8000/accounts/login/ with "
            + ", ".join(demo.DEMO_LOGINS.values())
            + f" (password {demo.DEMO_PASSWORD})."
        )
