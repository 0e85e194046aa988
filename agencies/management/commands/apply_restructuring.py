"""``apply_restructuring``: apply dated changes of the administration from a CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.restructuring import RestructuringError, apply_changes, read_changes

MAX_BYTES = 5 * 1024 * 1024  # a country's changes for years fit in a few hundred kilobytes


class Command(BaseCommand):
    help = (
        "Apply the dated changes of a CSV in the format of restructuring-2025.csv (effective_date, "
        "province, old_name, new_name, kind_of_change, note): provinces merged, agencies merged, renamed "
        "or dissolved. Each agency that ends gets its end date and the agency that carries its work on; "
        "a merged province's agencies are carried by the same-role agencies of the province it joined; "
        "users move with their province and agency. Prints what moves; --dry-run writes nothing. "
        "Running a file twice changes nothing the second time."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Print what would move; write nothing.")

    def handle(self, csv, dry_run, **options):
        try:
            if csv.stat().st_size > MAX_BYTES:
                raise CommandError(_("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // 2**20})
            changes = read_changes(csv.read_text(encoding="utf-8-sig"))
        except OSError as error:
            message = _("Cannot read %(file)s: %(error)s") % {"file": csv, "error": error}
            raise CommandError(message) from error
        except (UnicodeDecodeError, RestructuringError) as error:
            raise CommandError(str(error)) from error
        moves = apply_changes(changes, dry_run=dry_run, today=timezone.localdate())
        for move in moves:
            self.stdout.write(move)
        summary = _("%(count)d changes read, %(moves)d moves") % {"count": len(changes), "moves": len(moves)}
        self.stdout.write(summary + (_(" (dry run: nothing written)") if dry_run else ""))
