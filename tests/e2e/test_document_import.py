"""A provincial admin imports a plan as published: the signed PDF, read page by page, its number and
date filled in from the document."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from plans.models import Plan

pytestmark = pytest.mark.usefixtures("demo")

PDF = Path(__file__).resolve().parents[1] / "plans" / "documents" / "dongnai-53-2024.pdf"


def test_an_admin_uploads_a_signed_pdf_and_saves_the_plan_it_prints(sign_in, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the live server reads the PDF as the worker would
    admin = sign_in("dongthap.admin")
    admin.goto("/plans/import/")
    admin.set_input_files("#id_file", str(PDF))
    admin.locator("main button[type=submit].btn-primary").click()

    admin.wait_for_url(re.compile(r"/plans/import/\d+/$"))
    expect(admin.locator("#id_plan-number")).to_have_value("53/KH-UBND")
    expect(admin.locator("#id_plan-issued_on")).to_have_value("15/02/2024")
    expect(admin.locator("#id_plan-signer")).to_have_value("Võ Tấn Đức")
    expect(admin.locator("#preview-tasks h2")).to_contain_text("29")
    with admin.expect_navigation():
        admin.locator("form[action$='/confirm/'] button[type=submit]").click()

    plan = Plan.objects.get(province__slug="dong-thap", number="53/KH-UBND")
    assert (plan.tasks.count(), plan.signer) == (29, "Võ Tấn Đức")
