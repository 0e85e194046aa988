import datetime
import json
import smtplib

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from tasks.reminder_delivery import deliver, emailed, pending
from tasks.targets.reminders import record_reminders


class Command(BaseCommand):
    help = (
        "Record the deadline reminders owed on a day and send them, one e-mail per person: the same "
        "scan the Celery beat runs every morning, synchronously (for cron and checks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to scan, YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="show what would be sent; change nothing")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, date=None, dry_run=False, **options):
        as_json = options["json"]
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"Ngày không hợp lệ: {date!r} (cần dạng YYYY-MM-DD).") from None
        result = {"date": day.isoformat(), "emails": [], "skipped": 0}
        with transaction.atomic():
            record_reminders(day)
            # Stream the outbox: only the small summary is kept, whatever the number of reminders.
            recipients = []
            for recipient, logs in pending():
                logs = list(logs)
                to_send = emailed(recipient, logs)
                result["skipped"] += len(logs) - len(to_send)
                if to_send:
                    items = [_item(log) for log in to_send]
                    result["emails"].append({"to": recipient.email, "items": items})
                recipients.append(recipient.pk)
            if dry_run:
                transaction.set_rollback(True)
        failed = [] if dry_run else self._deliver(recipients, day)
        self._print(result, as_json=as_json)
        if failed:
            raise CommandError(
                f"Không gửi được thư cho {len(failed)} người; nhắc việc vẫn chờ gửi ở lần chạy sau: "
                + "; ".join(failed)
            )

    def _deliver(self, recipients, day):
        """Send each person's reminders; one person's mail failure does not stop the others."""
        failed = []
        for pk in recipients:
            try:
                deliver(pk, day)
            except (smtplib.SMTPException, OSError) as exc:
                failed.append(f"#{pk}: {exc}")
        return failed

    def _print(self, result, as_json):
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        for email in result["emails"]:
            self.stdout.write(f"{email['to']}: {len(email['items'])} task(s)")
        self.stdout.write(
            f"{len(result['emails'])} e-mail(s), {result['skipped']} reminder(s) shown in the portal only."
        )


def _item(log):
    if log.target_id is not None:
        return {"target": log.target_id, "kind": log.kind}
    return {"task": log.task_id, "kind": log.kind}
