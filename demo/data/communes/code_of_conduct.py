"""The code of conduct of one-stop officers: tỉnh Bắc Giang's in two versions (before the 2025 reform),
and today's tỉnh Bắc Ninh's for the commune-level public administrative service centres."""

from __future__ import annotations

import datetime

CODES_OF_CONDUCT = [
    {
        "version": 1,
        "title": "Quy tắc ứng xử của cán bộ, công chức làm việc tại Bộ phận Một cửa cấp xã",
        "decision": "Quyết định số 101/QĐ-UBND ngày 05/3/2021 của UBND tỉnh Bắc Giang (số hiệu minh họa)",
        "in_force_from": datetime.date(2021, 3, 15),
        "text": (
            "Điều 1. Chào hỏi\n"
            "Công chức chủ động chào hỏi, mời người dân ngồi và hỏi rõ nhu cầu giải quyết công việc.\n\n"
            "Điều 2. Hướng dẫn\n"
            "Hướng dẫn đầy đủ, rõ ràng thành phần hồ sơ; không yêu cầu giấy tờ ngoài quy định.\n\n"
            "Điều 3. Thái độ\n"
            "Không hách dịch, cửa quyền, gây phiền hà, sách nhiễu người dân.\n\n"
            "Điều 4. Trang phục\n"
            "Mặc trang phục lịch sự, đeo thẻ công chức trong giờ làm việc.\n\n"
            "Điều 5. Thời gian\n"
            "Có mặt tại quầy đúng giờ, không làm việc riêng trong giờ tiếp dân."
        ),
    },
    {
        "version": 2,
        "title": "Quy tắc ứng xử của cán bộ, công chức Bộ phận Một cửa cấp xã trong xây dựng chính quyền thân thiện",
        "decision": "Quyết định số 245/QĐ-UBND ngày 20/6/2023 của UBND tỉnh Bắc Giang (số hiệu minh họa)",
        "in_force_from": datetime.date(2023, 7, 1),
        "text": (
            "Điều 1. Chào hỏi, giới thiệu\n"
            "Công chức chủ động chào hỏi, mời người dân ngồi, tự giới thiệu họ tên và nhiệm vụ của mình.\n\n"
            "Điều 2. Lắng nghe\n"
            "Lắng nghe hết ý kiến của người dân; không ngắt lời, không làm việc riêng khi đang tiếp dân.\n\n"
            "Điều 3. Hướng dẫn đầy đủ một lần\n"
            "Hướng dẫn đầy đủ thành phần hồ sơ một lần bằng phiếu hướng dẫn; không yêu cầu bổ sung giấy tờ "
            "ngoài quy định.\n\n"
            "Điều 4. Không gây phiền hà\n"
            "Không hách dịch, cửa quyền, sách nhiễu; không nhận quà, tiền hoặc lợi ích của người dân dưới "
            "mọi hình thức.\n\n"
            "Điều 5. Trang phục, thẻ công chức\n"
            "Mặc trang phục gọn gàng, lịch sự; đeo thẻ công chức trong suốt giờ làm việc.\n\n"
            "Điều 6. Đúng giờ, đúng hẹn\n"
            "Có mặt tại quầy đúng giờ; trả kết quả đúng hẹn. Hồ sơ trễ hạn phải có thư xin lỗi gửi người dân "
            "và hẹn lại thời gian trả kết quả.\n\n"
            "Điều 7. Tiếp nhận góp ý\n"
            "Tiếp thu góp ý, phản ánh của người dân; mời người dân đánh giá mức độ hài lòng qua mã QR tại quầy.\n\n"
            "Điều 8. Cảm ơn\n"
            "Cảm ơn và chào người dân khi kết thúc giao dịch."
        ),
    },
]


TODAY_CODES_OF_CONDUCT = [
    {
        "version": 1,
        "title": "Quy tắc ứng xử của cán bộ, công chức làm việc tại Trung tâm Phục vụ hành chính công cấp xã",
        "decision": "Quyết định số 512/QĐ-UBND ngày 08/7/2025 của UBND tỉnh Bắc Ninh (số hiệu minh họa)",
        "in_force_from": datetime.date(2025, 7, 15),
        "text": (
            "Điều 1. Chào hỏi, giới thiệu\n"
            "Công chức chủ động chào hỏi, mời người dân ngồi, tự giới thiệu họ tên và nhiệm vụ của mình.\n\n"
            "Điều 2. Hướng dẫn đầy đủ một lần\n"
            "Hướng dẫn đầy đủ thành phần hồ sơ một lần; hỗ trợ người dân nộp hồ sơ trực tuyến và tra cứu kết quả "
            "trên Cổng Dịch vụ công.\n\n"
            "Điều 3. Không gây phiền hà\n"
            "Không hách dịch, cửa quyền, sách nhiễu; không nhận quà, tiền hoặc lợi ích của người dân dưới "
            "mọi hình thức.\n\n"
            "Điều 4. Trang phục, thẻ công chức\n"
            "Mặc trang phục gọn gàng, lịch sự; đeo thẻ công chức trong suốt giờ làm việc.\n\n"
            "Điều 5. Đúng giờ, đúng hẹn\n"
            "Có mặt tại quầy đúng giờ; trả kết quả đúng hẹn. Hồ sơ trễ hạn phải có thư xin lỗi gửi người dân "
            "và hẹn lại thời gian trả kết quả.\n\n"
            "Điều 6. Tiếp nhận góp ý\n"
            "Tiếp thu góp ý, phản ánh của người dân; mời người dân đánh giá mức độ hài lòng qua mã QR tại quầy."
        ),
    },
]
