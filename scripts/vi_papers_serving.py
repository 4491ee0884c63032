"""Vietnamese for serving papers: signed links, stamped copies, trace_paper."""

VI: dict[str, str] = {
    # the stamp on every page
    "Copy for %(name)s — %(unit)s — %(date)s %(time)s — trace code %(code)s": "Bản cấp cho %(name)s — %(unit)s — %(date)s %(time)s — mã truy vết %(code)s",
    # signed links
    "This link has expired": "Đường dẫn đã hết hạn",
    "Links to papers last a few minutes. Open the paper again from the meeting page.": "Đường dẫn tới tài liệu chỉ dùng được trong ít phút. Hãy mở lại tài liệu từ trang phiên họp.",
    "This link is not valid": "Đường dẫn không hợp lệ",
    "The link to this paper is damaged or was not made by eCabinet. Open the paper from the meeting page.": "Đường dẫn tới tài liệu này bị hỏng hoặc không do eCabinet tạo ra. Hãy mở tài liệu từ trang phiên họp.",
    "“download” must be 1 or 0.": "Tham số “download” phải là 1 hoặc 0.",
    "This link is not for you": "Đường dẫn này không dành cho bạn",
    "A link to a paper works only for the person it was made for, while signed in. Open the paper from your own meeting page.": "Đường dẫn tới tài liệu chỉ dùng được cho đúng người được cấp, khi đã đăng nhập. Hãy mở tài liệu từ trang phiên họp của bạn.",
    "No longer available": "Tài liệu không còn được cung cấp",
    "This paper has been updated": "Tài liệu đã được cập nhật",
    "There is a newer version of this paper. Open it again from the meeting page.": "Tài liệu này đã có phiên bản mới hơn. Hãy mở lại từ trang phiên họp.",
    "This paper is view-only": "Tài liệu chỉ được xem",
    "The secretariat has made this paper view-only: read it on the screen, it cannot be downloaded.": "Văn phòng chỉ cho phép xem tài liệu này trên màn hình, không được tải về.",
    "Open the paper again": "Mở lại tài liệu",
    "The paper cannot be opened just now": "Chưa mở được tài liệu",
    "Your copy of this paper could not be prepared. Try again in a moment; if it still fails, tell the secretariat.": "Chưa chuẩn bị được bản tài liệu của bạn. Hãy thử lại sau giây lát; nếu vẫn không được, hãy báo cho Văn phòng.",
    # manage.py trace_paper
    "Find who a stamped copy of a paper was made for, from the trace code printed on it.": "Tìm người được cấp một bản tài liệu từ mã truy vết in trên bản đó.",
    "No stamped copy has the trace code “%(code)s”. Check the code on the page and try again.": "Không có bản tài liệu nào mang mã truy vết “%(code)s”. Hãy kiểm tra lại mã in trên trang rồi thử lại.",
    "Trace code %(code)s": "Mã truy vết %(code)s",
    "Reader": "Người được cấp",
    "Job title": "Chức danh",
    "Unit": "Cơ quan",
    "Tenant": "Đơn vị",
    "Paper": "Tài liệu",
    "Agenda item": "Nội dung",
    "Version": "Phiên bản",
    "%(number)s of %(latest)s, uploaded %(when)s, SHA-256 %(sha)s": "%(number)s trên %(latest)s, tải lên lúc %(when)s, SHA-256 %(sha)s",
    "Copy made": "Bản được tạo lúc",
    "Stamp": "Dấu in trên trang",
    "Never opened.": "Chưa mở lần nào.",
    "opened": "đã mở",
    "downloaded": "đã tải về",
    # the stamped copies and reads in the admin
    "trace code": "mã truy vết",
    "stamp": "dấu in trên trang",
    "stamped copy": "bản cấp có đóng dấu",
    "stamped copies": "các bản cấp có đóng dấu",
    "made at": "tạo lúc",
    "paper opened": "lượt mở tài liệu",
    "papers opened": "các lượt mở tài liệu",
}

VI_PLURAL: dict[str, list[str]] = {
    "Opened once:": ["Đã mở %(count)s lần:"],
}
