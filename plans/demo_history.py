"""A believable, deterministic history for the demo: what the agencies of Đồng Tháp reported on plan
115/KH-UBND from 2024 to today, each period of its recurring tasks reported and reviewed through the
same workflow as in the portal, the history entries dated when it happened.

Only untouched work gets a history: loading the demo again changes nothing.
"""

import datetime

from django.utils import timezone

from agencies.models import User
from tasks import workflow
from tasks.models import Notification, Task, TaskStatus, TaskUpdate

D = datetime.date
PLAN = "115/KH-UBND"
REPORTER, REVIEWER = "dongthap.khcn", "dongthap.admin"

# Task code -> (period due or None for the task itself, [(day, event)]); an event is "report"
# (completed that day, sent for acceptance), "accept", "return" or "start".
HISTORY = {
    "IV.2": [  # Tổ chức họp Ban Chỉ đạo hàng Quý
        (D(2024, 6, 30), [(D(2024, 7, 15), "report"), (D(2024, 7, 18), "accept")]),  # late
        (D(2024, 9, 30), [(D(2024, 9, 26), "report"), (D(2024, 10, 2), "accept")]),
        (D(2024, 12, 31), [(D(2024, 12, 20), "report"), (D(2024, 12, 27), "accept")]),
        (D(2025, 3, 31), [(D(2025, 3, 28), "report"), (D(2025, 4, 3), "accept")]),
        (D(2025, 6, 30), [(D(2025, 7, 10), "report"), (D(2025, 7, 14), "accept")]),  # late
        (D(2025, 9, 30), [(D(2025, 9, 29), "report"), (D(2025, 10, 1), "return"),
                          (D(2025, 10, 6), "report"), (D(2025, 10, 8), "accept")]),  # returned, then late
        (D(2025, 12, 31), [(D(2025, 12, 26), "report"), (D(2026, 1, 5), "accept")]),
        (D(2026, 3, 31), [(D(2026, 3, 27), "report"), (D(2026, 4, 2), "accept")]),
        (D(2026, 6, 30), [(D(2026, 6, 25), "report"), (D(2026, 7, 1), "accept")]),
        (D(2026, 9, 30), [(D(2026, 9, 24), "report")]),  # awaiting acceptance
        (D(2026, 12, 31), [(D(2026, 11, 20), "start")]),
    ],
    "IV.1": [  # Xây dựng chương trình công tác hàng năm của Ban Chỉ đạo (Quý I hàng năm)
        (D(2025, 3, 31), [(D(2025, 3, 20), "report"), (D(2025, 3, 25), "accept")]),
        (D(2026, 3, 31), [(D(2026, 4, 10), "report"), (D(2026, 4, 14), "accept")]),  # late
    ],
    "V.2": [  # Tập huấn đào tạo chuyên sâu về an toàn thông tin (Hằng năm)
        (D(2024, 12, 31), [(D(2024, 12, 18), "report"), (D(2024, 12, 23), "accept")]),
        (D(2025, 12, 31), [(D(2025, 12, 12), "report"), (D(2025, 12, 19), "accept")]),
        (D(2026, 12, 31), [(D(2026, 10, 15), "start")]),
    ],
    "VII": [  # Thường xuyên: the yearly report due before 30 November
        (D(2024, 11, 30), [(D(2024, 11, 25), "report"), (D(2024, 11, 29), "accept")]),
        (D(2025, 11, 30), [(D(2025, 11, 27), "report"), (D(2025, 12, 2), "accept")]),
    ],
    "I.1": [(None, [(D(2024, 11, 20), "report"), (D(2024, 11, 28), "accept")])],
    "II.1": [(None, [(D(2025, 2, 10), "report"), (D(2025, 2, 17), "accept")])],  # late
}
DONE_TEXT = {
    "IV.2": "Đã tổ chức họp Ban Chỉ đạo chuyển đổi số tỉnh, ban hành thông báo kết luận.",
    "IV.1": "Đã ban hành chương trình công tác năm của Ban Chỉ đạo.",
    "V.2": "Đã tổ chức lớp tập huấn chuyên sâu về an toàn thông tin cho cán bộ chuyên trách.",
    "VII": "Đã đăng tải tin, bài tuyên truyền về chuyển đổi số trên Cổng thông tin điện tử tỉnh.",
    "I.1": "Đã rà soát, tham mưu bổ sung chức năng, nhiệm vụ về chuyển đổi số.",
    "II.1": "Đã kiện toàn bộ máy quản lý chuyển đổi số của Sở.",
}


def load_history():
    reporter = User.objects.filter(username=REPORTER).first()
    reviewer = User.objects.filter(username=REVIEWER).first()
    if reporter is None or reviewer is None:
        return
    tasks = Task.objects.filter(plan__province__slug="dong-thap", plan__number=PLAN, code__in=HISTORY)
    for task in tasks:
        for due, events in HISTORY[task.code]:
            occurrence = task.occurrences.filter(due=due).first() if due else None
            if (due and occurrence is None) or _touched(task, occurrence):
                continue
            for day, event in events:
                _apply(task, occurrence, day, event, reporter, reviewer)


def _touched(task, occurrence):
    target = occurrence or task
    updates = TaskUpdate.objects.filter(task=task, occurrence=occurrence).exclude(kind=TaskUpdate.Kind.IMPORT)
    return target.status != TaskStatus.NOT_STARTED or updates.exists()


def _apply(task, occurrence, day, event, reporter, reviewer):
    task.refresh_from_db(fields=["version"])
    if event in ("accept", "return"):
        update = workflow.review(
            task, author=reviewer, version=task.version, occurrence=occurrence, accept=event == "accept",
            note="" if event == "accept" else "Đề nghị bổ sung thông báo kết luận cuộc họp.",
        )
    elif event == "start":
        update = workflow.report(
            task, author=reporter, version=task.version, occurrence=occurrence,
            status=TaskStatus.IN_PROGRESS, progress=40, done="Đang triển khai theo kế hoạch.",
        )
    else:
        update = workflow.report(
            task, author=reporter, version=task.version, occurrence=occurrence,
            status=TaskStatus.AWAITING_ACCEPTANCE, progress=100, completed_on=day, done=DONE_TEXT[task.code],
        )
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    TaskUpdate.objects.filter(pk=update.pk).update(created_at=when)
    Notification.objects.filter(task=task, read_at__isnull=True).update(created_at=when, read_at=when)
