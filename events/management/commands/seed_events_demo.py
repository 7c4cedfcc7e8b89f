from django.core.management.base import BaseCommand

from events import demo


class Command(BaseCommand):
    help = "Seed demo events and a poll for the demo cohorts (after seed_demo). Safe to rerun."

    def handle(self, *args, **options) -> None:
        counts = demo.seed()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo events ready: " + ", ".join(f"{n} {k}" for k, n in counts.items())
            )
        )
