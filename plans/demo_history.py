"""A believable, deterministic history for the demo: what the agencies of Đồng Tháp reported on plan
115/KH-UBND from 2024 to today, each period of its recurring tasks reported and reviewed through the
same workflow as in the portal (evidence, an approved extension, returned and late work), the
history entries dated when it happened; two tasks of the province's 2025 plan implementing
1012/QĐ-TTg just reported complete, late, waiting in the admin's review queue with IV.2's third
quarter; and the decision that handed the dissolved district People's Committees' tasks over on
1 July 2025 (one left for the admin to hand over).

Only untouched work gets a history, and a decision is applied once: loading the demo again changes
nothing.
"""

import datetime

from django.utils import timezone

from agencies.models import Agency, User
from tasks import workflow
from tasks.handover import hand_over
from tasks.models import (
    AssignmentRole,
    ExtensionRequest,
    Handover,
    Notification,
    Task,
    TaskStatus,
    TaskUpdate,
)

D = datetime.date
PLAN = "115/KH-UBND"
REPORTER, REVIEWER = "dongthap.khcn", "dongthap.admin"

# Task code -> (period due or None for the task itself, [(day, event)]); an event is "report"
# (completed that day, sent for acceptance, with its evidence), "accept", "return", "start",
# ("extend", new due date) asked by the lead agency, or "approve" (the extension, by the admin).
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
    "III.1": [(None, [(D(2024, 12, 16), ("extend", D(2025, 6, 30))), (D(2024, 12, 20), "approve"),
                      (D(2025, 6, 24), "report"), (D(2025, 6, 27), "accept")])],  # on time, extended
    "V.1": [(None, [(D(2025, 3, 14), "report"), (D(2025, 3, 19), "accept")])],  # late
    "VI.1": [(None, [(D(2026, 9, 8), "start")])],
}
EVIDENCE = {
    "IV.2": "Thông báo kết luận cuộc họp Ban Chỉ đạo chuyển đổi số tỉnh",
    "IV.1": "Quyết định ban hành chương trình công tác năm của Ban Chỉ đạo",
    "V.2": "Báo cáo kết quả lớp tập huấn an toàn thông tin",
    "VII": "Báo cáo kết quả công tác tuyên truyền về chuyển đổi số",
    "I.1": "Tờ trình bổ sung chức năng, nhiệm vụ về chuyển đổi số",
    "II.1": "Quyết định kiện toàn bộ máy quản lý chuyển đổi số",
    "III.1": "Báo cáo kết quả phổ biến nền tảng dữ liệu mở",
    "V.1": "Báo cáo kết quả hội nghị giới thiệu Luật Công nghệ thông tin, Luật An toàn thông tin mạng",
}
EXTENSION_REASON = (
    "Nền tảng dữ liệu mở của tỉnh đang nâng cấp theo mô hình chính quyền số; đề nghị gia hạn đến 30/6/2025."
)

# The decision handing the dissolved district People's Committees' tasks of 115/KH-UBND over:
# (from agency, to agencies, task codes). VI.2 (the district network) is left for the admin.
HANDOVER_DECISION = "Quyết định số 1568/QĐ-UBND ngày 18/07/2025 của UBND tỉnh Đồng Tháp"
HANDOVER_FROM = D(2025, 7, 1)
HANDOVERS = [
    ("UBND cấp huyện", ["Sở Nội vụ"], ["I.2"]),
    ("UBND cấp huyện", ["UBND các xã, phường"], ["II.4", "II.5"]),
]
DONE_TEXT = {
    "IV.2": "Đã tổ chức họp Ban Chỉ đạo chuyển đổi số tỉnh, ban hành thông báo kết luận.",
    "IV.1": "Đã ban hành chương trình công tác năm của Ban Chỉ đạo.",
    "V.2": "Đã tổ chức lớp tập huấn chuyên sâu về an toàn thông tin cho cán bộ chuyên trách.",
    "VII": "Đã đăng tải tin, bài tuyên truyền về chuyển đổi số trên Cổng thông tin điện tử tỉnh.",
    "I.1": "Đã rà soát, tham mưu bổ sung chức năng, nhiệm vụ về chuyển đổi số.",
    "II.1": "Đã kiện toàn bộ máy quản lý chuyển đổi số của Sở.",
    "III.1": "Đã tổ chức phổ biến nền tảng dữ liệu mở của tỉnh đến các sở, ngành và doanh nghiệp.",
    "V.1": "Đã tổ chức hội nghị giới thiệu Luật Công nghệ thông tin, Luật An toàn thông tin mạng.",
}


# Đồng Tháp's 2025 plan implementing Quyết định số 1012/QĐ-TTg (unnumbered: found by its title): Sở
# Khoa học và Công nghệ reports its two December 2025 connections complete, late, in November 2026;
# they await the admin's acceptance.
PLAN_1012 = "Quyết định số 1012/QĐ-TTg"
HISTORY_1012 = {
    "III.1": [(None, [(D(2026, 11, 25), "report")])],
    "III.2": [(None, [(D(2026, 11, 27), "report")])],
}
REPORTS_1012 = {
    "III.1": {
        "done": "Đã kết nối, chia sẻ 40 nhóm thông tin, dữ liệu trực tuyến hai chiều giữa Kho dữ liệu tỉnh "
                "với Hệ thống thông tin chỉ đạo, điều hành của Chính phủ.",
        "difficulties": "Chậm so với kế hoạch do chờ Văn phòng Chính phủ hướng dẫn kỹ thuật kết nối.",
        "evidence": "Báo cáo số 412/BC-SKHCN về kết quả kết nối, chia sẻ dữ liệu với Chính phủ",
    },
    "III.2": {
        "done": "Đã kết nối, chia sẻ dữ liệu các nhóm chỉ số kinh tế - xã hội của tỉnh từ Hệ thống thông tin "
                "báo cáo với Hệ thống thông tin chỉ đạo, điều hành của Chính phủ.",
        "proposals": "Đề nghị Văn phòng UBND tỉnh đôn đốc các sở, ngành cập nhật số liệu đúng kỳ.",
        "evidence": "Biên bản nghiệm thu kết nối Hệ thống thông tin báo cáo",
    },
}


def _plans():
    """Each plan with a history: (its tasks, the history, the texts of each task's reports)."""
    dong_thap = Task.objects.filter(plan__province__slug="dong-thap")
    reports_115 = {code: {"done": DONE_TEXT[code], "evidence": EVIDENCE[code]} for code in DONE_TEXT}
    return [
        (dong_thap.filter(plan__number=PLAN, code__in=HISTORY), HISTORY, reports_115),
        (dong_thap.filter(plan__number="", plan__title__contains=PLAN_1012, code__in=HISTORY_1012),
         HISTORY_1012, REPORTS_1012),
    ]


def load_history():
    reporter = User.objects.filter(username=REPORTER).first()
    reviewer = User.objects.filter(username=REVIEWER).first()
    if reporter is None or reviewer is None:
        return
    for tasks, history, reports in _plans():
        for task in tasks:
            for due, events in history[task.code]:
                occurrence = task.occurrences.filter(due=due).first() if due else None
                if (due and occurrence is None) or _touched(task, occurrence):
                    continue
                for day, event in events:
                    _apply(task, occurrence, day, event, reporter, reviewer, reports.get(task.code, {}))
    _hand_over(reviewer)


def _hand_over(admin):
    if Handover.objects.filter(decision=HANDOVER_DECISION).exists():
        return
    agencies = Agency.objects.filter(province__slug="dong-thap")
    plan_tasks = Task.objects.filter(plan__province__slug="dong-thap", plan__number=PLAN)
    for from_name, to_names, codes in HANDOVERS:
        handover = hand_over(
            plan_tasks.filter(code__in=codes), from_agency=agencies.get(name=from_name),
            to_agencies=list(agencies.filter(name__in=to_names)), role=AssignmentRole.LEAD,
            decision=HANDOVER_DECISION, effective_on=HANDOVER_FROM, user=admin,
            note="Điều chỉnh phân công sau khi kết thúc hoạt động của chính quyền cấp huyện.",
        )
        when = timezone.make_aware(datetime.datetime.combine(D(2025, 7, 18), datetime.time(10)))
        Handover.objects.filter(pk=handover.pk).update(created_at=when)
        TaskUpdate.objects.filter(kind=TaskUpdate.Kind.HANDOVER, task__code__in=codes,
                                  task__plan__number=PLAN).update(created_at=when)
        Notification.objects.filter(task__code__in=codes, task__plan__number=PLAN,
                                    read_at__isnull=True).update(created_at=when)


def _touched(task, occurrence):
    target = occurrence or task
    updates = TaskUpdate.objects.filter(task=task, occurrence=occurrence).exclude(kind=TaskUpdate.Kind.IMPORT)
    return target.status != TaskStatus.NOT_STARTED or updates.exists()


def _apply(task, occurrence, day, event, reporter, reviewer, texts):
    task.refresh_from_db(fields=["version"])
    if isinstance(event, tuple):
        extension = workflow.request_extension(
            task, author=reporter, proposed_due=event[1], reason=EXTENSION_REASON, occurrence=occurrence
        )
        ExtensionRequest.objects.filter(pk=extension.pk).update(created_at=_at(day))
        update = task.updates.order_by("-pk").first()
    elif event == "approve":
        extension = ExtensionRequest.objects.filter(task=task).pending().get()
        update = workflow.decide_extension(extension, author=reviewer, version=task.version, approve=True,
                                           note="Đồng ý gia hạn.")
        ExtensionRequest.objects.filter(pk=extension.pk).update(decided_at=_at(day))
    elif event in ("accept", "return"):
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
            status=TaskStatus.AWAITING_ACCEPTANCE, progress=100, completed_on=day, done=texts["done"],
            difficulties=texts.get("difficulties", ""), proposals=texts.get("proposals", ""),
            evidence=[{"reference": f"{texts['evidence']} ngày {day:%d/%m/%Y}"}],
        )
    when = _at(day)
    TaskUpdate.objects.filter(pk=update.pk).update(created_at=when)
    Notification.objects.filter(task=task, read_at__isnull=True).update(created_at=when, read_at=when)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
