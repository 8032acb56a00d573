"""The provincial procedure catalogue of the demo: what a commune's one-stop shop handles.

National procedure codes marked ``verified=True`` are real codes of the national procedure database
that we are confident of; the others are plausible codes in the same format, to be checked against
dichvucong.gov.vn before anyone relies on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from communes.models import OnlineLevel

CIVIL_STATUS = "Hộ tịch"
AUTHENTICATION = "Chứng thực"
LAND = "Đất đai"
SOCIAL_PROTECTION = "Bảo trợ xã hội"


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    name: str
    field: str
    steps: list[str]
    documents: list[str]
    fee: str
    online_level: str
    time_limit_days: int | None = None
    same_day: bool = False
    verified: bool = False  # True: a real national code we are confident of


ID_PAPERS = "Giấy tờ tùy thân của người đi đăng ký (Căn cước hoặc tài khoản định danh điện tử VNeID)"

PROCEDURES = [
    ProcedureSpec(
        code="1.001193",
        name="Đăng ký khai sinh",
        field=CIVIL_STATUS,
        verified=True,
        steps=[
            "Người đi đăng ký nộp Tờ khai đăng ký khai sinh và giấy tờ kèm theo tại Bộ phận Một cửa của UBND "
            "cấp xã, hoặc nộp trực tuyến trên Cổng Dịch vụ công quốc gia.",
            "Công chức Tư pháp - Hộ tịch kiểm tra hồ sơ; nếu chưa đầy đủ thì hướng dẫn bổ sung một lần bằng văn bản.",
            "Công chức ghi nội dung khai sinh vào Sổ đăng ký khai sinh và Cơ sở dữ liệu hộ tịch điện tử để "
            "cấp số định danh cá nhân cho trẻ.",
            "Người đi đăng ký kiểm tra nội dung, cùng ký vào Sổ; Chủ tịch UBND cấp xã ký Giấy khai sinh.",
            "Trả Giấy khai sinh bản chính tại Bộ phận Một cửa hoặc qua dịch vụ bưu chính.",
        ],
        documents=[
            "Tờ khai đăng ký khai sinh (theo mẫu)",
            "Giấy chứng sinh do cơ sở y tế cấp; nếu không có thì văn bản của người làm chứng về việc sinh",
            ID_PAPERS,
            "Giấy chứng nhận kết hôn của cha, mẹ (nếu có)",
        ],
        fee="Miễn lệ phí (đăng ký đúng hạn)",
        same_day=True,
        online_level=OnlineLevel.FULL,
    ),
    ProcedureSpec(
        code="1.000894",
        name="Đăng ký kết hôn",
        field=CIVIL_STATUS,
        verified=True,
        steps=[
            "Hai bên nam, nữ nộp Tờ khai đăng ký kết hôn tại Bộ phận Một cửa của UBND cấp xã nơi cư trú "
            "của một trong hai bên.",
            "Công chức Tư pháp - Hộ tịch kiểm tra hồ sơ và tình trạng hôn nhân của hai bên.",
            "Nếu đủ điều kiện, công chức ghi việc kết hôn vào Sổ đăng ký kết hôn; hai bên cùng ký vào Sổ và "
            "Giấy chứng nhận kết hôn.",
            "Chủ tịch UBND cấp xã tổ chức trao Giấy chứng nhận kết hôn cho hai bên.",
        ],
        documents=[
            "Tờ khai đăng ký kết hôn (theo mẫu)",
            "Giấy xác nhận tình trạng hôn nhân, nếu một bên cư trú ở xã khác",
            "Giấy tờ tùy thân của hai bên nam, nữ",
        ],
        fee="Miễn lệ phí",
        same_day=True,
        online_level=OnlineLevel.PARTIAL,
    ),
    ProcedureSpec(
        code="1.000656",
        name="Đăng ký khai tử",
        field=CIVIL_STATUS,
        verified=True,
        steps=[
            "Người đi đăng ký nộp Tờ khai đăng ký khai tử và Giấy báo tử tại Bộ phận Một cửa hoặc trực tuyến.",
            "Công chức Tư pháp - Hộ tịch kiểm tra hồ sơ, ghi nội dung khai tử vào Sổ đăng ký khai tử và Cơ sở "
            "dữ liệu hộ tịch điện tử.",
            "Chủ tịch UBND cấp xã ký Trích lục khai tử; trả kết quả cho người đi đăng ký.",
        ],
        documents=[
            "Tờ khai đăng ký khai tử (theo mẫu)",
            "Giấy báo tử hoặc giấy tờ thay Giấy báo tử",
            ID_PAPERS,
        ],
        fee="Miễn lệ phí (đăng ký đúng hạn)",
        same_day=True,
        online_level=OnlineLevel.FULL,
    ),
    ProcedureSpec(
        code="1.004873",
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        field=CIVIL_STATUS,
        verified=True,
        steps=[
            "Người yêu cầu nộp Tờ khai cấp Giấy xác nhận tình trạng hôn nhân tại Bộ phận Một cửa hoặc trực tuyến.",
            "Công chức Tư pháp - Hộ tịch kiểm tra, xác minh tình trạng hôn nhân trong Cơ sở dữ liệu hộ tịch.",
            "Chủ tịch UBND cấp xã ký Giấy xác nhận tình trạng hôn nhân; trả kết quả.",
        ],
        documents=[
            "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu)",
            ID_PAPERS,
            "Bản án, quyết định ly hôn hoặc giấy tờ chứng minh, nếu người yêu cầu đã từng kết hôn",
        ],
        fee="Lệ phí theo Nghị quyết của HĐND tỉnh; miễn cho người thuộc hộ nghèo, người khuyết tật",
        time_limit_days=3,
        online_level=OnlineLevel.FULL,
    ),
    ProcedureSpec(
        code="2.000635",  # unverified
        name="Cấp bản sao trích lục hộ tịch",
        field=CIVIL_STATUS,
        steps=[
            "Người yêu cầu nộp tờ khai cấp bản sao trích lục hộ tịch tại Bộ phận Một cửa hoặc trực tuyến.",
            "Công chức Tư pháp - Hộ tịch tra cứu Sổ hộ tịch và Cơ sở dữ liệu hộ tịch điện tử.",
            "Chủ tịch UBND cấp xã ký bản sao trích lục; trả kết quả cho người yêu cầu.",
        ],
        documents=[
            "Tờ khai cấp bản sao trích lục hộ tịch (theo mẫu)",
            ID_PAPERS,
            "Văn bản ủy quyền, nếu nộp thay người khác",
        ],
        fee="8.000 đồng/bản sao trích lục",
        same_day=True,
        online_level=OnlineLevel.FULL,
    ),
    ProcedureSpec(
        code="1.001022",  # unverified
        name="Đăng ký nhận cha, mẹ, con",
        field=CIVIL_STATUS,
        steps=[
            "Người yêu cầu nộp tờ khai và chứng cứ chứng minh quan hệ cha, mẹ, con tại Bộ phận Một cửa.",
            "Công chức Tư pháp - Hộ tịch kiểm tra hồ sơ; niêm yết công khai việc nhận cha, mẹ, con.",
            "Nếu không có tranh chấp, công chức ghi vào Sổ hộ tịch; các bên cùng ký vào Sổ.",
            "Chủ tịch UBND cấp xã ký Trích lục đăng ký nhận cha, mẹ, con; trả kết quả.",
        ],
        documents=[
            "Tờ khai đăng ký nhận cha, mẹ, con (theo mẫu)",
            "Kết luận giám định ADN hoặc văn bản khác chứng minh quan hệ cha, mẹ, con",
            "Giấy tờ tùy thân của các bên",
        ],
        fee="Lệ phí theo Nghị quyết của HĐND tỉnh",
        time_limit_days=3,
        online_level=OnlineLevel.PARTIAL,
    ),
    ProcedureSpec(
        code="2.000815",
        name="Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp",
        field=AUTHENTICATION,
        verified=True,
        steps=[
            "Người yêu cầu xuất trình bản chính và bản sao cần chứng thực tại Bộ phận Một cửa.",
            "Người thực hiện chứng thực đối chiếu bản sao với bản chính; nếu đúng thì ghi lời chứng, ký và đóng dấu.",
            "Trả bản sao đã chứng thực và thu phí theo quy định.",
        ],
        documents=[
            "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao",
            "Bản sao cần chứng thực (nếu người yêu cầu tự chuẩn bị)",
        ],
        fee="Bản sao: 2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản",
        same_day=True,
        online_level=OnlineLevel.PARTIAL,
    ),
    ProcedureSpec(
        code="2.000884",
        name="Chứng thực chữ ký trong các giấy tờ, văn bản",
        field=AUTHENTICATION,
        verified=True,
        steps=[
            "Người yêu cầu xuất trình giấy tờ tùy thân và giấy tờ, văn bản sẽ ký.",
            "Người yêu cầu ký trước mặt người thực hiện chứng thực.",
            "Người thực hiện chứng thực ghi lời chứng, ký, đóng dấu; trả kết quả.",
        ],
        documents=[
            "Giấy tờ tùy thân còn giá trị sử dụng",
            "Giấy tờ, văn bản mà người yêu cầu sẽ ký",
        ],
        fee="10.000 đồng/trường hợp",
        same_day=True,
        online_level=OnlineLevel.NONE,
    ),
    ProcedureSpec(
        code="2.001035",  # unverified
        name="Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        field=AUTHENTICATION,
        steps=[
            "Người yêu cầu nộp dự thảo hợp đồng, giao dịch và giấy tờ kèm theo tại Bộ phận Một cửa.",
            "Người thực hiện chứng thực kiểm tra giấy tờ và năng lực hành vi dân sự của các bên.",
            "Các bên ký trước mặt người thực hiện chứng thực; người thực hiện chứng thực ghi lời chứng, ký, đóng dấu.",
            "Trả hợp đồng, giao dịch đã chứng thực và thu phí.",
        ],
        documents=[
            "Dự thảo hợp đồng, giao dịch",
            "Giấy tờ tùy thân của người yêu cầu chứng thực",
            "Bản sao giấy tờ chứng minh quyền sở hữu tài sản, kèm bản chính để đối chiếu",
        ],
        fee="50.000 đồng/hợp đồng, giao dịch",
        time_limit_days=2,
        online_level=OnlineLevel.NONE,
    ),
    ProcedureSpec(
        code="1.003554",  # unverified
        name="Hòa giải tranh chấp đất đai",
        field=LAND,
        steps=[
            "Người có tranh chấp nộp đơn yêu cầu hòa giải tại Bộ phận Một cửa của UBND cấp xã.",
            "UBND cấp xã thẩm tra, xác minh nguyên nhân tranh chấp và thu thập giấy tờ liên quan.",
            "Thành lập Hội đồng hòa giải tranh chấp đất đai; tổ chức cuộc họp hòa giải có các bên tranh chấp.",
            "Lập biên bản hòa giải thành hoặc không thành; gửi biên bản cho các bên.",
        ],
        documents=[
            "Đơn yêu cầu hòa giải tranh chấp đất đai",
            "Giấy tờ về quyền sử dụng đất liên quan (nếu có)",
        ],
        fee="Miễn phí",
        # The Land Law counts 30 days, not working days; the catalogue field only knows working days.
        time_limit_days=30,
        online_level=OnlineLevel.NONE,
    ),
    ProcedureSpec(
        code="1.004227",  # unverified
        name="Xác nhận hiện trạng, nguồn gốc và thời điểm sử dụng đất",
        field=LAND,
        steps=[
            "Người sử dụng đất nộp đơn đề nghị xác nhận tại Bộ phận Một cửa.",
            "Công chức Địa chính - Xây dựng kiểm tra hồ sơ địa chính, xác minh hiện trạng tại thực địa.",
            "Niêm yết công khai kết quả kiểm tra tại trụ sở UBND và nhà văn hóa thôn, tổ dân phố.",
            "Chủ tịch UBND cấp xã ký xác nhận; trả kết quả.",
        ],
        documents=[
            "Đơn đề nghị xác nhận (theo mẫu)",
            "Giấy tờ về quyền sử dụng đất hiện có (nếu có)",
        ],
        fee="Miễn phí",
        time_limit_days=10,
        online_level=OnlineLevel.PARTIAL,
    ),
    ProcedureSpec(
        code="1.001776",  # unverified
        name="Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng",
        field=SOCIAL_PROTECTION,
        steps=[
            "Người đề nghị nộp Tờ khai đề nghị trợ giúp xã hội tại Bộ phận Một cửa của UBND cấp xã.",
            "Hội đồng xét duyệt trợ giúp xã hội cấp xã họp xét duyệt; niêm yết công khai kết quả.",
            "UBND cấp xã gửi hồ sơ lên cơ quan có thẩm quyền quyết định hưởng trợ cấp.",
            "Trả quyết định hưởng trợ cấp cho người đề nghị.",
        ],
        documents=[
            "Tờ khai đề nghị trợ giúp xã hội (theo mẫu)",
            "Giấy xác nhận khuyết tật, đối với người khuyết tật",
            "Giấy tờ tùy thân của người đề nghị",
        ],
        fee="Miễn phí",
        time_limit_days=20,
        online_level=OnlineLevel.PARTIAL,
    ),
    ProcedureSpec(
        code="1.001731",  # unverified
        name="Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        field=SOCIAL_PROTECTION,
        steps=[
            "Người tổ chức mai táng nộp tờ khai đề nghị hỗ trợ chi phí mai táng tại Bộ phận Một cửa.",
            "Công chức Văn hóa - Xã hội kiểm tra hồ sơ, trình Chủ tịch UBND cấp xã.",
            "Chi trả hỗ trợ chi phí mai táng cho người tổ chức mai táng.",
        ],
        documents=[
            "Tờ khai đề nghị hỗ trợ chi phí mai táng (theo mẫu)",
            "Trích lục khai tử hoặc bản sao Giấy báo tử",
        ],
        fee="Miễn phí",
        time_limit_days=7,
        online_level=OnlineLevel.PARTIAL,
    ),
    ProcedureSpec(
        code="1.001699",  # unverified
        name="Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
        field=SOCIAL_PROTECTION,
        steps=[
            "Người đề nghị hoặc người đại diện nộp đơn tại Bộ phận Một cửa.",
            "Hội đồng xác định mức độ khuyết tật cấp xã tổ chức đánh giá trực tiếp người khuyết tật.",
            "Niêm yết công khai kết luận của Hội đồng.",
            "Chủ tịch UBND cấp xã cấp Giấy xác nhận khuyết tật.",
        ],
        documents=[
            "Đơn đề nghị xác định mức độ khuyết tật (theo mẫu)",
            "Bản sao các giấy tờ y tế liên quan đến khuyết tật (nếu có)",
        ],
        fee="Miễn phí",
        time_limit_days=20,
        online_level=OnlineLevel.PARTIAL,
    ),
]
