"""Vietnamese for the secretariat's side of papers: upload and its checks,
versions, distribution, the end of reading, the paper settings (forms,
actions, manage pages, API), and the papers models and access."""

from __future__ import annotations

VI: dict[str, str] = {
    # kinds and the model
    "Draft text": "Dự thảo",
    "largest paper (MB)": "dung lượng tối đa của tài liệu (MB)",
    "days papers stay readable after the meeting closes": "số ngày còn xem được tài liệu sau khi cuộc họp kết thúc",
    "paper settings": "thiết lập tài liệu",
    "reading ended at": "thời điểm kết thúc xem tài liệu",
    "papers of a meeting": "tài liệu của cuộc họp",
    "papers of meetings": "tài liệu của các cuộc họp",
    "paper title": "tên tài liệu",
    "only for named people": "chỉ gửi người được chỉ định",
    "Otherwise every participant who sees the item receives it.": (
        "Nếu không, mọi người tham dự được xem nội dung họp đều nhận tài liệu."
    ),
    "may be downloaded": "được tải về",
    "current version": "phiên bản hiện hành",
    "updated at": "thời điểm cập nhật",
    "withdrawn at": "thời điểm rút",
    "version": "phiên bản",
    "SHA-256": "SHA-256",
    "size (bytes)": "dung lượng (byte)",
    "file name": "tên tệp",
    "what changed": "nội dung thay đổi",
    "uploaded at": "thời điểm tải lên",
    "paper version": "phiên bản tài liệu",
    "paper versions": "các phiên bản tài liệu",
    "page": "trang",
    "highlighted region": "vùng đánh dấu",
    "shared with the participants": "chia sẻ với người tham dự",
    "notes": "ghi chú",
    # access
    "This paper is no longer available: reading ended after the meeting. Ask the secretariat if you still need it.": (
        "Tài liệu này không còn được cung cấp: thời hạn xem đã kết thúc sau cuộc họp. "
        "Nếu còn cần, xin liên hệ Văn phòng."
    ),
    # the checks of an upload
    "Papers marked secret (Mật, Tối mật, Tuyệt mật) may not be put on eCabinet. Send them through the channels for state secrets.": (
        "Tài liệu có độ mật (Mật, Tối mật, Tuyệt mật) không được đưa lên eCabinet. "
        "Hãy chuyển qua kênh dành cho tài liệu bí mật nhà nước."
    ),
    "The file is empty. Choose the paper's PDF file again.": "Tệp rỗng. Hãy chọn lại tệp PDF của tài liệu.",
    "The file is larger than this tenant's limit of %(mb)d MB. Compress it or split it.": (
        "Tệp lớn hơn mức tối đa %(mb)d MB của đơn vị. Hãy nén nhỏ hoặc tách tệp."
    ),
    "This file is not a PDF. Export it to PDF (File → Save as → PDF) and upload that.": (
        "Tệp này không phải PDF. Hãy xuất ra PDF (Tệp → Lưu thành → PDF) rồi tải tệp đó lên."
    ),
    "This PDF has no pages.": "Tệp PDF này không có trang nào.",
    "This paper is marked “%(marking)s” on its first page. Secret papers may not be put on eCabinet; send it through the channels for state secrets.": (
        "Tài liệu này có dấu “%(marking)s” ở trang đầu. Tài liệu mật không được đưa lên eCabinet; "
        "hãy chuyển qua kênh dành cho tài liệu bí mật nhà nước."
    ),
    "This PDF is protected by a password. Save it again without protection and upload that.": (
        "Tệp PDF này có mật khẩu bảo vệ. Hãy lưu lại không đặt mật khẩu rồi tải tệp đó lên."
    ),
    "This PDF is damaged or incomplete and cannot be read. Export it again and upload that.": (
        "Tệp PDF này bị hỏng hoặc không đầy đủ nên không đọc được. Hãy xuất lại rồi tải tệp đó lên."
    ),
    # actions
    "At most %(limit)d characters.": "Tối đa %(limit)d ký tự.",
    "Choose the kind of paper: submission, draft, report or other.": (
        "Hãy chọn loại tài liệu: tờ trình, dự thảo, báo cáo hoặc khác."
    ),
    "That item is not on this meeting's agenda.": "Nội dung này không có trong chương trình của cuộc họp.",
    "A paper can only be given to people who take part in the meeting.": (
        "Chỉ gửi tài liệu cho người tham dự cuộc họp."
    ),
    "%(name)s is a guest not invited to this item and cannot receive its papers.": (
        "%(name)s là khách mời không được mời dự nội dung này nên không nhận được tài liệu của nội dung."
    ),
    "The meeting is closed; its papers can no longer be changed.": (
        "Cuộc họp đã kết thúc; không thể thay đổi tài liệu của cuộc họp."
    ),
    "Give the paper a title.": "Hãy nhập tên tài liệu.",
    "Give the unit as text.": "Hãy nhập tên cơ quan dưới dạng văn bản.",
    "Name at least one person who receives this paper.": "Hãy chọn ít nhất một người nhận tài liệu này.",
    "Say what changed, as text.": "Hãy ghi nội dung thay đổi dưới dạng văn bản.",
    "This paper has been withdrawn.": "Tài liệu này đã bị rút.",
    "This file is the same as the current version.": "Tệp này giống hệt phiên bản hiện hành.",
    "This paper has already been withdrawn.": "Tài liệu này đã được rút.",
    "Reading of this meeting's papers has already ended.": "Việc xem tài liệu của cuộc họp này đã kết thúc.",
    "This item still has papers. Withdraw them or move them to another item first.": (
        "Nội dung này vẫn còn tài liệu. Hãy rút hoặc chuyển tài liệu sang nội dung khác trước."
    ),
    "Move a paper up or down by one place.": "Chỉ chuyển tài liệu lên hoặc xuống một vị trí.",
    "This paper is already first.": "Tài liệu này đã ở đầu danh sách.",
    "This paper is already last.": "Tài liệu này đã ở cuối danh sách.",
    "The largest paper is a whole number of MB from 1 to %(max)d.": (
        "Dung lượng tối đa của tài liệu là số nguyên MB từ 1 đến %(max)d."
    ),
    "Days of reading after the meeting is a whole number from 0 to %(max)d.": (
        "Số ngày xem tài liệu sau cuộc họp là số nguyên từ 0 đến %(max)d."
    ),
    # forms
    "The whole meeting": "Chung cho cả cuộc họp",
    "Only for the people named below (e.g. the chair and vice-chairs)": (
        "Chỉ gửi những người được chọn dưới đây (ví dụ: Chủ tịch và các Phó Chủ tịch)"
    ),
    "Who receives it": "Người nhận",
    "May be downloaded (otherwise view only)": "Được tải về (nếu không, chỉ được xem)",
    "PDF file": "Tệp PDF",
    "Paper title": "Tên tài liệu",
    "Kind of paper": "Loại tài liệu",
    "This paper is marked secret (Mật, Tối mật, Tuyệt mật)": "Tài liệu có độ mật (Mật, Tối mật, Tuyệt mật)",
    "PDF file of the new version": "Tệp PDF của phiên bản mới",
    "What changed": "Nội dung thay đổi",
    "Largest paper (MB)": "Dung lượng tối đa của tài liệu (MB)",
    "Days papers stay readable after the meeting closes": "Số ngày còn xem được tài liệu sau khi cuộc họp kết thúc",
    # the upload script
    "Uploading… %(percent)s%%": "Đang tải lên… %(percent)s%%",
    "Checking the paper…": "Đang kiểm tra tài liệu…",
    "The upload did not finish. Check the connection and try again.": (
        "Chưa tải lên xong. Hãy kiểm tra kết nối rồi thử lại."
    ),
    "Upload progress": "Tiến độ tải lên",
    # messages of the pages
    "The paper is uploaded and sent to its readers.": "Tài liệu đã được tải lên và gửi tới người nhận.",
    "Reading has ended: only the secretariat and the chair can open these papers now.": (
        "Đã kết thúc việc xem tài liệu: từ nay chỉ Văn phòng và Chủ tịch mở được các tài liệu này."
    ),
    "The new version is uploaded; readers get it from now on.": (
        "Đã tải lên phiên bản mới; từ nay người nhận được xem phiên bản này."
    ),
    "The paper is saved.": "Đã lưu tài liệu.",
    "Who receives the paper is saved.": "Đã lưu danh sách người nhận tài liệu.",
    "The order of the papers is saved.": "Đã lưu thứ tự tài liệu.",
    "The paper is withdrawn: nobody receives it any more; its versions stay in the record.": (
        "Đã rút tài liệu: không còn ai nhận tài liệu này; các phiên bản vẫn được lưu trữ."
    ),
    "The paper settings are saved.": "Đã lưu thiết lập tài liệu.",
    # the papers of a meeting (manage_papers.html)
    "Papers by agenda item": "Tài liệu theo nội dung họp",
    "version %(number)s": "phiên bản %(number)s",
    "Every participant": "Mọi người tham dự",
    "Downloadable": "Được tải về",
    "View only": "Chỉ xem",
    "No papers yet.": "Chưa có tài liệu.",
    "Upload a paper": "Tải lên tài liệu",
    "A PDF of at most %(limit_mb)s MB. Papers marked secret (Mật, Tối mật, Tuyệt mật) may not be put on eCabinet.": (
        "Tệp PDF tối đa %(limit_mb)s MB. Tài liệu có độ mật (Mật, Tối mật, Tuyệt mật) không được đưa lên eCabinet."
    ),
    "Upload": "Tải lên",
    "Reading": "Xem tài liệu",
    "Reading ended at %(when)s on the secretariat's word. Only the secretariat and the chair can open these papers.": (
        "Văn phòng đã kết thúc việc xem tài liệu lúc %(when)s. Chỉ Văn phòng và Chủ tịch mở được các tài liệu này."
    ),
    "The meeting is closed: participants can read its papers until %(when)s; after that only the secretariat and the chair.": (
        "Cuộc họp đã kết thúc: người tham dự còn xem được tài liệu đến %(when)s; "
        "sau đó chỉ Văn phòng và Chủ tịch."
    ),
    "Participants can read the papers they receive. Reading ends for them when the grace period after the meeting passes, or now on your word.": (
        "Người tham dự xem được các tài liệu gửi cho mình. Việc xem kết thúc khi hết thời hạn sau cuộc họp, "
        "hoặc ngay khi Văn phòng quyết định."
    ),
    "End reading now": "Kết thúc việc xem tài liệu ngay",
    # one paper (manage_paper.html)
    "All papers of the meeting": "Tất cả tài liệu của cuộc họp",
    "Readers receive the current version only; every version is kept for the record.": (
        "Người nhận chỉ xem phiên bản hiện hành; mọi phiên bản đều được lưu trữ."
    ),
    "Uploaded": "Tải lên",
    "current": "hiện hành",
    "Upload a new version": "Tải lên phiên bản mới",
    "Upload the new version": "Tải lên phiên bản mới",
    "Distribution": "Gửi tài liệu",
    "By default every participant who sees the item receives the paper. Name people to keep it to them.": (
        "Mặc định, mọi người tham dự được xem nội dung họp đều nhận tài liệu. "
        "Chọn người nhận để chỉ gửi cho những người đó."
    ),
    "Save the paper": "Lưu tài liệu",
    "Withdraw the paper": "Rút tài liệu",
    "Nobody receives a withdrawn paper any more; its versions stay in the record.": (
        "Tài liệu đã rút không còn gửi cho ai; các phiên bản vẫn được lưu trữ."
    ),
    # the server's ceiling on a request (ecabinet/body_limit.py)
    "The request is larger than this server accepts (%(mb)d MB).": "Yêu cầu lớn hơn mức máy chủ chấp nhận (%(mb)d MB).",
    # the paper settings (manage_settings.html, the rules page)
    "Paper settings": "Thiết lập tài liệu",
    "How large a paper may be, and how long participants can read a meeting's papers after it closes. The secretariat and the chair read on.": (
        "Dung lượng tối đa của một tài liệu và thời gian người tham dự còn xem được tài liệu sau khi cuộc họp "
        "kết thúc. Văn phòng và Chủ tịch vẫn xem được."
    ),
}

VI_PLURAL: dict[str, list[str]] = {
    "Who receives it (%(counter)s)": ["Người nhận (%(counter)s)"],
    "Named people only (%(counter)s)": ["Chỉ người được chỉ định (%(counter)s)"],
    "%(counter)s withdrawn paper": ["%(counter)s tài liệu đã rút"],
}
