"""Agency cells as 2024–2026 plans of provinces and ministries write them (issue 13 point 6), and the
per-cell caches of the import preview (issue 16).

Each case is (cell, expected mentions); ``None`` means the cell is one mention, unchanged.
"""

import pytest

from agencies import names
from agencies.names import fold_name, looks_like_agency, split_mentions, unify_tone_placement

# "và" between two agencies splits.
AND_BETWEEN_AGENCIES = [
    ("Các Sở, ban, ngành và UBND các xã, phường", ["Các Sở, ban, ngành", "UBND các xã, phường"]),
    ("Vụ Pháp chế và các đơn vị có liên quan", ["Vụ Pháp chế", "các đơn vị có liên quan"]),
    ("Cục Lâm nghiệp và Cục Kiểm lâm", ["Cục Lâm nghiệp", "Cục Kiểm lâm"]),
    ("Bộ Tài chính và các bộ, ngành liên quan", ["Bộ Tài chính", "các bộ, ngành liên quan"]),
    ("Hội Nông dân tỉnh và Tỉnh đoàn", ["Hội Nông dân tỉnh", "Tỉnh đoàn"]),
    ("Sở Tài chính và Thuế tỉnh", ["Sở Tài chính", "Thuế tỉnh"]),
    ("Sở Tài chính và cơ quan, đơn vị liên quan", ["Sở Tài chính", "cơ quan, đơn vị liên quan"]),
    ("Văn phòng UBND tỉnh và UBND các xã, phường", ["Văn phòng UBND tỉnh", "UBND các xã, phường"]),
    ("Sở Xây dựng và Sở Nông nghiệp và Môi trường", ["Sở Xây dựng", "Sở Nông nghiệp và Môi trường"]),
    ("Ủy ban MTTQ Việt Nam tỉnh và các tổ chức chính trị - xã hội",
     ["Ủy ban MTTQ Việt Nam tỉnh", "các tổ chức chính trị - xã hội"]),
    ("Bộ Khoa học và Công nghệ và các bộ, ngành, địa phương",
     ["Bộ Khoa học và Công nghệ", "các bộ, ngành, địa phương"]),
    ("UBND các xã, phường, đặc khu và các cơ quan, đơn vị liên quan",
     ["UBND các xã, phường, đặc khu", "các cơ quan, đơn vị liên quan"]),
    ("Các sở, ban, ngành, UBND các xã, phường và các cơ quan liên quan",
     ["Các sở, ban, ngành", "UBND các xã, phường", "các cơ quan liên quan"]),
]

# "và" (and commas) inside a name never split.
NAMES_WITH_AND = [
    ("Sở Khoa học và Công nghệ", None),
    ("Sở Văn hóa, Thể thao và Du lịch", None),
    ("Sở Văn hoá, Thể thao và Du lịch", None),
    ("Sở Nông nghiệp và Môi trường", None),
    ("Sở Tài nguyên và Môi trường", None),
    ("Sở Lao động - Thương binh và Xã hội", None),
    ("Sở Lao động – Thương binh và Xã Hội", None),
    ("Sở Lao động, Thương binh và Xã hội", None),
    ("Sở Dân tộc và Tôn giáo", None),
    ("Ban Dân tộc và Tôn giáo", None),
    ("Đài Phát thanh và Truyền hình", None),
    ("Liên minh Hợp tác xã", None),
    ("Liên minh Hợp tác xã tỉnh", None),
    ("Trường Cao đẳng Y tế và Dược", None),
    ("Cục Bảo tồn thiên nhiên và Đa dạng sinh học", None),
    ("Cục Trồng trọt và Bảo vệ thực vật", None),
    ("Cục Hàng hải và Đường thủy Việt Nam", None),
    ("Cục Quản lý đê điều và Phòng, chống thiên tai", None),
    ("Ban Tuyên giáo và Dân vận Tỉnh ủy", None),
    ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", None),
    ("Ban Quản lý Khu kinh tế và các khu công nghiệp", None),
    ("Văn phòng HĐND và UBND tỉnh", None),
    ("Văn phòng Đoàn ĐBQH và HĐND tỉnh", None),
    ("Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", None),
    ("Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh", None),
    ("Văn phòng HĐND và UBND tỉnh, Sở Nội vụ", ["Văn phòng HĐND và UBND tỉnh", "Sở Nội vụ"]),
]

# Nothing splits inside parentheses; a line opening with "(" goes on the mention above it.
PARENTHESES = [
    ("UBND các xã, phường (Phòng Văn hóa - Xã hội và Phòng Kinh tế)", None),
    ("UBND các xã, phường (Phòng Văn hóa - Xã hội, Phòng Kinh tế)", None),
    ("UBND các xã, phường\n(Phòng Văn hóa - Xã hội và Phòng Kinh tế)",
     ["UBND các xã, phường (Phòng Văn hóa - Xã hội và Phòng Kinh tế)"]),
    ("Sở Tài chính (Thuế tỉnh, Kho bạc Nhà nước), Sở Nội vụ",
     ["Sở Tài chính (Thuế tỉnh, Kho bạc Nhà nước)", "Sở Nội vụ"]),
    ("Bộ Nông nghiệp và Môi trường (Cục Lâm nghiệp và Kiểm lâm)", None),
]

# A comma splits before the opening of an agency name.
COMMA_BEFORE_AGENCY = [
    ("Sở Tài chính, Thuế tỉnh", ["Sở Tài chính", "Thuế tỉnh"]),
    ("Thuế tỉnh Đồng Tháp; Kho bạc Nhà nước khu vực XVII",
     ["Thuế tỉnh Đồng Tháp", "Kho bạc Nhà nước khu vực XVII"]),
    ("Công an tỉnh, Công an cấp xã", ["Công an tỉnh", "Công an cấp xã"]),
    ("UBND các xã, phường, Công an cấp xã", ["UBND các xã, phường", "Công an cấp xã"]),
    ("Sở Nông nghiệp và Môi trường, Sở Dân tộc và Tôn giáo",
     ["Sở Nông nghiệp và Môi trường", "Sở Dân tộc và Tôn giáo"]),
    ("Vụ Kế hoạch - Tài chính, Cục Chuyển đổi số quốc gia",
     ["Vụ Kế hoạch - Tài chính", "Cục Chuyển đổi số quốc gia"]),
    ("Văn phòng Bộ, Vụ Tổ chức cán bộ, Thanh tra Bộ", ["Văn phòng Bộ", "Vụ Tổ chức cán bộ", "Thanh tra Bộ"]),
    ("Cục Thuế, Cục Hải quan, Kho bạc Nhà nước", ["Cục Thuế", "Cục Hải quan", "Kho bạc Nhà nước"]),
    ("Chi cục Hải quan khu vực, Hải quan khu vực XV", ["Chi cục Hải quan khu vực", "Hải quan khu vực XV"]),
    ("Sở Y tế, Bảo hiểm xã hội tỉnh", ["Sở Y tế", "Bảo hiểm xã hội tỉnh"]),
    ("Sở Tài chính, Kho bạc Nhà nước khu vực", ["Sở Tài chính", "Kho bạc Nhà nước khu vực"]),
    ("Ngân hàng Nhà nước Khu vực 8, Ngân hàng Chính sách xã hội",
     ["Ngân hàng Nhà nước Khu vực 8", "Ngân hàng Chính sách xã hội"]),
    ("Sở Công Thương, Tập đoàn Điện lực Việt Nam, Tổng công ty Điện lực miền Nam",
     ["Sở Công Thương", "Tập đoàn Điện lực Việt Nam", "Tổng công ty Điện lực miền Nam"]),
    ("Sở Văn hóa, Thể thao và Du lịch, Đài Phát thanh và Truyền hình tỉnh, Báo Đồng Tháp",
     ["Sở Văn hóa, Thể thao và Du lịch", "Đài Phát thanh và Truyền hình tỉnh", "Báo Đồng Tháp"]),
    ("Sở Nội vụ, Liên đoàn Lao động tỉnh, Tỉnh đoàn, Hội Liên hiệp Phụ nữ tỉnh",
     ["Sở Nội vụ", "Liên đoàn Lao động tỉnh", "Tỉnh đoàn", "Hội Liên hiệp Phụ nữ tỉnh"]),
    ("Hội Cựu chiến binh, Hội Nông dân, Hội Liên hiệp Phụ nữ tỉnh",
     ["Hội Cựu chiến binh", "Hội Nông dân", "Hội Liên hiệp Phụ nữ tỉnh"]),
    ("Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh, Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
     ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"]),
    ("Ban Quản lý các Khu công nghiệp, Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch",
     ["Ban Quản lý các Khu công nghiệp", "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch"]),
    ("Sở Khoa học và Công nghệ, Viện Khoa học và Công nghệ Việt Nam",
     ["Sở Khoa học và Công nghệ", "Viện Khoa học và Công nghệ Việt Nam"]),
    ("Văn phòng UBND tỉnh, Sở Nội vụ và Sở Tư pháp", ["Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Tư pháp"]),
    ("Thanh tra tỉnh, Sở Nội vụ", ["Thanh tra tỉnh", "Sở Nội vụ"]),
    ("Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh",
     ["Viện Kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh"]),
    ("Trung tâm Phục vụ hành chính công tỉnh, Sở Khoa học và Công nghệ",
     ["Trung tâm Phục vụ hành chính công tỉnh", "Sở Khoa học và Công nghệ"]),
    ("Cục Chăn nuôi và Thú y, Cục Trồng trọt và Bảo vệ thực vật",
     ["Cục Chăn nuôi và Thú y", "Cục Trồng trọt và Bảo vệ thực vật"]),
    ("Sở Giáo dục và Đào tạo, các trường Cao đẳng, Đại học trên địa bàn",
     ["Sở Giáo dục và Đào tạo", "các trường Cao đẳng, Đại học trên địa bàn"]),
    ("Các doanh nghiệp viễn thông, Viễn thông Đồng Tháp",
     ["Các doanh nghiệp viễn thông", "Viễn thông Đồng Tháp"]),
    ("Sở Nội vụ, Ban Tổ chức Tỉnh ủy", ["Sở Nội vụ", "Ban Tổ chức Tỉnh ủy"]),
    ("Văn phòng Tỉnh ủy, Văn phòng UBND tỉnh", ["Văn phòng Tỉnh ủy", "Văn phòng UBND tỉnh"]),
    ("Đảng ủy UBND tỉnh, Đảng ủy các cơ quan Đảng tỉnh",
     ["Đảng ủy UBND tỉnh", "Đảng ủy các cơ quan Đảng tỉnh"]),
    ("Liên minh Hợp tác xã tỉnh, Sở Công Thương", ["Liên minh Hợp tác xã tỉnh", "Sở Công Thương"]),
    ("Sở Nội vụ, Học viện Chính trị khu vực IV", ["Sở Nội vụ", "Học viện Chính trị khu vực IV"]),
    ("Sở Y tế, Bệnh viện Đa khoa tỉnh và Trung tâm Kiểm soát bệnh tật",
     ["Sở Y tế", "Bệnh viện Đa khoa tỉnh", "Trung tâm Kiểm soát bệnh tật"]),
    ("Sở Nội vụ, Sở Tài chính, UBND các xã, phường, đặc khu",
     ["Sở Nội vụ", "Sở Tài chính", "UBND các xã, phường, đặc khu"]),
    ("Sở Nội vụ, cơ quan, đơn vị liên quan", ["Sở Nội vụ", "cơ quan, đơn vị liên quan"]),
    ("Sở Tư pháp; Văn phòng UBND tỉnh\nSở Nội vụ", ["Sở Tư pháp", "Văn phòng UBND tỉnh", "Sở Nội vụ"]),
    ("Bộ Công an, Bộ Quốc phòng và các bộ, cơ quan ngang bộ",
     ["Bộ Công an", "Bộ Quốc phòng", "các bộ, cơ quan ngang bộ"]),
]

# Lists of kinds of agency and of levels stay one mention.
ELLIPTIC_LISTS = [
    ("UBND các xã, phường, đặc khu", None),
    ("các cơ quan, đơn vị có liên quan", None),
    ("Các sở, ban, ngành, cơ quan, đơn vị liên quan", None),
    ("Các sở, ngành, cơ quan liên quan", None),
    ("Các Vụ, Cục, Viện, Trường thuộc Bộ", None),
    ("Các Vụ, Cục, đơn vị thuộc Bộ", None),
    ("UBND các tỉnh, thành phố trực thuộc Trung ương", None),
    ("cơ quan thuế, hải quan", None),
    ("Tỉnh đoàn", None),
    ("Các Sở, Ban, ngành, Hội Nông dân tỉnh", ["Các Sở, Ban, ngành", "Hội Nông dân tỉnh"]),
]

CASES = AND_BETWEEN_AGENCIES + NAMES_WITH_AND + PARENTHESES + COMMA_BEFORE_AGENCY + ELLIPTIC_LISTS


def test_the_table_is_large_enough():
    assert len(CASES) >= 60 and len({cell for cell, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("cell", "expected"), CASES, ids=[cell for cell, _ in CASES])
def test_split(cell, expected):
    assert split_mentions(cell) == (expected or [cell])


@pytest.mark.parametrize(
    "text", ["Tỉnh đoàn", "Thuế tỉnh", "Vụ Pháp chế", "cơ quan liên quan", "Liên minh Hợp tác xã"]
)
def test_agency_openings(text):
    assert looks_like_agency(text)


@pytest.mark.parametrize(
    "text", ["Cơ quan chủ trì", "cơ quan thường trực", "Xã Hội", "các khu công nghiệp", "thuế tỉnh"]
)
def test_not_agency_openings(text):
    assert not looks_like_agency(text)


class TestCaches:
    def test_repeated_cell_gives_an_equal_fresh_list(self):
        cell = "Sở Nội vụ, Sở Tư pháp và UBND các xã, phường"
        first = split_mentions(cell)
        first.append("edited by the caller")

        assert split_mentions(cell) == ["Sở Nội vụ", "Sở Tư pháp", "UBND các xã, phường"]

    def test_repeated_cell_is_split_once(self):
        cell = "Sở Y tế; Sở Tài chính (cache test)"
        split_mentions(cell)
        before = names._split_mentions.cache_info()

        for _ in range(100):
            split_mentions(cell)

        after = names._split_mentions.cache_info()
        assert after.misses == before.misses and after.hits == before.hits + 100

    @pytest.mark.parametrize(
        "function", [names._split_mentions, names._looks_like_agency, unify_tone_placement, fold_name]
    )
    def test_caches_are_bounded(self, function):
        assert function.cache_info().maxsize is not None

    def test_non_string_cells(self):
        assert split_mentions(None) == [] and split_mentions(12) == ["12"]
