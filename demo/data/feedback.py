"""Demo feedback content: Vietnamese categories, titles, descriptions and answers, by category.

Invented for the demo, in the style of what communes receive; ``{place}`` is filled with a hamlet or
street name so the items do not all read alike.
"""

# (name, time limit in working days)
CATEGORIES = [
    ("Thủ tục hành chính", 10),
    ("Thái độ phục vụ của cán bộ", 5),
    ("Cơ sở hạ tầng, giao thông", 15),
    ("Vệ sinh môi trường", 10),
    ("An ninh trật tự", 7),
    ("Đất đai, xây dựng", 15),
]

PLACES = [
    "thôn Trung",
    "thôn Đông",
    "thôn Bẩy",
    "tổ dân phố số 3",
    "tổ dân phố Tiên Lát",
    "khu Đồng Cửa",
    "đường Nguyễn Thế Nho",
    "đường Hoàng Hoa Thám",
    "ngõ 12 đường Thân Nhân Trung",
    "khu dân cư Bích Sơn",
    "xóm Chùa",
    "cổng trường Tiểu học",
]

NAMES = [
    "Nguyễn Văn Hùng",
    "Trần Thị Mai",
    "Lê Văn Thắng",
    "Phạm Thị Hương",
    "Hoàng Văn Nam",
    "Ngô Thị Lan",
    "Đỗ Văn Quân",
    "Vũ Thị Thu",
    "Thân Văn Lực",
    "Giáp Thị Hạnh",
    "Dương Văn Tuấn",
    "Nguyễn Thị Ngọc Ánh",
]

# category → list of (title, description, answer)
CONTENT = {
    "Thủ tục hành chính": [
        (
            "Hồ sơ chứng thực bị hẹn lại nhiều lần",
            "Tôi nộp hồ sơ chứng thực hợp đồng tặng cho tại bộ phận một cửa, đã được hẹn trả ba lần nhưng vẫn "
            "chưa có kết quả. Đề nghị xã cho biết lý do và thời gian trả kết quả cụ thể.",
            "Bộ phận một cửa đã kiểm tra: hồ sơ bị chậm do thiếu chữ ký của một bên tặng cho. Cán bộ đã liên hệ "
            "hướng dẫn bổ sung và trả kết quả cho ông/bà; xã xin lỗi vì đã không thông báo rõ ngay từ đầu.",
        ),
        (
            "Đề nghị hướng dẫn đăng ký khai sinh trực tuyến",
            "Tôi muốn đăng ký khai sinh cho con qua Cổng dịch vụ công nhưng không biết cần tải lên giấy tờ gì. "
            "Mong xã niêm yết hướng dẫn rõ ràng tại bộ phận một cửa và trên trang của xã.",
            "Xã đã niêm yết hướng dẫn từng bước đăng ký khai sinh trực tuyến tại bộ phận một cửa và trên trang "
            "của xã; công chức tư pháp - hộ tịch hỗ trợ trực tiếp vào sáng thứ Bảy hằng tuần.",
        ),
        (
            "Phí sao y bản chính chưa được niêm yết",
            "Khi làm thủ tục sao y tại {place}, tôi không thấy bảng niêm yết mức phí. Đề nghị xã công khai mức phí "
            "để người dân biết.",
            "Bảng niêm yết phí, lệ phí chứng thực đã được treo tại bộ phận một cửa và đăng trên trang của xã theo "
            "đúng quy định.",
        ),
        (
            "Không có ghế chờ cho người cao tuổi tại bộ phận một cửa",
            "Buổi sáng đông người, nhiều cụ già phải đứng chờ lâu. Đề nghị bố trí thêm ghế và ưu tiên người cao tuổi.",
            "Xã đã bố trí thêm 10 ghế chờ, dán biển ưu tiên người cao tuổi, phụ nữ mang thai và người khuyết tật.",
        ),
    ],
    "Thái độ phục vụ của cán bộ": [
        (
            "Cán bộ tiếp dân nói chuyện thiếu tôn trọng",
            "Sáng nay khi tôi hỏi về hồ sơ xác nhận tình trạng hôn nhân, cán bộ trả lời cộc lốc và không hướng dẫn. "
            "Đề nghị xã nhắc nhở để người dân được phục vụ tận tình hơn.",
            "Lãnh đạo xã đã làm việc với cán bộ liên quan, yêu cầu rút kinh nghiệm và thực hiện đúng Quy tắc ứng xử. "
            "Xã cảm ơn ông/bà đã phản ánh.",
        ),
        (
            "Bộ phận một cửa mở cửa muộn",
            "Theo lịch làm việc niêm yết, bộ phận một cửa mở lúc 7 giờ 30 nhưng nhiều hôm đến 8 giờ mới có cán bộ.",
            "Xã đã chấn chỉnh giờ làm việc, phân công cán bộ trực từ 7 giờ 15 và lắp máy chấm công tại bộ phận "
            "một cửa.",
        ),
        (
            "Khen cán bộ địa chính hướng dẫn tận tình",
            "Tôi xin gửi lời cảm ơn cán bộ địa chính đã đến tận {place} hướng dẫn gia đình tôi làm hồ sơ cấp giấy "
            "chứng nhận. Mong xã biểu dương.",
            "Xã trân trọng ý kiến của ông/bà và đã biểu dương cán bộ trong buổi giao ban tháng.",
        ),
    ],
    "Cơ sở hạ tầng, giao thông": [
        (
            "Đèn đường hỏng tại {place}",
            "Ba cột đèn chiếu sáng tại {place} không sáng từ hơn một tuần nay, buổi tối rất tối, học sinh đi học "
            "thêm về nguy hiểm.",
            "Tổ quản lý điện chiếu sáng đã thay bóng và sửa dây dẫn, các cột đèn đã sáng trở lại.",
        ),
        (
            "Ổ gà lớn trên đường liên thôn",
            "Đoạn đường qua {place} có nhiều ổ gà sâu, trời mưa đọng nước, đã có người ngã xe. Đề nghị xã sớm vá lại.",
            "Xã đã bố trí kinh phí vá ổ gà đoạn đường nêu trên; việc thi công đã hoàn thành và mặt đường đã "
            "thông thoáng.",
        ),
        (
            "Cống thoát nước bị tắc gây ngập",
            "Mỗi khi mưa to, cống thoát nước ở {place} bị tắc khiến nước tràn vào nhà dân.",
            "Xã đã huy động lực lượng nạo vét cống và thay tấm đan vỡ; sẽ kiểm tra định kỳ trước mùa mưa.",
        ),
        (
            "Biển báo giao thông gần trường học bị mất",
            "Biển báo khu vực trường học ở {place} bị đổ từ lâu, xe tải chạy nhanh qua giờ tan trường rất nguy hiểm.",
            "Xã đã lắp lại biển báo và gờ giảm tốc; công an xã tăng cường nhắc nhở vào giờ tan trường.",
        ),
    ],
    "Vệ sinh môi trường": [
        (
            "Rác thải không được thu gom đúng lịch",
            "Rác tại điểm tập kết ở {place} đã ba ngày chưa được thu gom, bốc mùi và ruồi nhặng nhiều.",
            "Xã đã làm việc với đơn vị thu gom, bổ sung một chuyến thu gom vào thứ Tư và thứ Bảy hằng tuần.",
        ),
        (
            "Đốt rơm rạ gây khói bụi",
            "Sau vụ gặt, nhiều hộ ở {place} đốt rơm rạ ngay cạnh khu dân cư, khói bay vào nhà, trẻ nhỏ bị ho.",
            "Xã đã tuyên truyền trên loa truyền thanh, hướng dẫn các hộ xử lý rơm rạ bằng chế phẩm sinh học thay "
            "vì đốt.",
        ),
        (
            "Cơ sở chăn nuôi xả thải ra mương",
            "Một trại lợn gần {place} xả nước thải chưa qua xử lý ra mương chung, mùi hôi nồng nặc.",
            "Đoàn kiểm tra của xã đã lập biên bản, yêu cầu chủ cơ sở cải tạo hầm biogas; xã sẽ kiểm tra lại sau "
            "30 ngày.",
        ),
    ],
    "An ninh trật tự": [
        (
            "Nhóm thanh niên tụ tập gây ồn ào ban đêm",
            "Gần đây có nhóm thanh niên thường tụ tập, nẹt pô ở {place} sau 23 giờ, ảnh hưởng giấc ngủ của người dân.",
            "Công an xã đã tăng cường tuần tra vào ban đêm, mời các thanh niên liên quan lên làm việc và thông báo "
            "cho gia đình.",
        ),
        (
            "Hát karaoke quá giờ",
            "Một số hộ ở {place} hát karaoke to đến khuya, nhiều lần nhắc nhở không được.",
            "Công an xã đã nhắc nhở và cho các hộ liên quan ký cam kết không gây ồn sau 22 giờ.",
        ),
        (
            "Lấn chiếm vỉa hè bày bán hàng",
            "Vỉa hè đoạn {place} bị bày bán hàng, người đi bộ phải xuống lòng đường.",
            "Xã đã ra quân lập lại trật tự vỉa hè, hướng dẫn các hộ kinh doanh sắp xếp hàng hóa đúng quy định.",
        ),
    ],
    "Đất đai, xây dựng": [
        (
            "Xây dựng công trình không phép",
            "Một hộ ở {place} đang xây nhà lấn ra hành lang đường, chưa thấy treo biển cấp phép.",
            "Xã đã kiểm tra, lập biên bản và yêu cầu tạm dừng thi công; hộ gia đình đã tự tháo dỡ phần lấn chiếm.",
        ),
        (
            "Chậm cấp giấy chứng nhận quyền sử dụng đất",
            "Gia đình tôi nộp hồ sơ cấp giấy chứng nhận từ nhiều tháng nhưng chưa nhận được kết quả.",
            "Xã đã phối hợp với chi nhánh văn phòng đăng ký đất đai; hồ sơ đã được trình ký và sẽ trả kết quả "
            "trong tuần.",
        ),
        (
            "Tranh chấp ranh giới đất với hộ liền kề",
            "Hộ liền kề ở {place} xây tường rào lấn sang đất nhà tôi khoảng nửa mét. Đề nghị xã xác minh và hòa giải.",
            "Tổ hòa giải và cán bộ địa chính đã đo đạc, hai gia đình đã thống nhất ranh giới theo bản đồ địa chính.",
        ),
    ],
}

PROGRESS_TEXTS = [
    "Xã đã giao cán bộ phụ trách kiểm tra thực tế.",
    "Cán bộ đã xuống hiện trường và đang phối hợp với trưởng thôn.",
    "Xã đang lập dự toán kinh phí để xử lý.",
    "",
]

OUT_OF_SCOPE = [
    ("Điện lực Việt Yên", "Nội dung thuộc thẩm quyền của ngành điện; xã đã chuyển đến Điện lực Việt Yên."),
    ("Công an huyện Tân Yên", "Vụ việc có dấu hiệu vi phạm pháp luật, đã chuyển Công an huyện xử lý theo thẩm quyền."),
    ("Ban quản lý dự án giao thông tỉnh", "Tuyến đường do tỉnh quản lý; xã đã chuyển đến Ban quản lý dự án."),
    ("Chi nhánh Văn phòng đăng ký đất đai", "Hồ sơ do Chi nhánh Văn phòng đăng ký đất đai giải quyết."),
]

NOT_FEEDBACK_TEXTS = [
    "Nội dung là lời chào hỏi, không phải phản ánh, kiến nghị.",
    "Nội dung không liên quan đến hoạt động của chính quyền xã.",
]

UNRESOLVED_TEXTS = [
    "Việc nâng cấp tuyến đường cần kinh phí lớn, chưa có trong kế hoạch năm nay; xã đã kiến nghị huyện đưa vào "
    "kế hoạch đầu tư năm sau.",
    "Hai bên chưa đồng ý phương án hòa giải; xã hướng dẫn công dân khởi kiện tại Tòa án nhân dân theo quy định.",
    "Chủ cơ sở đã chuyển đi nơi khác, xã không xác định được người chịu trách nhiệm.",
]

DISPUTE_TEXTS = [
    "Sau khi sửa được hai hôm thì đèn lại hỏng, đề nghị kiểm tra lại.",
    "Tình trạng vẫn chưa được khắc phục như trả lời.",
    "Tôi chưa nhận được kết quả như xã thông báo.",
]

EXTENSION_TEXTS = [
    "Cần thêm thời gian để phối hợp với đơn vị cấp huyện.",
    "Chờ kết quả đo đạc của cơ quan chuyên môn.",
]

RATING_COMMENTS = ["Cảm ơn xã đã xử lý nhanh.", "Giải quyết tốt.", "Hơi chậm nhưng đã xong.", "", "", ""]
