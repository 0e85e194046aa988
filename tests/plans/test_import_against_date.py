"""An import checks each agency it resolves against the plan's date: an agency that did not exist then
is flagged with the agency proposed in its place, and the admin decides."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import AgencyAlias, AgencyKind
from plans.forms import MentionChoiceForm, agencies_for
from plans.import_commit import MentionChoice, commit_import
from plans.importing import build_import_preview, mentions_to_review
from plans.models import AppendixImport
from tasks.models import TaskAssignment
from tests.factories import AgencyFactory, PlanFactory
from tests.plans.import_helpers import HEADER, private_media, run_command, xlsx_bytes  # noqa: F401

pytestmark = pytest.mark.django_db

MERGER_MESSAGE = (
    "Sở Thông tin và Truyền thông đã kết thúc hoạt động từ 01/03/2025; đề xuất: Sở Khoa học và Công nghệ"
)
ISSUED_2026 = datetime.date(2026, 1, 15)
ISSUED_2024 = datetime.date(2024, 4, 8)


def rows(lead, coordinators=""):
    return [HEADER, ["1", "Triển khai nền tảng số", lead, coordinators, "Năm 2026", "Báo cáo"]]


def with_alias(agency, *aliases):
    AgencyAlias.objects.bulk_create(AgencyAlias(agency=agency, name=alias) for alias in aliases)
    return agency


@pytest.fixture
def science(province):
    return AgencyFactory(province=province, name="Sở Khoa học và Công nghệ")


@pytest.fixture
def ict(province, science):
    merged = AgencyFactory(
        province=province, name="Sở Thông tin và Truyền thông",
        active_until=datetime.date(2025, 2, 28), successor=science,
    )
    return with_alias(merged, "Sở TT&TT")


@pytest.fixture
def district(province):
    return AgencyFactory(
        province=province, name="UBND huyện Tân Hồng", kind=AgencyKind.DISTRICT,
        active_until=datetime.date(2025, 6, 30),
    )


@pytest.fixture
def districts_group(province, district):
    group = AgencyFactory(
        province=province, name="UBND cấp huyện", kind=AgencyKind.GROUP,
        active_until=datetime.date(2025, 6, 30),
    )
    group.members.set([district])
    return with_alias(group, "UBND các huyện, thị xã, thành phố")


@pytest.fixture
def communes(province):
    # An older commune group in force too: the one named "UBND các xã, phường" is preferred.
    AgencyFactory(province=province, name="UBND cấp xã", kind=AgencyKind.COMMUNE_GROUP)
    return AgencyFactory(
        province=province, name="UBND các xã, phường", kind=AgencyKind.COMMUNE_GROUP,
        active_from=datetime.date(2025, 7, 1),
    )


def preview_of(province, lead, issued_on, reference_date=None):
    return build_import_preview(
        province, xlsx_bytes(rows(lead)), "phu-luc.xlsx", reference_date or issued_on, issued_on=issued_on
    )


def warnings(preview):
    return [issue["message"] for issue in preview["issues"] if issue["level"] == "warning"]


def lead_of(preview):
    return preview["tasks"][0]["lead"][0]


# --- The preview -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("ict")
def test_a_2026_plan_naming_a_merged_department_is_warned_with_its_successor(province):
    preview = preview_of(province, "Sở TT&TT", ISSUED_2026)

    assert warnings(preview) == [MERGER_MESSAGE]
    assert preview["issues"][0]["row"] == 4
    assert lead_of(preview)["out_of_force"] == {
        "ended_on": "2025-03-01", "begins_on": None, "proposal": "Sở Khoa học và Công nghệ",
    }


@pytest.mark.usefixtures("ict")
def test_the_merged_department_is_put_up_for_review_with_its_successor_proposed(province):
    preview = preview_of(province, "Sở TT&TT", ISSUED_2026)

    [entry] = mentions_to_review(preview)

    assert (entry["mention"], entry["agency"], entry["note"]) == (
        "Sở TT&TT", "Sở Thông tin và Truyền thông", MERGER_MESSAGE,
    )


@pytest.mark.usefixtures("ict")
def test_the_same_mention_in_a_2024_plan_is_not_flagged(province):
    preview = preview_of(province, "Sở TT&TT", ISSUED_2024)

    assert warnings(preview) == []
    assert "out_of_force" not in lead_of(preview)
    assert mentions_to_review(preview) == []


@pytest.mark.usefixtures("ict")
def test_a_plan_issued_before_the_merger_is_checked_on_its_issue_date_not_its_reference_date(province):
    preview = preview_of(province, "Sở TT&TT", datetime.date(2025, 2, 1), reference_date=ISSUED_2026)

    assert warnings(preview) == []
    assert preview["plan_date"] == "2025-02-01"


@pytest.mark.usefixtures("ict")
def test_a_plan_without_issue_date_is_checked_on_its_reference_date(province):
    preview = preview_of(province, "Sở TT&TT", None, reference_date=ISSUED_2026)

    assert warnings(preview) == [MERGER_MESSAGE]
    assert preview["plan_date"] == "2026-01-15"


@pytest.mark.parametrize("mention", ["UBND các huyện, thị xã, thành phố", "UBND cấp huyện"])
@pytest.mark.usefixtures("districts_group", "communes")
def test_the_district_level_group_in_a_2026_plan_is_proposed_the_communes(province, mention):
    preview = preview_of(province, mention, ISSUED_2026)

    assert warnings(preview) == [
        "UBND cấp huyện đã kết thúc hoạt động từ 01/07/2025; đề xuất: UBND các xã, phường"
    ]
    assert lead_of(preview)["out_of_force"]["proposal"] == "UBND các xã, phường"


@pytest.mark.usefixtures("communes")
def test_a_district_in_a_2026_plan_is_proposed_the_communes(province, district):
    preview = preview_of(province, "UBND huyện Tân Hồng", ISSUED_2026)

    assert lead_of(preview)["out_of_force"]["proposal"] == "UBND các xã, phường"


@pytest.mark.usefixtures("communes")
def test_a_district_the_catalogue_has_not_dated_is_flagged_from_1_july_2025(province):
    AgencyFactory(province=province, name="UBND huyện Lấp Vò", kind=AgencyKind.DISTRICT)

    preview = preview_of(province, "UBND huyện Lấp Vò", datetime.date(2025, 7, 1))

    assert warnings(preview) == [
        "UBND huyện Lấp Vò đã kết thúc hoạt động từ 01/07/2025; đề xuất: UBND các xã, phường"
    ]


@pytest.mark.usefixtures("districts_group", "communes")
def test_the_district_level_group_in_a_plan_of_june_2025_is_not_flagged(province):
    preview = preview_of(province, "UBND cấp huyện", datetime.date(2025, 6, 30))

    assert warnings(preview) == []


@pytest.mark.usefixtures("districts_group")
def test_without_a_commune_group_the_district_level_is_flagged_without_proposal(province):
    preview = preview_of(province, "UBND cấp huyện", ISSUED_2026)

    assert warnings(preview) == [
        "UBND cấp huyện đã kết thúc hoạt động từ 01/07/2025; không có đơn vị đang hoạt động để đề xuất: "
        "hãy chọn đơn vị thay thế."
    ]
    assert lead_of(preview)["out_of_force"]["proposal"] is None


@pytest.mark.usefixtures("communes")
def test_an_agency_created_after_the_plans_date_is_flagged(province):
    preview = preview_of(province, "UBND các xã, phường", ISSUED_2024)

    assert warnings(preview) == [
        "UBND các xã, phường chỉ bắt đầu hoạt động từ 01/07/2025, sau ngày của kế hoạch."
    ]


# --- The admin's choice ------------------------------------------------------------------------------


def mention_form(province, preview, data=None):
    mentions = mentions_to_review(preview)
    on = datetime.date.fromisoformat(preview["plan_date"])
    return MentionChoiceForm(data, mentions=mentions, agencies=agencies_for(province, on, mentions), on=on)


def test_the_successor_is_preselected_and_the_former_agency_offered_marked(province, ict, science):
    form = mention_form(province, preview_of(province, "Sở TT&TT", ISSUED_2026))

    field = form.fields["choice_0"]
    assert field.initial == str(science.pk)
    suggestions = dict(field.choices)["Gợi ý"]
    assert suggestions == [
        (str(science.pk), "Sở Khoa học và Công nghệ"),
        (str(ict.pk), "Sở Thông tin và Truyền thông (đã kết thúc 28/02/2025)"),
    ]


def test_ended_agencies_are_not_offered_for_an_unresolved_mention(province, ict, science):
    form = mention_form(province, preview_of(province, "Văn phòng Chính phủ", ISSUED_2026))

    offered = dict(form.fields["choice_0"].choices)["Tất cả đơn vị của tỉnh"]
    assert (str(ict.pk), "Sở Thông tin và Truyền thông (đã kết thúc 28/02/2025)") not in offered
    assert (str(science.pk), "Sở Khoa học và Công nghệ") in offered


def test_committing_without_a_choice_saves_the_proposed_successor(province, ict, science):
    plan = PlanFactory(province=province, issued_on=ISSUED_2026)

    commit_import(province, preview_of(province, "Sở TT&TT", ISSUED_2026), plan=plan)

    assignment = TaskAssignment.objects.get()
    assert (assignment.mention, assignment.agency) == ("Sở TT&TT", science)


@pytest.mark.usefixtures("districts_group")
def test_committing_a_2026_plan_without_a_choice_gives_the_district_tasks_to_the_communes(province, communes):
    plan = PlanFactory(province=province, issued_on=ISSUED_2026)

    commit_import(province, preview_of(province, "UBND các huyện, thị xã, thành phố", ISSUED_2026), plan=plan)

    assert TaskAssignment.objects.get().agency == communes


def test_committing_keeps_the_former_agency_when_the_admin_chooses_it(province, ict):
    plan = PlanFactory(province=province, issued_on=ISSUED_2026)
    choices = {"Sở TT&TT": MentionChoice("agency", agency_id=ict.pk)}

    commit_import(province, preview_of(province, "Sở TT&TT", ISSUED_2026), plan=plan, choices=choices)

    assert TaskAssignment.objects.get().agency == ict


def test_mapping_a_flagged_mention_to_the_successor_adds_no_alias(province, ict, science):
    plan = PlanFactory(province=province, issued_on=ISSUED_2026)
    choices = {"Sở TT&TT": MentionChoice("agency", agency_id=science.pk)}

    _plan, result = commit_import(
        province, preview_of(province, "Sở TT&TT", ISSUED_2026), plan=plan, choices=choices
    )

    assert result["aliases_created"] == 0
    assert not science.aliases.exists()


@pytest.mark.usefixtures("private_media")
def test_confirming_in_the_portal_saves_the_admins_choice(client, province_admin, province, ict, science):
    plan = PlanFactory(province=province, issued_on=ISSUED_2026)
    client.force_login(province_admin)
    upload = {"plan": plan.pk, "file": SimpleUploadedFile("phu-luc.xlsx", xlsx_bytes(rows("Sở TT&TT")))}
    client.post(reverse("plans:import_upload"), upload)
    record = AppendixImport.objects.get()

    page = client.get(record.get_absolute_url())
    client.post(reverse("plans:import_confirm", args=[record.pk]), {"choice_0": str(ict.pk)})

    assert MERGER_MESSAGE in page.text
    assert f'<option value="{science.pk}" selected>' in page.text
    assert TaskAssignment.objects.get().agency == ict


# --- The command line --------------------------------------------------------------------------------


@pytest.mark.usefixtures("ict")
def test_dry_run_json_lists_the_warning_and_the_proposal(tmp_path, province):
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx_bytes(rows("Sở TT&TT")))

    output = json.loads(run_command(
        path, "--province", province.slug, "--issued-on", "2026-01-15", "--dry-run", "--json"
    ))

    assert output["issues"] == [{"row": 4, "level": "warning", "message": MERGER_MESSAGE}]
    assert output["tasks"][0]["lead"][0]["out_of_force"]["proposal"] == "Sở Khoa học và Công nghệ"


@pytest.mark.usefixtures("ict")
def test_dry_run_into_a_2024_plan_checks_against_that_plans_date(tmp_path, province):
    PlanFactory(province=province, number="115/KH-UBND", issued_on=ISSUED_2024)
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx_bytes(rows("Sở TT&TT")))

    output = json.loads(run_command(
        path, "--province", province.slug, "--plan", "115/KH-UBND", "--dry-run", "--json"
    ))

    assert output["issues"] == []
