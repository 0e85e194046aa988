"""Dated changes of the administration (``apply_restructuring``): mergers, dissolutions, provinces."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Agency, AgencyKind, Province, RestructuringChange, Role
from agencies.restructuring import RestructuringError, apply_changes, read_changes, role_key
from plans.models import Plan
from tests.factories import AgencyFactory, PlanFactory, ProvinceFactory, UserFactory

HEADER = "effective_date,province,old_name,new_name,kind_of_change,note\n"
TODAY = datetime.date(2026, 12, 2)


def changes(*rows):
    return read_changes(HEADER + "".join(f"{row}\n" for row in rows))


@pytest.mark.parametrize(
    ("name", "province", "key"),
    [
        ("Công an tỉnh", "Quảng Nam", "cong an"),
        ("Công an thành phố Đà Nẵng", "Đà Nẵng", "cong an"),
        ("Báo Quảng Nam", "Quảng Nam", "bao"),
        ("Các sở, ban, ngành của tỉnh Đồng Tháp", "Đồng Tháp", "cac so, ban, nganh"),
        ("Sở Nội vụ", "Quảng Nam", "so noi vu"),
    ],
)
def test_role_key_drops_the_level_and_the_province(name, province, key):
    assert role_key(name, [province]) == key


def test_a_date_not_iso_is_refused_with_its_line():
    with pytest.raises(RestructuringError, match="dòng 3"):
        changes("2025-03-01,dt,Sở A,Sở B,merge,", "01/03/2025,dt,Sở C,Sở D,merge,")


def test_an_unknown_kind_of_change_is_refused():
    with pytest.raises(RestructuringError, match="dòng 2"):
        changes("2025-03-01,dt,Sở A,Sở B,absorb,")


def test_a_file_without_the_columns_is_refused():
    with pytest.raises(RestructuringError):
        read_changes("date,old,new\n2025-03-01,a,b\n")


@pytest.fixture
def dong_thap():
    return ProvinceFactory(name="Đồng Tháp", slug="dong-thap")


@pytest.mark.django_db
def test_a_merged_department_ends_the_day_before_and_names_its_successor(dong_thap):
    old = AgencyFactory(province=dong_thap, name="Sở Thông tin và Truyền thông")
    new = AgencyFactory(province=dong_thap, name="Sở Khoa học và Công nghệ")

    row = "2025-03-01,dong-thap,Sở Thông tin và Truyền thông,Sở Khoa học và Công nghệ,merge,NĐ 45"
    apply_changes(changes(row), today=TODAY)

    old.refresh_from_db()
    assert (old.active_until, old.successor, old.succession_note) == (
        datetime.date(2025, 2, 28), new, "NĐ 45"
    )


@pytest.mark.django_db
def test_a_missing_successor_is_created_from_the_effective_date(dong_thap):
    AgencyFactory(province=dong_thap, name="Sở Tài nguyên và Môi trường")

    row = "2025-03-01,dong-thap,Sở Tài nguyên và Môi trường,Sở Nông nghiệp và Môi trường,merge,"
    apply_changes(changes(row), today=TODAY)

    created = Agency.objects.get(province=dong_thap, name="Sở Nông nghiệp và Môi trường")
    assert (created.kind, created.active_from) == (AgencyKind.DEPARTMENT, datetime.date(2025, 3, 1))


@pytest.mark.django_db
def test_a_dissolved_agency_ends_without_successor(dong_thap):
    district = AgencyFactory(province=dong_thap, name="UBND huyện Tân Hồng", kind=AgencyKind.DISTRICT)

    moves = apply_changes(changes("2025-07-01,dong-thap,UBND huyện Tân Hồng,,dissolve,"), today=TODAY)

    district.refresh_from_db()
    assert (district.active_until, district.successor) == (datetime.date(2025, 6, 30), None)
    assert "không có đơn vị kế thừa" in moves[0]


@pytest.mark.django_db
def test_the_receiving_agency_named_by_its_alias_is_left_alone(dong_thap):
    committee = AgencyFactory(province=dong_thap, name="UBND tỉnh", kind=AgencyKind.PROVINCE_OFFICE)
    committee.aliases.create(name="UBND tỉnh Đồng Tháp")

    moves = apply_changes(changes("2025-07-01,dong-thap,UBND tỉnh,UBND tỉnh Đồng Tháp,merge,"), today=TODAY)

    committee.refresh_from_db()
    assert (moves, committee.active_until) == ([], None)


@pytest.fixture
def merger():
    """Quảng Nam and Đà Nẵng, as the 2025 rows of the fixture name them."""
    quang_nam = ProvinceFactory(name="Quảng Nam", slug="quang-nam")
    da_nang = ProvinceFactory(name="Đà Nẵng", slug="da-nang")
    rows = changes(
        "2025-07-01,quang-nam,UBND huyện Đại Lộc,,dissolve,",
        "2025-07-01,quang-nam,Tỉnh Quảng Nam,Thành phố Đà Nẵng,merge,NQ 202/2025/QH15",
        "2025-07-01,quang-nam,Thành phố Đà Nẵng,Thành phố Đà Nẵng,merge,",
    )
    return quang_nam, da_nang, rows


@pytest.mark.django_db
def test_a_merged_province_ends_and_names_the_province_holding_it(merger):
    quang_nam, da_nang, rows = merger

    apply_changes(rows, today=TODAY)

    quang_nam.refresh_from_db()
    assert (quang_nam.active_until, quang_nam.successor, quang_nam.label) == (
        datetime.date(2025, 6, 30), da_nang, "Quảng Nam (cũ)"
    )


@pytest.mark.django_db
def test_a_same_role_agency_of_the_merged_province_carries_on(merger):
    quang_nam, da_nang, rows = merger
    police = AgencyFactory(province=quang_nam, name="Công an tỉnh", kind=AgencyKind.POLICE)
    city_police = AgencyFactory(province=da_nang, name="Công an thành phố", kind=AgencyKind.POLICE)

    apply_changes(rows, today=TODAY)

    police.refresh_from_db()
    assert police.successor == city_police


@pytest.mark.django_db
def test_a_department_the_merged_province_lacks_is_created_there(merger):
    quang_nam, da_nang, rows = merger
    AgencyFactory(province=quang_nam, name="Sở Ngoại vụ")

    apply_changes(rows, today=TODAY)

    assert Agency.objects.get(province=quang_nam, name="Sở Ngoại vụ").successor.province == da_nang


@pytest.mark.django_db
def test_an_agency_named_after_the_old_province_without_counterpart_ends_alone(merger):
    quang_nam, _da_nang, rows = merger
    zone = AgencyFactory(province=quang_nam, name="Ban Quản lý các Khu kinh tế tỉnh Quảng Nam")

    apply_changes(rows, today=TODAY)

    zone.refresh_from_db()
    assert (zone.active_until, zone.successor) == (datetime.date(2025, 6, 30), None)


@pytest.mark.django_db
def test_a_district_dissolved_the_same_day_is_not_carried_to_the_merged_province(merger):
    quang_nam, da_nang, rows = merger
    AgencyFactory(province=quang_nam, name="UBND huyện Đại Lộc", kind=AgencyKind.DISTRICT)

    apply_changes(rows, today=TODAY)

    assert not Agency.objects.filter(province=da_nang, name="UBND huyện Đại Lộc").exists()


@pytest.mark.django_db
def test_users_of_the_merged_province_keep_their_login_and_move(merger):
    quang_nam, da_nang, rows = merger
    department = AgencyFactory(province=quang_nam, name="Sở Khoa học và Công nghệ")
    city_department = AgencyFactory(province=da_nang, name="Sở Khoa học và Công nghệ")
    admin = UserFactory(province=quang_nam, agency=department, role=Role.PROVINCE_ADMIN, username="qn.admin")

    apply_changes(rows, today=TODAY)

    admin.refresh_from_db()
    assert (admin.username, admin.province, admin.agency) == ("qn.admin", da_nang, city_department)


@pytest.mark.django_db
def test_users_of_the_merged_province_see_its_plans(merger):
    quang_nam, da_nang, rows = merger
    inherited = PlanFactory(province=quang_nam)
    apply_changes(rows, today=TODAY)
    city_admin = UserFactory(province=da_nang, role=Role.PROVINCE_ADMIN)

    assert list(Plan.objects.visible_to(city_admin)) == [inherited]


@pytest.mark.django_db
def test_the_old_province_does_not_see_the_merged_provinces_own_plans(merger):
    quang_nam, da_nang, rows = merger
    PlanFactory(province=da_nang)
    apply_changes(rows, today=TODAY)
    old_admin = UserFactory(province=quang_nam, role=Role.PROVINCE_ADMIN, agency=None)

    assert list(Plan.objects.visible_to(old_admin)) == []


@pytest.mark.django_db
def test_a_province_named_in_a_merger_but_missing_is_recorded(dong_thap):
    apply_changes(changes("2025-07-01,dong-thap,Tỉnh Tiền Giang,Tỉnh Đồng Tháp,merge,"), today=TODAY)

    tien_giang = Province.objects.get(slug="tien-giang")
    assert (tien_giang.successor, tien_giang.active_until) == (dong_thap, datetime.date(2025, 6, 30))


@pytest.mark.django_db
def test_applying_twice_moves_nothing_the_second_time(merger):
    quang_nam, da_nang, rows = merger
    AgencyFactory(province=quang_nam, name="Sở Nội vụ")
    AgencyFactory(province=da_nang, name="Sở Nội vụ")
    apply_changes(rows, today=TODAY)

    assert apply_changes(rows, today=TODAY) == []


@pytest.mark.django_db
def test_a_dry_run_writes_nothing(merger):
    quang_nam, _da_nang, rows = merger
    AgencyFactory(province=quang_nam, name="Sở Nội vụ")

    moves = apply_changes(rows, dry_run=True, today=TODAY)

    assert moves and not Province.objects.filter(active_until__isnull=False).exists()
    assert not RestructuringChange.objects.exists()


@pytest.mark.django_db
def test_each_applied_change_keeps_what_it_moved(dong_thap):
    AgencyFactory(province=dong_thap, name="Sở Giao thông vận tải")
    AgencyFactory(province=dong_thap, name="Sở Xây dựng")

    apply_changes(changes("2025-03-01,dong-thap,Sở Giao thông vận tải,Sở Xây dựng,merge,"), today=TODAY)

    change = RestructuringChange.objects.get()
    assert (change.old_name, change.new_name, len(change.moves)) == (
        "Sở Giao thông vận tải", "Sở Xây dựng", 1
    )


@pytest.mark.django_db
def test_the_command_prints_the_moves_and_changes_nothing_on_a_dry_run(dong_thap, tmp_path):
    AgencyFactory(province=dong_thap, name="Sở Giao thông vận tải")
    csv = tmp_path / "changes.csv"
    csv.write_text(HEADER + "2025-03-01,dong-thap,Sở Giao thông vận tải,Sở Xây dựng,merge,\n",
                   encoding="utf-8")
    out = io.StringIO()

    call_command("apply_restructuring", str(csv), "--dry-run", stdout=out)

    assert "Sở Giao thông vận tải" in out.getvalue()
    assert Agency.objects.get(name="Sở Giao thông vận tải").active_until is None


@pytest.mark.django_db
def test_the_command_refuses_a_bad_file_with_a_message(tmp_path):
    csv = tmp_path / "changes.csv"
    csv.write_text("date,old\n", encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("apply_restructuring", str(csv))
