"""``import_appendix``: the command-line contract on the demo appendices, writes, and bad input."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from plans.demo import DEMO_DIR, load_demo
from plans.models import AppendixImport, ImportStatus, Plan
from tasks.models import Notification, TaskUpdate
from tests.plans.import_helpers import (  # noqa: F401
    HEADER,
    bad_files,
    dong_thap,
    import_counts,
    private_media,
    run_command,
    table_counts,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

MANIFEST = json.loads((DEMO_DIR / "appendix" / "manifest.json").read_text(encoding="utf-8"))
PLANS = json.loads((DEMO_DIR / "plans.json").read_text(encoding="utf-8"))["plans"]
ROWS = [HEADER, ["1", "Rà soát", "Sở Nội vụ", "Sở Tư pháp", "Năm 2024", ""]]


def without_suggestions_and_issues(output):
    """The tasks of the contract, as the goldens hold them."""
    for task in output["tasks"]:
        for role in ("lead", "coordinators"):
            for mention in task[role]:
                del mention["suggestions"]
    return {"tasks": output["tasks"]}


@pytest.mark.parametrize("filename", sorted(MANIFEST))
def test_dry_run_json_equals_the_golden_file(filename):
    load_demo()
    entry = MANIFEST[filename]
    args = [DEMO_DIR / "appendix" / filename, "--province", entry["province"], "--dry-run", "--json"]
    if entry["plan"]:
        args += ["--plan", entry["plan"]]
    else:
        plan = next(plan for plan in PLANS if plan["appendix"] == f"appendix/{filename}")
        args += ["--reference-date", plan["deadline_reference_date"]]
    before = import_counts()

    output = json.loads(run_command(*args))

    assert output["source"] == "appendix"
    golden = DEMO_DIR / "appendix" / filename.replace(".xlsx", ".expected.json")
    assert without_suggestions_and_issues(output) == json.loads(golden.read_text("utf-8"))
    assert import_counts() == before


@pytest.mark.usefixtures("dong_thap")
def test_dry_run_prints_the_contract_keys_only(tmp_path):
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))

    output = json.loads(run_command(path, "--province", "dong-thap", "--dry-run", "--json"))

    assert list(output) == ["plan", "source", "tasks", "issues"]
    assert list(output["plan"]) == [
        "number", "issued_on", "kind", "issuer", "title", "signer", "signer_position", "legal_basis",
    ]
    assert output["source"] == "appendix"
    assert list(output["tasks"][0]) == [
        "code",
        "section",
        "section_title",
        "title",
        "lead",
        "coordinators",
        "deliverable",
        "deadline",
        "indicators",
    ]


@pytest.mark.usefixtures("dong_thap", "private_media")
def test_import_creates_the_plan_and_records_the_import(tmp_path):
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))

    out = run_command(
        path,
        "--province",
        "dong-thap",
        "--plan",
        "12/KH-UBND",
        "--title",
        "Kế hoạch CĐS",
        "--issued-on",
        "2024-04-08",
        "--json",
    )

    plan = Plan.objects.get(number="12/KH-UBND")
    assert (plan.title, str(plan.reference_date)) == ("Kế hoạch CĐS", "2024-04-08")
    assert plan.issuer == "UBND tỉnh Đồng Tháp"
    assert json.loads(out)["created"] == 1
    record = AppendixImport.objects.get()
    assert (record.plan, record.status, record.original_name) == (plan, ImportStatus.DONE, "phu-luc.xlsx")
    assert TaskUpdate.objects.filter(task__plan=plan, kind="import").count() == 1


@pytest.mark.usefixtures("dong_thap", "private_media")
def test_reimport_into_the_same_plan_updates(tmp_path):
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))
    run_command(path, "--province", "dong-thap", "--plan", "12/KH-UBND", "--title", "Kế hoạch CĐS")
    path.write_bytes(xlsx_bytes([HEADER, ["1", "Rà soát", "Sở Nội vụ", "", "Quý II/2024", ""]]))

    out = run_command(path, "--province", "dong-thap", "--plan", "12/KH-UBND", "--json")

    assert (json.loads(out)["created"], json.loads(out)["updated"]) == (0, 1)
    assert Plan.objects.get().tasks.get().deadline_text == "Quý II/2024"


@pytest.mark.usefixtures("dong_thap")
def test_summary_lists_the_issues_by_row(tmp_path):
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx_bytes([HEADER, ["1", "Rà soát", "Sở Ngoi vụ", "", "Năm 2024", ""]]))

    out = run_command(path, "--province", "dong-thap", "--dry-run")

    assert "4\t" in out and "Sở Ngoi vụ" in out


@pytest.mark.usefixtures("dong_thap", "private_media")
def test_new_plan_without_a_title_takes_the_rows_above_the_table(tmp_path):
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx_bytes(ROWS, title_rows=("PHỤ LỤC", "DANH MỤC NHIỆM VỤ NĂM 2024")))

    run_command(path, "--province", "dong-thap")

    assert Plan.objects.get().title == "DANH MỤC NHIỆM VỤ NĂM 2024"


@pytest.mark.usefixtures("dong_thap")
def test_new_plan_with_no_title_anywhere_is_refused(tmp_path):
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx_bytes(ROWS, title_rows=()))
    before = import_counts()

    with pytest.raises(CommandError, match="--title"):
        run_command(path, "--province", "dong-thap")

    assert import_counts() == before


@pytest.mark.usefixtures("dong_thap")
def test_file_with_errors_is_not_imported(tmp_path):
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx_bytes([*ROWS, ["2", "", "Sở Nội vụ", "", "Năm 2024", ""]]))
    before = import_counts()

    with pytest.raises(CommandError, match="Thiếu nội dung nhiệm vụ"):
        run_command(path, "--province", "dong-thap", "--title", "Kế hoạch")

    assert import_counts() == before


def test_unknown_province_is_refused(tmp_path):
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))

    with pytest.raises(CommandError, match="khong-co"):
        run_command(path, "--province", "khong-co", "--dry-run")


@pytest.mark.usefixtures("dong_thap")
def test_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="khong-co.xlsx"):
        run_command(tmp_path / "khong-co.xlsx", "--province", "dong-thap")


@pytest.mark.usefixtures("dong_thap")
@pytest.mark.parametrize("case", sorted(bad_files()))
def test_bad_file_gets_a_message_and_writes_nothing(tmp_path, case):
    name, content, words = bad_files()[case]
    path = tmp_path / name
    path.write_bytes(content)
    before = import_counts()

    with pytest.raises(CommandError, match=words):
        run_command(path, "--province", "dong-thap", "--title", "Kế hoạch")

    assert import_counts() == before


@pytest.mark.usefixtures("dong_thap")
def test_over_the_limits_is_refused(tmp_path, settings):
    settings.APPENDIX_MAX_ROWS = 3
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))

    with pytest.raises(CommandError, match="quá nhiều dòng"):
        run_command(path, "--province", "dong-thap", "--title", "Kế hoạch")


@pytest.mark.django_db
def test_import_tells_focal_points_of_their_new_tasks():
    load_demo()
    call_command(
        "import_appendix",
        str(DEMO_DIR / "appendix" / "dongthap-115-2024.xlsx"),
        "--province",
        "dong-thap",
        "--plan",
        "999/KH-UBND",
        "--title",
        "Kế hoạch thử",
        "--issued-on",
        "2024-04-08",
        stdout=StringIO(),
    )

    notified = Notification.objects.filter(recipient__username="dongthap.noivu", kind="assigned")
    assert notified.filter(task__plan__number="999/KH-UBND").exists()
