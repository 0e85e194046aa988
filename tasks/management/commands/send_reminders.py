import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from tasks.reminder_delivery import deliver, emailed, pending
from tasks.reminder_scan import scan


class Command(BaseCommand):
    help = (
        "Record the deadline reminders owed on a day and send them, one e-mail per person: the same "
        "scan the Celery beat runs every morning, synchronously (for cron and checks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to scan, YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="show what would be sent; change nothing")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, date=None, dry_run=False, json=False, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"Ngày không hợp lệ: {date!r} (cần dạng YYYY-MM-DD).") from None
        with transaction.atomic():
            scan(day)
            outbox = [(recipient, list(logs)) for recipient, logs in pending()]
            if dry_run:
                transaction.set_rollback(True)
        result = {"date": day.isoformat(), "emails": [], "skipped": 0}
        for recipient, logs in outbox:
            to_send = emailed(recipient, logs)
            result["skipped"] += len(logs) - len(to_send)
            if to_send:
                result["emails"].append(
                    {
                        "to": recipient.email,
                        "items": [{"task": log.task_id, "kind": log.kind} for log in to_send],
                    }
                )
            if not dry_run:
                deliver(recipient.pk, day)
        self._print(result, as_json=json)

    def _print(self, result, as_json):
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        for email in result["emails"]:
            self.stdout.write(f"{email['to']}: {len(email['items'])} task(s)")
        self.stdout.write(
            f"{len(result['emails'])} e-mail(s), {result['skipped']} reminder(s) shown in the portal only."
        )
