"""The grammar of a measurable phrase (plans.measures), against a careful clerk's reading."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plans.measures import COMPARATORS, read_comparator, read_measure, read_measures, read_number

HS = "hồ sơ"
DN = "doanh nghiệp"


def reading(text):
    return [(m.comparator, m.value, m.value_max, m.unit, m.subject) for m in read_measures(text)]


# (phrase, [(comparator, value, value_max, unit, subject), …]) as a clerk reads it.
CASES = [
    # Real 2026 "Sản phẩm" cells and issue 17's examples
    (
        "Tối thiểu 20 doanh nghiệp được hỗ trợ chuyển đổi số",
        [(">=", 20, None, DN, "doanh nghiệp được hỗ trợ chuyển đổi số")],
    ),
    (
        "100% hồ sơ phát sinh được thực hiện trực tuyến",
        [(">=", 100, None, "%", "hồ sơ phát sinh được thực hiện trực tuyến")],
    ),
    ("Phấn đấu 03–05 dự án", [("range", 3, 5, "dự án", "dự án")]),
    ("Phấn đấu 03-05 dự án chuyển đổi số", [("range", 3, 5, "dự án", "dự án chuyển đổi số")]),
    (
        "Trên 90% doanh nghiệp nhỏ và vừa được tiếp cận nền tảng số",
        [(">", 90, None, "%", "doanh nghiệp nhỏ và vừa được tiếp cận nền tảng số")],
    ),
    ("Không quá 5% hồ sơ trễ hạn", [("<=", 5, None, "%", "hồ sơ trễ hạn")]),
    (
        "Tỷ lệ hộ gia đình có đường internet cáp quang băng rộng: trên 86%",
        [(">", 86, None, "%", "Tỷ lệ hộ gia đình có đường internet cáp quang băng rộng")],
    ),
    # Not measurable
    ("Quyết định của UBND tỉnh", []),
    ("Báo cáo kết quả", []),
    ("Kế hoạch số 53/KH-UBND ngày 15/02/2024", []),
    ("Quý III/2024", []),
    ("Trước ngày 30/6/2026", []),
    ("Năm 2026", []),
    ("giai đoạn 2021-2025", []),
    ("Triển khai Đề án 06 trên địa bàn tỉnh", []),
    ("Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân", []),
    ("Hệ thống thông tin cấp độ 3 trở lên", []),
    ("Cổng thông tin điện tử đạt chuẩn cấp độ 2", []),
    ("Tỉnh đạt top 10 về chuyển đổi số", []),
    ("Triển khai mạng 5G", []),
    ("Khu công nghiệp Nhơn Trạch 3 mở rộng", []),
    ("Báo cáo định kỳ 6 tháng, năm", []),
    ("Công nghiệp 4.0", []),
    ("Phiên bản 2.0 của Khung kiến trúc", []),
    ("Tổng đài 1022", []),
    ("Cách mạng công nghiệp lần thứ 4", []),
    ("Dân số từ 15 tuổi trở lên", []),
    ("", []),
    # Comparators: at least
    (
        "Ít nhất 02 lớp tập huấn kỹ năng số cho cán bộ",
        [(">=", 2, None, "lớp", "lớp tập huấn kỹ năng số cho cán bộ")],
    ),
    ("Không dưới 95% hồ sơ được số hóa", [(">=", 95, None, "%", "hồ sơ được số hóa")]),
    ("từ 80% trở lên hồ sơ", [(">=", 80, None, "%", "hồ sơ")]),
    ("80% hồ sơ trở lên", [(">=", 80, None, "%", "hồ sơ")]),
    (
        "Phấn đấu đạt 99,5% hồ sơ trực tuyến toàn trình",
        [(">=", 99.5, None, "%", "hồ sơ trực tuyến toàn trình")],
    ),
    (
        "Tỷ lệ doanh nghiệp nộp thuế điện tử đạt 99,8%.",
        [(">=", 99.8, None, "%", "Tỷ lệ doanh nghiệp nộp thuế điện tử")],
    ),
    ("Đạt 100%", [(">=", 100, None, "%", "")]),
    ("≥ 80%", [(">=", 80, None, "%", "")]),
    ("Tỷ lệ xử lý đúng hạn ≥ 95%", [(">=", 95, None, "%", "Tỷ lệ xử lý đúng hạn")]),
    ("Tối thiểu 05 sáng kiến", [(">=", 5, None, "sáng kiến", "sáng kiến")]),
    (
        "Tối thiểu 01 cán bộ phụ trách chuyển đổi số tại mỗi cơ quan",
        [(">=", 1, None, "cán bộ", "cán bộ phụ trách chuyển đổi số tại mỗi cơ quan")],
    ),
    ("Tổ chức 01 cuộc diễn tập ứng cứu sự cố", [(">=", 1, None, "cuộc", "cuộc diễn tập ứng cứu sự cố")]),
    ("Tổ chức 03 hội nghị tập huấn", [(">=", 3, None, "hội nghị", "hội nghị tập huấn")]),
    ("01 Kế hoạch", [(">=", 1, None, "kế hoạch", "Kế hoạch")]),
    ("Hoàn thành 100% nhiệm vụ được giao", [(">=", 100, None, "%", "nhiệm vụ được giao")]),
    ("Đào tạo 500 lượt người", [(">=", 500, None, "lượt người", "lượt người")]),
    (
        "100% xã, phường có Tổ công nghệ số cộng đồng",
        [(">=", 100, None, "%", "xã, phường có Tổ công nghệ số cộng đồng")],
    ),
    ("Số doanh nghiệp được hỗ trợ: 20 doanh nghiệp", [(">=", 20, None, DN, "Số doanh nghiệp được hỗ trợ")]),
    (
        "Tỷ lệ dịch vụ công trực tuyến toàn trình: 80%",
        [(">=", 80, None, "%", "Tỷ lệ dịch vụ công trực tuyến toàn trình")],
    ),
    # More than
    ("Hơn 1.000 người dân được hướng dẫn", [(">", 1000, None, "người", "người dân được hướng dẫn")]),
    ("Vượt 10% so với năm 2025", [(">", 10, None, "%", "")]),
    ("Trên 50% doanh nghiệp", [(">", 50, None, "%", DN)]),
    (
        "Phấn đấu trên 80% người dân trưởng thành sử dụng điện thoại thông minh",
        [(">", 80, None, "%", "người dân trưởng thành sử dụng điện thoại thông minh")],
    ),
    ("Chỉ số PAR INDEX đạt trên 90 điểm", [(">", 90, None, "điểm", "Chỉ số PAR INDEX")]),
    ("trên 63 tỉnh, thành phố", [(">", 63, None, "tỉnh", "tỉnh, thành phố")]),
    # At most, less than
    ("Tối đa 3 ngày làm việc", [("<=", 3, None, "ngày làm việc", "ngày làm việc")]),
    ("Giải quyết trong 03 ngày làm việc", [("<=", 3, None, "ngày làm việc", "Giải quyết")]),
    ("Không vượt quá 2% hồ sơ trễ hạn", [("<=", 2, None, "%", "hồ sơ trễ hạn")]),
    ("Dưới 1% hồ sơ quá hạn", [("<", 1, None, "%", "hồ sơ quá hạn")]),
    ("dưới 5% hồ sơ trễ hạn", [("<", 5, None, "%", "hồ sơ trễ hạn")]),
    ("5% hồ sơ trở xuống bị trả lại", [("<=", 5, None, "%", "hồ sơ bị trả lại")]),
    # About
    ("Khoảng 50 doanh nghiệp tham gia", [("=", 50, None, DN, "doanh nghiệp tham gia")]),
    # Ranges
    ("từ 3 đến 5 lớp tập huấn", [("range", 3, 5, "lớp", "lớp tập huấn")]),
    ("70-80% hồ sơ", [("range", 70, 80, "%", HS)]),
    ("80 - 90% hồ sơ", [("range", 80, 90, "%", HS)]),
    ("Từ 70% đến 80% người dân có tài khoản", [("range", 70, 80, "%", "người dân có tài khoản")]),
    ("Nâng cấp 03-05 hệ thống thông tin", [("range", 3, 5, "hệ thống", "hệ thống thông tin")]),
    # Numbers
    ("1.000 hồ sơ", [(">=", 1000, None, HS, HS)]),
    ("1.500.000 lượt truy cập", [(">=", 1500000, None, "lượt", "lượt truy cập")]),
    ("2,5 triệu đồng", [(">=", 2.5, None, "triệu đồng", "triệu đồng")]),
    ("Xây dựng 10 km đường cáp quang", [(">=", 10, None, "km", "đường cáp quang")]),
    ("tốc độ trung bình 40 Mbps trở lên", [(">=", 40, None, "Mbps", "tốc độ trung bình")]),
    # Change
    ("Giảm 20% thời gian xử lý hồ sơ", [(">=", 20, None, "%", "giảm thời gian xử lý hồ sơ")]),
    # Several figures in one phrase
    (
        "Trên 90% doanh nghiệp nhỏ và vừa được tiếp cận, "
        "trên 40% doanh nghiệp nhỏ và vừa thường xuyên sử dụng.",
        [
            (">", 90, None, "%", "doanh nghiệp nhỏ và vừa được tiếp cận"),
            (">", 40, None, "%", "doanh nghiệp nhỏ và vừa thường xuyên sử dụng"),
        ],
    ),
    (
        "50% thanh toán trực tuyến; 70% thủ tục hành chính được thanh toán trực tuyến.",
        [
            (">=", 50, None, "%", "thanh toán trực tuyến"),
            (">=", 70, None, "%", "thủ tục hành chính được thanh toán trực tuyến"),
        ],
    ),
    (
        "Tỷ lệ A đạt 80%, tỷ lệ B đạt 70%",
        [(">=", 80, None, "%", "Tỷ lệ A"), (">=", 70, None, "%", "tỷ lệ B")],
    ),
    (
        "Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ: tối thiểu 80% đối với cấp sở, 40% cấp huyện, "
        "30% cấp xã.",
        [
            (">=", 80, None, "%", "Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ"),
            (">=", 40, None, "%", "Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ"),
            (">=", 30, None, "%", "Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ"),
        ],
    ),
    (
        "Ban hành Kế hoạch năm 2024 theo Quyết định số 3221/QĐ-UBND ngày 11/12/2023; "
        "100% sở, ngành triển khai",
        [(">=", 100, None, "%", "sở, ngành triển khai")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[case[0][:40] for case in CASES])
def test_reading(text, expected):
    assert reading(text) == [tuple(item) for item in expected]


def test_there_are_enough_cases():
    assert len(CASES) >= 60


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        (
            "Tỷ lệ hồ sơ trực tuyến đạt tối thiểu 80% tại cấp sở, 40% tại cấp huyện và 30% tại cấp xã.",
            ["cấp sở", "cấp huyện", "cấp xã"],
        ),
        ("tối thiểu 80% đối với cấp sở, 40% cấp huyện, 30% cấp xã", ["cấp sở", "cấp huyện", "cấp xã"]),
        ("100% hồ sơ cấp tỉnh, 80% cấp huyện", ["cấp tỉnh", "cấp huyện"]),
        ("100% báo cáo được thực hiện trực tuyến tại cấp tỉnh, huyện, xã", ["cấp tỉnh, huyện, xã"]),
        ("Trên 60% cán bộ được tập huấn", [""]),
    ],
)
def test_levels(text, levels):
    assert [m.level for m in read_measures(text)] == levels


def test_a_bare_figure_in_a_list_shares_the_comparator_before_it():
    measures = read_measures("Tỷ lệ hồ sơ đạt tối thiểu 80% tại cấp sở, 40% tại cấp huyện và 30% tại cấp xã")
    assert [m.comparator for m in measures] == [">=", ">=", ">="]
    assert [m.printed for m in measures] == ["đạt tối thiểu"] * 3
    measures = read_measures("trên 80% tại cấp sở, 40% tại cấp huyện")
    assert [m.comparator for m in measures] == [">", ">"]


def test_printed_words_and_span():
    text = "Sản phẩm: Tối thiểu 20 doanh nghiệp được hỗ trợ"
    measure = read_measure(text)
    assert measure.printed == "Tối thiểu"
    assert text[measure.start : measure.end] == "Tối thiểu 20 doanh nghiệp"
    assert read_measure("Đạt 70%").printed == "Đạt"
    assert read_measure("70% hồ sơ").printed == ""


def test_read_measure_is_the_first():
    assert read_measure("Báo cáo kết quả") is None
    assert read_measure("50% A; 70% B").value == 50


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("99,8", 99.8),
        ("99.8", 99.8),
        ("1.000", 1000),
        ("1.000,5", 1000.5),
        ("03", 3),
        ("80", 80),
        ("1,000,000", 1000000),
        ("2.5", 2.5),
        ("abc", None),
        ("", None),
        ("1.2.3", None),
    ],
)
def test_read_number(text, value):
    assert read_number(text) == value


@pytest.mark.parametrize(
    ("text", "comparator"),
    [
        ("tối thiểu", ">="),
        ("Tối thiểu", ">="),
        ("ít nhất", ">="),
        ("không dưới", ">="),
        ("đạt", ">="),
        ("", ">="),
        ("phấn đấu đạt", ">="),
        ("trên", ">"),
        ("hơn", ">"),
        ("vượt", ">"),
        ("không quá", "<="),
        ("tối đa", "<="),
        ("dưới", "<"),
        ("bằng", "="),
        (">=", ">="),
        ("≥", ">="),
        ("≤", "<="),
        ("range", "range"),
        ("trở lên", ">="),
        ("xyz", None),
    ],
)
def test_read_comparator(text, comparator):
    assert read_comparator(text) == comparator


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_any_string(text):
    for measure in read_measures(text):
        assert measure.comparator in COMPARATORS
        assert isinstance(measure.value, float)
        assert measure.value_max is None or measure.value_max >= measure.value
        assert measure.unit


ALPHABET = st.sampled_from(
    [
        "tối thiểu ",
        "trên ",
        "đạt ",
        "không quá ",
        "dưới ",
        "từ ",
        " đến ",
        "trở lên ",
        "%",
        " hồ sơ ",
        " doanh nghiệp ",
        "80",
        "03",
        "–",
        "-",
        "05",
        "99,8",
        "1.000",
        ", ",
        "; ",
        ". ",
        "cấp sở",
        " và ",
        "năm 2025",
        "15/02/2024",
        "Tỷ lệ ",
        ":",
        "số ",
        "(",
        ")",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=25).map("".join))
def test_never_raises_on_plan_like_strings(text):
    measures = read_measures(text)
    spans = [(m.start, m.end) for m in measures]
    assert spans == sorted(spans)
    assert all(start < end for start, end in spans)
    for measure in measures:
        assert measure.comparator in COMPARATORS


def test_long_text_is_read_up_to_a_limit():
    text = "100% hồ sơ; " * 2000
    assert 0 < len(read_measures(text)) <= 500
