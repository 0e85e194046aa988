"""Agency name normalisation and splitting of agency cells into mentions."""

import unicodedata

import pytest

from agencies.names import fold_name, looks_like_agency, normalize_name, split_mentions


class TestNormalizeName:
    def test_decomposed_unicode_equals_composed(self):
        decomposed = unicodedata.normalize("NFD", "Sở Nội vụ")

        assert normalize_name(decomposed) == normalize_name("Sở Nội vụ")

    def test_case_folded(self):
        assert normalize_name("Văn phòng UBND Tỉnh") == normalize_name("Văn phòng UBND tỉnh")

    def test_whitespace_collapsed(self):
        assert normalize_name("  Sở \n Tư\u00a0pháp  ") == "sở tư pháp"

    @pytest.mark.parametrize("text", ["Sở Y tế.", "Sở Y tế,", "Sở Y tế;", "Sở Y tế …", "Sở Y tế,…"])
    def test_trailing_punctuation_stripped(self, text):
        assert normalize_name(text) == "sở y tế"

    @pytest.mark.parametrize(
        ("old", "new"),
        [
            ("Văn hoá", "Văn hóa"),
            ("Uỷ ban", "Ủy ban"),
            ("thuỷ lợi", "thủy lợi"),
            ("hoà bình", "hòa bình"),
            ("khoẻ", "khỏe"),
            ("Thanh Hoá", "Thanh Hóa"),
        ],
    )
    def test_old_and_new_tone_placement_are_equal(self, old, new):
        assert normalize_name(old) == normalize_name(new)

    def test_tone_in_closed_syllable_is_left_alone(self):
        assert normalize_name("hoàn thành") == "hoàn thành"

    def test_qu_keeps_tone_on_y(self):
        assert normalize_name("Quý") == "quý"

    def test_dashes_unified(self):
        assert normalize_name("Sở Lao động – Thương binh") == normalize_name("Sở Lao động - Thương binh")

    def test_fold_name_drops_diacritics(self):
        assert fold_name("Sở Tài chính Đồng Tháp") == "so tai chinh dong thap"


class TestSplitMentions:
    def test_semicolons(self):
        assert split_mentions("Sở Thông tin và Truyền thông; Sở Nội vụ") == [
            "Sở Thông tin và Truyền thông",
            "Sở Nội vụ",
        ]

    def test_line_breaks(self):
        assert split_mentions("Sở Nội vụ\nSở Tư pháp") == ["Sở Nội vụ", "Sở Tư pháp"]

    def test_comma_before_an_agency_name_splits(self):
        assert split_mentions("Sở Nội vụ, Sở Thông tin và Truyền thông") == [
            "Sở Nội vụ",
            "Sở Thông tin và Truyền thông",
        ]

    def test_comma_before_ubnd_splits(self):
        assert split_mentions("Sở Thông tin và Truyền thông, UBND các huyện, thị xã, thành phố") == [
            "Sở Thông tin và Truyền thông",
            "UBND các huyện, thị xã, thành phố",
        ]

    def test_press_names_split(self):
        assert split_mentions("Đài Phát thanh và Truyền hình Đồng Nai, Báo Đồng Nai") == [
            "Đài Phát thanh và Truyền hình Đồng Nai",
            "Báo Đồng Nai",
        ]

    @pytest.mark.parametrize(
        "name",
        [
            "Sở Văn hóa, Thể thao và Du lịch",
            "UBND các huyện, thị xã, thành phố",
            "các sở, ban, ngành Tỉnh",
            "Các Sở, Ban, ngành",
            "Ban Chỉ đạo cấp tỉnh, cấp huyện",
            "Thường trực Ban Chỉ đạo cấp tỉnh, cấp huyện",
            "UBND các xã, phường, thị trấn",
            "Các doanh nghiệp cung cấp dịch vụ viễn thông, công nghệ thông tin",
        ],
    )
    def test_commas_inside_a_name_do_not_split(self, name):
        assert split_mentions(name) == [name]

    def test_elliptic_pair_stays_one_mention(self):
        assert split_mentions("các Sở, Ban, ngành, UBND cấp huyện, cấp xã") == [
            "các Sở, Ban, ngành",
            "UBND cấp huyện, cấp xã",
        ]

    def test_trailing_ellipsis_stripped(self):
        assert split_mentions("Các sở, ngành Tỉnh; UBND cấp huyện; các cơ quan báo, đài,…") == [
            "Các sở, ngành Tỉnh",
            "UBND cấp huyện",
            "các cơ quan báo, đài",
        ]

    def test_quang_nam_mixed_separators(self):
        cell = "Sở, Ban, ngành, UBND các huyện, thị xã, thành phố; UBND các xã, phường, thị trấn"

        assert split_mentions(cell) == [
            "Sở, Ban, ngành",
            "UBND các huyện, thị xã, thành phố",
            "UBND các xã, phường, thị trấn",
        ]

    def test_name_wrapped_over_two_lines_is_joined(self):
        assert split_mentions("Các sở, ngành\nTỉnh") == ["Các sở, ngành Tỉnh"]

    def test_bullets_removed(self):
        assert split_mentions("- Sở Nội vụ\n+ Sở Tư pháp") == ["Sở Nội vụ", "Sở Tư pháp"]

    def test_va_between_two_agencies_splits(self):
        assert split_mentions("Sở Nội vụ và Sở Tài chính") == ["Sở Nội vụ", "Sở Tài chính"]

    def test_va_inside_a_name_does_not_split(self):
        assert split_mentions("Sở Giáo dục và Đào tạo") == ["Sở Giáo dục và Đào tạo"]

    def test_district_list_splits_on_proper_names(self):
        assert split_mentions("huyện Cao Lãnh, huyện Lấp Vò, thành phố Sa Đéc") == [
            "huyện Cao Lãnh",
            "huyện Lấp Vò",
            "thành phố Sa Đéc",
        ]

    def test_output_is_nfc(self):
        mentions = split_mentions(unicodedata.normalize("NFD", "Sở Nội vụ"))

        assert mentions == ["Sở Nội vụ"] and unicodedata.is_normalized("NFC", mentions[0])

    @pytest.mark.parametrize("cell", [None, "", "  ", "…", "\n;\n"])
    def test_empty_cells_give_no_mention(self, cell):
        assert split_mentions(cell) == []


class TestLooksLikeAgency:
    @pytest.mark.parametrize(
        "text", ["Sở Nội vụ", "UBND cấp huyện", "Báo Đồng Nai", "Công an tỉnh", "Cục Thuế tỉnh"]
    )
    def test_agency_openings(self, text):
        assert looks_like_agency(text)

    @pytest.mark.parametrize("text", ["Ban", "thị xã", "cấp xã", "báo chí địa phương", "Thể thao và Du lịch"])
    def test_not_agency_openings(self, text):
        assert not looks_like_agency(text)
