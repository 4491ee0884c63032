"""Vietnamese for the minutes (biên bản) and the conclusion notice (thông báo kết luận)."""

VI = {
    # the model (reports.MeetingRecord)
    "Minutes": "Biên bản",
    "Conclusion notice": "Thông báo kết luận",
    "drafted at": "thời điểm lập dự thảo",
    "minutes or conclusion notice": "biên bản hoặc thông báo kết luận",
    "minutes and conclusion notices": "biên bản và thông báo kết luận",
    # durations
    "%(h)s h %(m)02d min": "%(h)s giờ %(m)02d phút",
    "%(m)s min %(s)02d s": "%(m)s phút %(s)02d giây",
    "%(m)s min": "%(m)s phút",
    "%(s)s s": "%(s)s giây",
    # drafting and editing
    "A text of the record is longer than %(limit)s characters.": "Một đoạn văn bản dài quá %(limit)s ký tự.",
    "At %(time)s on %(date)s, at %(place)s, the meeting “%(title)s” was held, chaired by %(chair)s.": (
        "Vào lúc %(time)s ngày %(date)s, tại %(place)s, đã diễn ra %(title)s, do đồng chí %(chair)s chủ trì."
    ),
    "On %(date)s, %(chair)s chaired the meeting “%(title)s”. The chair concluded as follows.": (
        "Ngày %(date)s, đồng chí %(chair)s đã chủ trì %(title)s. Đồng chí chủ trì kết luận như sau."
    ),
    "the meeting room": "phòng họp",
    "CONCLUSION NOTICE": "THÔNG BÁO KẾT LUẬN",
    "MINUTES OF THE MEETING": "BIÊN BẢN PHIÊN HỌP",
    "Each item needs its “item_id”.": "Mỗi nội dung cần có “item_id”.",
    "Issued and signed. The participants see it now.": "Đã ban hành và ký số. Người tham dự nhận được ngay.",
    "Minutes and conclusion notices are issued once the meeting is closed.": (
        "Biên bản và thông báo kết luận được ban hành sau khi cuộc họp kết thúc."
    ),
    "Minutes are drafted once the session has started.": "Dự thảo biên bản được lập khi phiên họp đã bắt đầu.",
    "Nothing to save.": "Không có gì để lưu.",
    "The changes must be an object.": "Nội dung sửa đổi phải là một đối tượng.",
    "The draft is made from the session's record.": "Đã lập dự thảo từ diễn biến phiên họp.",
    "The draft is saved.": "Đã lưu dự thảo.",
    "The texts of a record must be text.": "Nội dung biên bản phải là văn bản.",
    "This item is not on the meeting's agenda.": "Nội dung này không có trong chương trình cuộc họp.",
    "This record has been issued and can no longer be changed.": "Văn bản đã ban hành, không thể sửa được nữa.",
    "This record is being drafted by someone else; reload the page.": (
        "Văn bản đang được người khác lập dự thảo; hãy tải lại trang."
    ),
    "Unknown field: %(field)s.": "Trường không hợp lệ: %(field)s.",
    "Unknown kind of record.": "Loại văn bản không hợp lệ.",
    "absent": "Vắng mặt",
    "absent, represented by %(name)s": "Vắng mặt, ủy quyền cho %(name)s",
    "“items” must be a list.": "“items” phải là một danh sách.",
    "…/DRAFT": "…/DỰ THẢO",
    # the PDFs
    "ATTENDANCE": "THÀNH PHẦN THAM DỰ",
    "PROCEEDINGS": "NỘI DUNG VÀ DIỄN BIẾN PHIÊN HỌP",
    "GENERAL CONCLUSION OF THE CHAIR": "KẾT LUẬN CHUNG CỦA CHỦ TỌA",
    "Adopted on the consent list, without debate.": "Thông qua theo danh sách thông qua không cần thảo luận.",
    "Chaired by": "Chủ trì",
    "Row no.": "STT",
    "Name": "Họ và tên",
    "Attendance": "Tham dự",
    "Presented by": "Trình bày",
    "Time": "Thời gian",
    "Speaker": "Người phát biểu",
    "Kind": "Hình thức",
    "Speaking time": "Thời gian phát biểu",
    "Members present: %(present)s of %(total)s.": "Thành viên có mặt: %(present)s/%(total)s.",
    "planned %(planned)s, actual %(actual)s": "dự kiến %(planned)s, thực tế %(actual)s",
    "%(voted)s of %(eligible)s members voted": "%(voted)s/%(eligible)s thành viên biểu quyết",
    "On “%(title)s”": "Về “%(title)s”",
    "General conclusion": "Kết luận chung",
    "The meeting ended at %(ended)s; it lasted %(duration)s.": (
        "Phiên họp kết thúc lúc %(ended)s; thời gian họp %(duration)s."
    ),
    # the pages
    "Minutes and conclusion notice": "Biên bản và thông báo kết luận",
    "Drafts of the minutes and the notice": "Dự thảo biên bản và thông báo kết luận",
    "Not issued yet.": "Chưa ban hành.",
    "Document": "Văn bản",
    "Not drafted yet": "Chưa lập dự thảo",
    "Draft being edited": "Dự thảo đang biên tập",
    "Issued and signed": "Đã ban hành, đã ký số",
    "Edit the draft": "Biên tập dự thảo",
    "Read": "Xem",
    "Signed PDF": "Bản PDF đã ký số",
    "Draft from the session's record": "Lập dự thảo từ diễn biến phiên họp",
    "Issued and signed: this record can no longer be changed.": "Đã ban hành và ký số: văn bản không thể sửa được nữa.",
    "Preview the PDF": "Xem trước bản PDF",
    "Read the session's record again": "Cập nhật lại từ diễn biến phiên họp",
    "Issue and sign": "Ban hành và ký số",
    "From the session's record": "Theo diễn biến phiên họp",
    "Started": "Bắt đầu",
    "Ended": "Kết thúc",
    "Opening": "Phần mở đầu",
    "Attendance note": "Ghi chú về thành phần",
    "Discussion": "Ý kiến thảo luận",
    "Save the draft": "Lưu dự thảo",
}
