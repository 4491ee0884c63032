"""Vietnamese for the papers of an opinion slip (a PDF draft or report sent with the slip)."""

VI = {
    "paper of an opinion slip": "tài liệu kèm phiếu lấy ý kiến",
    "papers of opinion slips": "tài liệu kèm phiếu lấy ý kiến",
    "Only the secretariat gives a slip its papers.": "Chỉ Văn phòng được gửi tài liệu kèm phiếu lấy ý kiến.",
    "Papers are given to a slip only while it is open.": "Chỉ gửi được tài liệu khi phiếu lấy ý kiến đang mở.",
    "The paper is given to the slip. The members asked read it from the slip's page.": "Đã gửi tài liệu kèm phiếu. Các thành viên được hỏi ý kiến đọc tài liệu trên trang của phiếu.",
    "Opinion slip no. %(number)s: %(question)s": "Phiếu lấy ý kiến số %(number)s: %(question)s",
    "Papers of the slip": "Tài liệu kèm phiếu",
    "%(pages)s pages": "%(pages)s trang",
    "Each copy carries your name and a trace code on every page.": "Mỗi bản tài liệu mang tên của đồng chí và một mã truy vết trên từng trang.",
    "Give the slip this paper": "Gửi tài liệu kèm phiếu",
    "Belongs to": "Thuộc về",
    "This paper belongs to no meeting; change it where it belongs.": "Tài liệu này không thuộc cuộc họp nào; hãy sửa ở nơi tài liệu thuộc về.",
}
