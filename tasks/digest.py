"""The weekly digest of each provincial admin: what falls due this week, what is overdue, what
was returned and what waits for their acceptance, in the plans of their province."""

from django.conf import settings

from agencies.models import Province, Role, User
from plans.models import PlanStatus
from tasks.mail import MailItem, build_email
from tasks.models import Task, TaskStatus
from tasks.states import ProgressState, due_soon

LIST_LIMIT = 30  # items per section; the counts are complete, the e-mail links to the rest


def digest_sections(province, day):
    """(title, count, items) per section, for the province's active plans as of ``day``."""
    tasks = (
        Task.objects.filter(plan__province__in=Province.objects.held_by(province, day),
                            plan__status=PlanStatus.ACTIVE)
        .with_state(day)
        .select_related("plan")
        .order_by("due_on", "plan_id", "position")
    )
    sections = [
        ("due_soon", tasks.filter(due_soon(day))),
        ("overdue", tasks.filter(state=ProgressState.OVERDUE)),
        ("returned", tasks.filter(status=TaskStatus.RETURNED)),
        ("awaiting", tasks.filter(awaiting=True)),  # a recurring task by its periods
    ]
    return [
        (name, queryset.count(), [_item(task, name, day) for task in queryset[:LIST_LIMIT]])
        for name, queryset in sections
    ]


def send_digests(day):
    """E-mail every active provincial admin with an address their province's digest."""
    admins = User.objects.filter(role=Role.PROVINCE_ADMIN, is_active=True, province__isnull=False).exclude(
        email=""
    )
    sent = 0
    for group in _by_province(admins.select_related("province").order_by("province_id")):
        sections = digest_sections(group[0].province, day)
        for admin in group:
            build_email(
                "digest", admin, {"sections": sections, "day": day, "province": admin.province}
            ).send()
            sent += 1
    return sent


def _by_province(admins):
    groups = {}
    for admin in admins:
        groups.setdefault(admin.province_id, []).append(admin)
    return groups.values()


def _item(task, kind, day):
    return MailItem(
        plan=str(task.plan),
        code=task.code,
        title=task.title,
        deadline_text=task.deadline_text,
        due=task.due_on,
        kind=kind,
        url=settings.SITE_URL + task.get_absolute_url(),
        today=day,
    )
