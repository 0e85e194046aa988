"""A plan's targets and its tasks' product indicators through the import: the contract's "targets" and
"indicators", the targets sheet saved field by field, targets proposed from a Word plan's objectives
kept only when the admin ticks them, and what a second import keeps."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.demo import DEMO_DIR, _load_province
from plans.import_commit import commit_import
from plans.importing import build_import_preview
from plans.models import AppendixImport, Plan
from tasks.models import Indicator, Target
from tests.factories import PlanFactory, TargetReportFactory, UserFactory
from tests.plans.import_helpers import private_media, run_command, xlsx_bytes  # noqa: F401
from tests.plans.test_targets_sheet import DONGNAI

pytestmark = pytest.mark.django_db

WORKBOOK = DEMO_DIR / "appendix" / "dongnai-53-2024.xlsx"
WORD_PLAN = Path(__file__).resolve().parent / "documents" / "dongnai-53-2024.docx"
HEADER = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm"]


@pytest.fixture
def dong_nai():
    return _load_province("dong-nai", "Đồng Nai")


def test_the_contract_lists_the_23_targets_of_the_sheet(dong_nai):
    output = json.loads(
        run_command(
            WORKBOOK, "--province", "dong-nai", "--dry-run", "--json", "--reference-date", "2024-02-15"
        )
    )
    assert [
        (t["code"], t["group"], t["name"], t["comparator"], t["value"], t["unit"], t["level"])
        for t in output["targets"]
    ] == [row[:7] for row in DONGNAI]
    assert output["targets"][0]["deadline"] == {
        "text": "Năm 2024",
        "kind": "period",
        "due": "2024-12-31",
        "every": None,
    }
    assert all(task["indicators"] == [] for task in output["tasks"])


def test_importing_the_workbook_saves_every_target_field_by_field(dong_nai):
    run_command(
        WORKBOOK, "--province", "dong-nai", "--title", "Kế hoạch 53", "--reference-date", "2024-02-15"
    )
    saved = Target.objects.order_by("position")
    assert [(t.code, t.group, t.name, t.comparator, t.value, t.unit, t.level) for t in saved] == [
        (code, group, name, comparator, Decimal(str(value)), unit, level)
        for code, group, name, comparator, value, unit, level, _printed in DONGNAI
    ]
    assert {t.due.isoformat() for t in saved} == {"2024-12-31"}
    assert {t.origin for t in saved} == {"imported"}


def test_a_deliverable_with_figures_gets_its_indicators(dong_nai):
    rows = [
        HEADER,
        [
            "1",
            "Hỗ trợ doanh nghiệp chuyển đổi số",
            "Sở Công Thương",
            "",
            "Năm 2026",
            "Tối thiểu 20 doanh nghiệp được hỗ trợ; 100% hồ sơ thực hiện trực tuyến",
        ],
        ["2", "Xây dựng dự án", "Sở Công Thương", "", "Năm 2026", "Phấn đấu 03-05 dự án"],
    ]
    preview = build_import_preview(dong_nai, _file(rows), "phu-luc.xlsx", None)
    assert preview["tasks"][0]["indicators"] == [
        {"comparator": ">=", "value": 20, "unit": "doanh nghiệp", "subject": "doanh nghiệp được hỗ trợ"},
        {"comparator": ">=", "value": 100, "unit": "%", "subject": "hồ sơ thực hiện trực tuyến"},
    ]
    assert preview["tasks"][1]["indicators"] == [
        {"comparator": "range", "value": 3, "value_max": 5, "unit": "dự án", "subject": "dự án"}
    ]
    plan, _result = commit_import(dong_nai, preview, plan=PlanFactory(province=dong_nai))
    assert list(
        Indicator.objects.filter(task__plan=plan).values_list("comparator", "value", "value_max")
    ) == [
        (">=", Decimal("20"), None),
        (">=", Decimal("100"), None),
        ("range", Decimal("3"), Decimal("5")),
    ]


def test_an_unchanged_deliverable_keeps_the_admins_corrections(dong_nai):
    rows = [
        HEADER,
        ["1", "Hỗ trợ doanh nghiệp", "Sở Công Thương", "", "Năm 2026", "Tối thiểu 20 doanh nghiệp"],
    ]
    plan = PlanFactory(province=dong_nai)
    commit_import(dong_nai, build_import_preview(dong_nai, _file(rows), "a.xlsx", None), plan=plan)
    Indicator.objects.update(value=25)
    commit_import(dong_nai, build_import_preview(dong_nai, _file(rows), "a.xlsx", None), plan=plan)
    assert list(Indicator.objects.values_list("value", flat=True)) == [Decimal("25")]
    rows[1][5] = "Tối thiểu 30 doanh nghiệp"
    commit_import(dong_nai, build_import_preview(dong_nai, _file(rows), "a.xlsx", None), plan=plan)
    assert list(Indicator.objects.values_list("value", flat=True)) == [Decimal("30")]


def test_a_second_import_updates_targets_and_keeps_those_with_values(dong_nai):
    plan = PlanFactory(province=dong_nai)
    preview = build_import_preview(dong_nai, WORKBOOK.open("rb"), WORKBOOK.name, None)
    commit_import(dong_nai, preview, plan=plan)
    reported = plan.targets.get(code="2")
    TargetReportFactory(target=reported)
    manual = Target.objects.create(plan=plan, code="99", name="Nhập tay", value=1, unit="số")
    preview["targets"] = [t for t in preview["targets"] if t["code"] not in ("2", "3")]
    preview["targets"][0]["value"] = 60
    commit_import(dong_nai, preview, plan=plan)
    assert plan.targets.get(code="1").value == Decimal("60")
    assert set(plan.targets.values_list("code", flat=True)) >= {"2", "99"} and not plan.targets.filter(
        code="3"
    )
    assert plan.targets.filter(pk__in=[reported.pk, manual.pk]).count() == 2


# --- Targets proposed from the plan's objectives -------------------------------------------------------


@pytest.mark.usefixtures("private_media")
def test_the_word_plan_proposes_its_targets_and_only_the_ticked_ones_are_saved(client, dong_nai):
    admin = UserFactory(province=dong_nai, role="province_admin")
    client.force_login(admin)
    upload = client.post(
        reverse("plans:import_upload"), {"file": SimpleUploadedFile(WORD_PLAN.name, WORD_PLAN.read_bytes())}
    )
    assert upload.status_code == 302
    record = AppendixImport.objects.get()
    proposed = record.preview["targets"]
    assert len(proposed) == 23 and all(t["proposed"] for t in proposed)
    page = client.get(record.get_absolute_url()).content.decode()
    assert 'name="target" value="2"' in page
    client.post(reverse("plans:import_confirm", args=[record.pk]), {"target": ["2", "3", "nonsense"]})
    plan = Plan.objects.get()
    assert list(plan.targets.values_list("code", "value", "level", "origin")) == [
        ("2", Decimal("80"), "cấp sở", "proposed"),
        ("3", Decimal("40"), "cấp huyện", "proposed"),
    ]


def test_the_command_keeps_proposed_targets_only_when_asked(dong_nai):
    run_command(WORD_PLAN, "--province", "dong-nai")
    assert not Target.objects.exists()
    Plan.objects.all().delete()
    run_command(WORD_PLAN, "--province", "dong-nai", "--keep-proposed-targets")
    assert Target.objects.count() == 23


def _file(rows):
    return io.BytesIO(xlsx_bytes(rows, title_rows=()))
