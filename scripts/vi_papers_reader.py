"""Vietnamese for the papers reader, members' notes and the reading report."""

VI = {
    # notes (documents/notes.py)
    "Write the note.": "Hãy nhập nội dung ghi chú.",
    "A note has at most %(limit)d characters.": "Ghi chú dài tối đa %(limit)d ký tự.",
    "Choose a page from 1 to %(count)d.": "Chọn một trang từ 1 đến %(count)d.",
    "A highlighted region is x, y, width and height, each between 0 and 1, inside the page.": (
        "Vùng đánh dấu gồm x, y, chiều rộng và chiều cao, mỗi giá trị từ 0 đến 1, nằm trong trang."
    ),
    "Say whether the note is shared: true or false.": "Cho biết ghi chú có chia sẻ hay không: true hoặc false.",
    "Only the meeting's participants can share a note.": "Chỉ người tham dự cuộc họp mới được chia sẻ ghi chú.",
    "That page is no longer in the paper: choose a page for the note.": (
        "Tài liệu không còn trang này: hãy chọn trang khác cho ghi chú."
    ),
    # the reader (documents/views.py, reader.html)
    "Opening the paper…": "Đang mở tài liệu…",
    "The paper could not be shown. Check the connection and open it again; if it still fails, ask the secretariat.": (
        "Không hiển thị được tài liệu. Hãy kiểm tra kết nối và mở lại; nếu vẫn không được, xin liên hệ Văn phòng."
    ),
    "The link to this paper has expired. Open the paper again.": "Đường dẫn tới tài liệu đã hết hạn. Hãy mở lại tài liệu.",
    "Page %(page)s of %(count)s": "Trang %(page)s/%(count)s",
    "This paper was updated at %(time)s: version %(version)s, %(pages)s pages (was %(previous_pages)s).": (
        "Tài liệu đã được cập nhật lúc %(time)s: phiên bản %(version)s, %(pages)s trang (trước đây %(previous_pages)s trang)."
    ),
    "What changed: %(note)s": "Nội dung thay đổi: %(note)s",
    "The secretariat has withdrawn this paper.": "Văn phòng đã rút tài liệu này.",
    "Who receives this paper has changed. Open it again to see if you still have it.": (
        "Danh sách người nhận tài liệu đã thay đổi. Hãy mở lại để biết đồng chí còn được nhận hay không."
    ),
    "Reading of this meeting's papers has ended.": "Đã hết thời hạn xem tài liệu của cuộc họp này.",
    "Notes on page %(page)s": "Ghi chú ở trang %(page)s",
    "No notes on this page.": "Trang này chưa có ghi chú.",
    "Shared": "Đã chia sẻ",
    "Only you": "Chỉ mình tôi",
    "This page changed in the new version: read it again.": "Trang này đã thay đổi trong phiên bản mới: xin đọc lại.",
    "The new version has no page %(page)s.": "Phiên bản mới không còn trang %(page)s.",
    "Delete": "Xóa",
    "Share with the participants": "Chia sẻ với người tham dự",
    "Make private": "Chuyển thành riêng tư",
    "Delete this note?": "Xóa ghi chú này?",
    "A region of the page is marked.": "Đã đánh dấu một vùng trên trang.",
    "Mark a region": "Đánh dấu vùng",
    "Draw on the page…": "Kéo trên trang để đánh dấu…",
    "Remove the region": "Bỏ vùng đánh dấu",
    "written on version %(version)s": "ghi trên phiên bản %(version)s",
    "Note on a marked region": "Ghi chú cho vùng đánh dấu",
    "%(count)s notes": "%(count)s ghi chú",
    "Back to the meeting": "Quay lại cuộc họp",
    "Version %(number)s": "Phiên bản %(number)s",
    "updated": "cập nhật",
    "Papers of this item": "Tài liệu của nội dung này",
    "Previous paper": "Tài liệu trước",
    "Paper %(place)s of %(count)s": "Tài liệu %(place)s/%(count)s",
    "Next paper": "Tài liệu tiếp theo",
    "Who has read it": "Ai đã đọc",
    "Updated since you last read it: you read version %(old)s, this is version %(new)s.": (
        "Đã cập nhật từ lần đọc trước: đồng chí đã đọc phiên bản %(old)s, đây là phiên bản %(new)s."
    ),
    "Open the new version": "Mở phiên bản mới",
    "Previous page": "Trang trước",
    "Page": "Trang",
    "Go": "Đến",
    "Next page": "Trang sau",
    "Smaller": "Thu nhỏ",
    "Fit to width": "Vừa khung",
    "Larger": "Phóng to",
    "Pages": "Các trang",
    "Notes": "Ghi chú",
    "Download": "Tải về",
    "Page %(n)s": "Trang %(n)s",
    "The paper": "Tài liệu",
    "Page of the paper": "Trang tài liệu",
    "Open the paper in the browser's viewer": "Mở tài liệu bằng trình xem của trình duyệt",
    "Your note": "Ghi chú của đồng chí",
    "Save the note": "Lưu ghi chú",
    "Only you see your notes unless you share them.": "Chỉ đồng chí xem được ghi chú của mình, trừ khi chia sẻ.",
    # the reading report (reading_*.html)
    "Who has read the papers": "Tình hình đọc tài liệu",
    "No papers are attached to this meeting yet.": "Cuộc họp chưa có tài liệu.",
    "Not yet opened": "Chưa mở",
    "Nobody receives these papers.": "Không có ai nhận các tài liệu này.",
    "Nobody receives this paper.": "Không có ai nhận tài liệu này.",
    "Every participant, every paper": "Từng người tham dự, từng tài liệu",
    "opened": "đã mở",
    "opened an earlier version only": "mới mở phiên bản cũ",
    "not opened": "chưa mở",
    "not given to them": "không được nhận",
    "Participant": "Người tham dự",
    "P%(n)s": "TL%(n)s",
    "opened by %(opened)s of %(recipients)s": "%(opened)s/%(recipients)s người đã mở",
    "Read the paper": "Đọc tài liệu",
    "Opened by %(opened)s of the %(recipients)s people who receive it.": (
        "%(opened)s trong số %(recipients)s người nhận đã mở tài liệu."
    ),
    "Reader": "Người đọc",
    "Status": "Trạng thái",
    "First opened": "Mở lần đầu",
    "Last opened": "Mở lần gần nhất",
    "Opens": "Số lần mở",
    "Versions": "Các phiên bản",
    "Secretariat": "Văn phòng",
    # the meeting page (meeting_detail.html)
    "no longer available": "không còn xem được",
    "Updated": "Đã cập nhật",
}

VI_PLURAL = {
    "%(counter)s paper not yet opened by the person who receives it.": [
        "%(counter)s lượt tài liệu người nhận chưa mở."
    ],
    "%(counter)s download": ["%(counter)s lượt tải về"],
}
