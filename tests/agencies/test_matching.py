"""Resolving agency mentions against a catalog, and reading catalog CSVs."""

import io
from pathlib import Path
from types import SimpleNamespace

import pytest

from agencies.catalog import CatalogEntry, read_catalog_csv
from agencies.matching import AgencyMatcher

CATALOGS = Path(__file__).resolve().parents[2] / "plans" / "demo_data" / "agencies"
PROVINCES = ("dong-thap", "gia-lai", "quang-nam", "dong-nai")


@pytest.fixture(scope="module")
def dong_thap():
    return AgencyMatcher(read_catalog_csv(CATALOGS / "dong-thap.csv"))


@pytest.fixture(scope="module")
def bare():
    """Canonical names only, so that abbreviations cannot be found among the aliases."""
    names = [
        "Sở Thông tin và Truyền thông",
        "Sở Khoa học và Công nghệ",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở Lao động - Thương binh và Xã hội",
        "Sở Nội vụ",
        "Sở Ngoại vụ",
        "Sở Tài chính",
        "Văn phòng UBND tỉnh",
        "UBND cấp huyện",
        "UBND thành phố Cao Lãnh",
        "UBND huyện Cao Lãnh",
        "Bộ Thông tin và Truyền thông",
        "Công an tỉnh",
    ]
    return AgencyMatcher([CatalogEntry(name) for name in names])


class TestCatalog:
    def test_reads_every_row(self):
        entries = read_catalog_csv(CATALOGS / "dong-thap.csv")

        assert len(entries) == 58 and entries[0] == CatalogEntry(
            "UBND tỉnh",
            ("Ủy ban nhân dân tỉnh", "UBND Tỉnh", "UBND tỉnh Đồng Tháp", "Ủy ban nhân dân tỉnh Đồng Tháp"),
            "province_office",
            "",
        )

    def test_quoted_name_with_commas_and_parent(self):
        entries = {entry.name: entry for entry in read_catalog_csv(CATALOGS / "dong-thap.csv")}

        entry = entries["Sở Văn hóa, Thể thao và Du lịch"]
        assert entry.kind == "department" and entry.parent == "UBND tỉnh" and "Sở VHTTDL" in entry.aliases

    def test_reads_binary_file_with_bom(self):
        content = "\ufeffcanonical_name,short_names,kind,parent\nSở Y tế,SYT|Sở YT,department,UBND tỉnh\n"

        entries = read_catalog_csv(io.BytesIO(content.encode("utf-8")))

        assert entries == [CatalogEntry("Sở Y tế", ("SYT", "Sở YT"), "department", "UBND tỉnh")]

    def test_missing_column_is_rejected(self):
        with pytest.raises(ValueError, match="short_names"):
            read_catalog_csv(io.StringIO("canonical_name,kind,parent\nSở Y tế,department,\n"))


class TestExactAndAlias:
    def test_canonical_name(self, dong_thap):
        resolution = dong_thap.resolve("Sở Nội vụ")

        assert (resolution.agency_name, resolution.certain, resolution.method) == ("Sở Nội vụ", True, "exact")

    def test_alias(self, dong_thap):
        resolution = dong_thap.resolve("Sở TT&TT")

        assert (resolution.agency_name, resolution.method) == ("Sở Thông tin và Truyền thông", "alias")

    def test_case_and_tone_placement_ignored(self, dong_thap):
        assert (
            dong_thap.resolve("SỞ VĂN HOÁ, THỂ THAO VÀ DU LỊCH").agency_name
            == "Sở Văn hóa, Thể thao và Du lịch"
        )

    def test_trailing_punctuation_ignored(self, dong_thap):
        assert dong_thap.resolve("Văn phòng UBND Tỉnh.").agency_name == "Văn phòng UBND tỉnh"

    @pytest.mark.parametrize("province", PROVINCES)
    def test_every_catalog_name_and_alias_resolves_to_its_agency(self, province):
        entries = read_catalog_csv(CATALOGS / f"{province}.csv")
        matcher = AgencyMatcher(entries)

        wrong = [
            (text, entry.name)
            for entry in entries
            for text in (entry.name, *entry.aliases)
            if matcher.resolve(text).agency_name != entry.name
        ]
        assert wrong == []

    def test_ambiguous_alias_gives_suggestions_only(self):
        matcher = AgencyMatcher([CatalogEntry("Sở Nội vụ", ("SNV",)), CatalogEntry("Sở Ngoại vụ", ("SNV",))])

        resolution = matcher.resolve("SNV")

        assert (resolution.agency_name, resolution.certain) == (None, False)
        assert resolution.suggestions == ["Sở Ngoại vụ", "Sở Nội vụ"]

    def test_accepts_any_object_with_name_aliases_kind(self):
        matcher = AgencyMatcher([SimpleNamespace(name="Sở Y tế", aliases=["SYT"], kind="department")])

        assert matcher.resolve("SYT").agency_name == "Sở Y tế" and matcher.kind_of("Sở Y tế") == "department"


class TestFolded:
    @pytest.mark.parametrize(
        ("mention", "name"),
        [
            ("Sở Thông tin và Truyền thong", "Sở Thông tin và Truyền thông"),
            ("Sở Tài chinh", "Sở Tài chính"),
            ("So Noi vu", "Sở Nội vụ"),
        ],
    )
    def test_missing_or_wrong_diacritics(self, bare, mention, name):
        resolution = bare.resolve(mention)

        assert (resolution.agency_name, resolution.certain, resolution.method) == (name, True, "folded")


class TestAbbreviation:
    @pytest.mark.parametrize(
        ("mention", "name"),
        [
            ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
            ("Sở TT và TT", "Sở Thông tin và Truyền thông"),
            ("Sở TTTT", "Sở Thông tin và Truyền thông"),
            ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
            ("Sở KH-CN", "Sở Khoa học và Công nghệ"),
            ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
            ("Sở Nông nghiệp và PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
            ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
            ("VP UBND tỉnh", "Văn phòng UBND tỉnh"),
            ("Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng UBND tỉnh"),
            ("Ủy ban nhân dân cấp huyện", "UBND cấp huyện"),
            ("UBND TP. Cao Lãnh", "UBND thành phố Cao Lãnh"),
            ("UBND H. Cao Lãnh", "UBND huyện Cao Lãnh"),
            ("CA tỉnh", "Công an tỉnh"),
            ("Bộ TT&TT", "Bộ Thông tin và Truyền thông"),
            ("Sở Nội vụ tỉnh Đồng Tháp", "Sở Nội vụ"),
        ],
    )
    def test_expanded(self, bare, mention, name):
        resolution = bare.resolve(mention)

        assert (resolution.agency_name, resolution.certain, resolution.method) == (name, True, "abbreviation")

    def test_acronym_of_another_agency_type_is_not_taken(self, bare):
        assert bare.resolve("Bộ KH&CN").agency_name is None


class TestFuzzy:
    def test_dropped_letter_is_certain(self, bare):
        resolution = bare.resolve("Sở Thông tin và Truyền thôg")

        assert (resolution.agency_name, resolution.certain, resolution.method) == (
            "Sở Thông tin và Truyền thông",
            True,
            "fuzzy",
        )

    def test_typo_close_to_two_agencies_is_only_suggested(self, bare):
        resolution = bare.resolve("Sở Ngoi vụ")

        assert resolution.agency_name is None and not resolution.certain
        assert {"Sở Nội vụ", "Sở Ngoại vụ"} <= set(resolution.suggestions)

    def test_ministry_is_not_department(self):
        matcher = AgencyMatcher([CatalogEntry("Sở Nội vụ"), CatalogEntry("Sở Tư pháp")])

        resolution = matcher.resolve("Bộ Nội vụ")

        assert resolution.agency_name is None and "Sở Nội vụ" not in resolution.suggestions

    def test_department_is_not_ministry(self):
        matcher = AgencyMatcher([CatalogEntry("Bộ Khoa học và Công nghệ")])

        assert matcher.resolve("Sở Khoa học và Công nghệ").agency_name is None

    def test_district_is_not_city_of_same_name(self):
        matcher = AgencyMatcher([CatalogEntry("UBND thành phố Hồng Ngự")])

        resolution = matcher.resolve("UBND huyện Hồng Ngự")

        assert resolution.agency_name is None and resolution.suggestions == []

    def test_district_and_city_of_same_name_resolve_apart(self, bare):
        assert (
            bare.resolve("huyện Cao Lãnh").agency_name,
            bare.resolve("thành phố Cao Lãnh").agency_name,
        ) == (
            "UBND huyện Cao Lãnh",
            "UBND thành phố Cao Lãnh",
        )

    def test_one_district_is_not_another(self):
        matcher = AgencyMatcher([CatalogEntry("UBND huyện Tam Nông"), CatalogEntry("UBND huyện Tân Hồng")])

        assert matcher.resolve("UBND huyện Tân Nông").agency_name is None

    def test_numbers_must_match(self):
        matcher = AgencyMatcher([CatalogEntry("Trung tâm Y tế số 1")])

        assert matcher.resolve("Trung tâm Y tế số 2").agency_name is None

    def test_unknown_name_has_no_agency(self, dong_thap):
        resolution = dong_thap.resolve("Hội Nông dân tỉnh")

        assert (resolution.agency_name, resolution.certain, resolution.method) == (None, False, None)


class TestGroups:
    def test_elliptic_pair_names_two_groups(self, dong_thap):
        resolution = dong_thap.resolve("UBND cấp huyện, cấp xã")

        assert resolution.agency_name is None
        assert resolution.suggestions[:2] == ["UBND cấp huyện", "UBND cấp xã"]

    def test_group_alias(self, dong_thap):
        assert dong_thap.resolve("UBND các huyện, thị xã, thành phố").agency_name == "UBND cấp huyện"

    def test_empty_mention(self, dong_thap):
        assert dong_thap.resolve("  ").agency_name is None


def test_repeated_resolutions_do_not_share_their_suggestion_list(dong_thap):
    first = dong_thap.resolve("UBND cấp huyện, cấp xã")
    first.suggestions.clear()

    assert dong_thap.resolve("UBND cấp huyện, cấp xã").suggestions != []
