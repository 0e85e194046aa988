"""Factories and form data for the focal-point workflow tests."""

import datetime
import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from tasks import workflow
from tasks.models import Notification, NotificationKind, UrgingNotice
from tests.factories import ProvinceFactory, TaskFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = NotificationKind.RETURNED
    task = factory.SubFactory(TaskFactory)
    message = "Bổ sung văn bản"


def pdf(name="bao-cao.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def office_file(part):
    """The bytes of a minimal OOXML package holding ``part`` ("word/document.xml", "xl/workbook.xml")."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


def evidence_data(*rows):
    """POST data of the evidence formset: ``rows`` of (reference, file or None)."""
    data = {
        "evidence-TOTAL_FORMS": str(max(len(rows), 1)),
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "10",
    }
    for index, (reference, upload) in enumerate(rows):
        data[f"evidence-{index}-reference"] = reference
        if upload is not None:
            data[f"evidence-{index}-file"] = upload
    return data


def report_data(task, *evidence, **fields):
    """A complete progress report on ``task`` as the form posts it."""
    return {
        "version": task.version,
        "status": "in_progress",
        "progress": "40",
        "completed_on": "",
        "done": "Đã xây dựng dự thảo",
        "difficulties": "",
        "proposals": "",
        **evidence_data(*evidence),
        **fields,
    }


def report_complete(task, author, completed_on=datetime.date(2024, 12, 20), **fields):
    """``author`` reports ``task`` complete through tasks.workflow; the task is refreshed."""
    update = workflow.report(
        task,
        author=author,
        version=task.version,
        status="awaiting_acceptance",
        progress=100,
        completed_on=completed_on,
        **{"done": "Đã hoàn thành", **fields},
    )
    task.refresh_from_db()
    return update


class UrgingNoticeFactory(factory.django.DjangoModelFactory):
    """An urging notice as ``tasks.urging.send`` leaves it, without its items."""

    class Meta:
        model = UrgingNotice

    province = factory.SubFactory(ProvinceFactory)
    created_by = factory.SubFactory(UserFactory, province=factory.SelfAttribute("..province"))
    issuer = "Sở Khoa học và Công nghệ"
    subject = "V/v đôn đốc thực hiện nhiệm vụ theo Kế hoạch số 115/KH-UBND"
