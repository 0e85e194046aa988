from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from plans.demo import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Load the demo provinces, agencies, the five seed plans with their tasks, and demo users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (creates known passwords)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: the demo creates users with a known password. Use --force if you mean it."
            )
        counts = load_demo()
        self.stdout.write(self.style.SUCCESS(", ".join(f"{n} {what}" for what, n in counts.items())))
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<18} {user.full_name} — {user.agency or 'superuser'}")
