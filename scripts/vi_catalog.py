"""The Vietnamese catalogue, kept as data: ``python scripts/vi_catalog.py``
fills locale/vi/LC_MESSAGES/django.po from it (after ``make messages``) and
compiles the .mo, so a fresh clone needs no gettext tools."""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent

VI: dict[str, str] = {
    # tenants and accounts
    "A tenant needs a name.": "Đơn vị cần có tên.",
    "Unknown level “%(level)s”.": "Không có cấp “%(level)s”.",
    "A district or commune needs its parent tenant.": "Cấp huyện hoặc cấp xã phải thuộc một đơn vị cấp trên.",
    "The address “%(slug)s” is already taken.": "Địa chỉ “%(slug)s” đã được dùng.",
    "A username is required.": "Cần có tên đăng nhập.",
    "The username “%(username)s” is already taken.": "Tên đăng nhập “%(username)s” đã có người dùng.",
    "An account belongs to one tenant, unless it is a national administrator.": "Mỗi tài khoản thuộc một đơn vị, trừ quản trị viên quốc gia.",
    "Use 3–50 lower-case letters, digits and hyphens, starting with a letter.": "Dùng 3–50 chữ thường không dấu, chữ số và dấu gạch ngang, bắt đầu bằng một chữ cái.",
    "Person": "Cá nhân",
    "Tenant and role": "Đơn vị và vai trò",
    "National administration": "Quản trị quốc gia",
    "Dates": "Thời gian",
    "eCabinet administration": "Quản trị eCabinet",
    "eCabinet": "eCabinet — Phòng họp không giấy",
    "Government": "Chính phủ",
    "Province": "Tỉnh, thành phố",
    "District": "Huyện",
    "Commune": "Xã, phường",
    "name": "tên",
    "slug": "địa chỉ",
    "level": "cấp",
    "parent": "đơn vị cấp trên",
    "active": "đang hoạt động",
    "merged into": "đã hợp nhất vào",
    "created at": "thời điểm tạo",
    "tenant": "đơn vị",
    "tenants": "các đơn vị",
    "full name": "họ và tên",
    "title": "chức danh",
    "e.g. Minister of Finance": "ví dụ: Bộ trưởng Bộ Tài chính",
    "unit": "cơ quan",
    "secretariat": "văn phòng",
    "user": "người dùng",
    "users": "người dùng",
    "No tenant has the address “%(slug)s”.": "Không có đơn vị nào ở địa chỉ “%(slug)s”.",
    "Created %(name)s at %(host)s": "Đã tạo %(name)s tại %(host)s",
    "Secretary: %(username)s": "Thư ký: %(username)s",
    "Password (shown once, change it at first login): %(password)s": "Mật khẩu (chỉ hiện một lần, hãy đổi khi đăng nhập lần đầu): %(password)s",
    # audit log
    "Login": "Đăng nhập",
    "Failed login": "Đăng nhập không thành công",
    "Logout": "Đăng xuất",
    "API token issued": "Cấp mã truy cập API",
    "Permission refused": "Từ chối quyền",
    "Tenant created": "Tạo đơn vị",
    "kind": "loại",
    "time": "thời điểm",
    "IP address": "địa chỉ IP",
    "user agent": "trình duyệt",
    "detail": "chi tiết",
    "audit event": "sự kiện nhật ký",
    "audit log": "nhật ký truy cập",
    "event stream": "luồng sự kiện",
    "event": "sự kiện",
    # errors
    "The request body is not valid JSON.": "Nội dung yêu cầu không phải JSON hợp lệ.",
    "The request is not valid.": "Yêu cầu không hợp lệ.",
    "Wrong username or password.": "Tên đăng nhập hoặc mật khẩu không đúng.",
    "There is no such API route.": "Không có địa chỉ API này.",
    "Invalid token.": "Mã truy cập không hợp lệ.",
    "Not found, or you do not have access to it.": "Không tìm thấy, hoặc bạn không có quyền truy cập.",
    "Your role in this meeting does not allow this.": "Vai trò của bạn trong cuộc họp này không cho phép thao tác này.",
    "This cannot be done in the current state.": "Không thể thực hiện ở trạng thái hiện tại.",
    "There is no eCabinet tenant at this address.": "Không có đơn vị nào trên eCabinet ở địa chỉ này.",
    "You do not have permission to do this.": "Bạn không có quyền thực hiện thao tác này.",
    "The request could not be understood.": "Không hiểu được yêu cầu.",
    "The form expired or came from another site. Reload the page.": "Biểu mẫu đã hết hạn hoặc được gửi từ trang khác. Hãy tải lại trang.",
    "Something went wrong on the server. Please try again.": "Máy chủ gặp sự cố. Vui lòng thử lại.",
    # socket frames
    "The frame is not valid.": "Gói tin không hợp lệ.",
    "Send frames as JSON text, not binary.": "Hãy gửi gói tin dạng văn bản JSON, không gửi dữ liệu nhị phân.",
    "The frame is too large.": "Gói tin quá lớn.",
    "The frame is not valid JSON.": "Gói tin không phải JSON hợp lệ.",
    "A frame must be a JSON object.": "Gói tin phải là một đối tượng JSON.",
    "“ref” must be a string.": "“ref” phải là một chuỗi.",
    "A frame needs an “action” name.": "Gói tin cần có tên thao tác “action”.",
    "“data” must be a JSON object.": "“data” phải là một đối tượng JSON.",
    "There is no such action.": "Không có thao tác này.",
    # roles
    "Chair": "Chủ trì",
    "Vice-chair": "Phó chủ trì",
    "Secretary": "Thư ký",
    "Member": "Thành viên",
    "Guest": "Khách mời",
    "Observer": "Quan sát viên",
    "Vietnamese": "Tiếng Việt",
    "English": "Tiếng Anh",
    # pages
    "Log in": "Đăng nhập",
    "Username": "Tên đăng nhập",
    "Password": "Mật khẩu",
    "Accounts are created by the secretariat. If you cannot log in, contact the secretariat of your body.": "Tài khoản do Văn phòng cấp. Nếu không đăng nhập được, xin liên hệ Văn phòng của cơ quan.",
    "Log out": "Đăng xuất",
    "Welcome, %(name)s.": "Xin chào %(name)s.",
    "You have logged out.": "Bạn đã đăng xuất.",
    "Do you want to log out of eCabinet on this device?": "Bạn muốn đăng xuất khỏi eCabinet trên thiết bị này?",
    "Stay logged in": "Ở lại",
    "Request not understood": "Không hiểu yêu cầu",
    "The page could not understand the request. Go back and try again.": "Trang không hiểu được yêu cầu. Hãy quay lại và thử lại.",
    "Go to the start page": "Về trang đầu",
    "Not allowed": "Không được phép",
    "Your account does not allow this. If you think it should, ask the secretariat.": "Tài khoản của bạn không được phép làm việc này. Nếu cần, xin liên hệ Văn phòng.",
    "Page not found": "Không tìm thấy trang",
    "The page you asked for does not exist, or you do not have access to it. Check the address, or go back to the start page.": "Trang bạn yêu cầu không tồn tại hoặc bạn không có quyền truy cập. Hãy kiểm tra địa chỉ hoặc về trang đầu.",
    "Something went wrong": "Đã có sự cố",
    "The server could not finish this. Nothing you entered is lost from what was already saved; please try again in a moment.": "Máy chủ chưa hoàn tất được việc này. Những gì đã lưu trước đó không bị mất; vui lòng thử lại sau ít phút.",
    "Skip to content": "Bỏ qua, tới nội dung",
    "Account": "Tài khoản",
    "The form has expired": "Biểu mẫu đã hết hạn",
    "The page was open too long, or the form came from another site. Reload the page and try again.": "Trang đã mở quá lâu, hoặc biểu mẫu được gửi từ trang khác. Hãy tải lại trang và thử lại.",
    "No eCabinet at this address": "Không có eCabinet ở địa chỉ này",
    "This People's Committee has merged into %(name)s. Its meetings continue there.": "Ủy ban nhân dân này đã hợp nhất vào %(name)s. Các cuộc họp được tiếp tục tại đó.",
    "Go to %(name)s": "Đến %(name)s",
    "“%(host)s” is not the address of any Government body or People's Committee on eCabinet. Check the address you were given, for example hanoi.%(base_domain)s.": "“%(host)s” không phải địa chỉ của cơ quan Chính phủ hay Ủy ban nhân dân nào trên eCabinet. Hãy kiểm tra lại địa chỉ được cung cấp, ví dụ hanoi.%(base_domain)s.",
    # meetings
    "A meeting needs a title.": "Cuộc họp cần có tên.",
    "The start time must carry a time zone.": "Thời gian bắt đầu phải kèm múi giờ.",
    "Only people of this tenant's directory can take part.": "Chỉ người trong danh bạ của đơn vị mới được tham dự.",
    "Unknown role.": "Vai trò không hợp lệ.",
    "This person already takes part in the meeting.": "Người này đã có trong danh sách tham dự.",
    "Meetings": "Cuộc họp",
    "Draft": "Đang chuẩn bị",
    "Published": "Đã công bố",
    "In session": "Đang họp",
    "Adjourned": "Tạm dừng",
    "Closed": "Đã kết thúc",
    "scheduled start": "thời gian bắt đầu",
    "status": "trạng thái",
    "created by": "người tạo",
    "meeting": "cuộc họp",
    "meetings": "cuộc họp",
    "role": "vai trò",
    "participant": "thành phần tham dự",
    "participants": "thành phần tham dự",
    "My meetings": "Cuộc họp của tôi",
    "You are a national administrator. Tenants and accounts are managed in the administration.": "Bạn là quản trị viên quốc gia. Đơn vị và tài khoản được quản lý trong trang quản trị.",
    "Administration": "Quản trị",
    "You have no meetings yet. Meetings appear here once the secretariat invites you.": "Bạn chưa có cuộc họp nào. Cuộc họp sẽ hiện ở đây khi Văn phòng mời bạn tham dự.",
    "Offline — reconnecting…": "Mất kết nối — đang kết nối lại…",
    "This meeting is no longer available to you.": "Cuộc họp này không còn mở cho bạn.",
    "Reconnected — catching up…": "Đã kết nối lại — đang cập nhật…",
    "Connecting…": "Đang kết nối…",
    "Participants": "Thành phần tham dự",
    # dependencies
    "The username and/or password you specified are not correct.": "Tên đăng nhập hoặc mật khẩu không đúng.",
    "Too many failed login attempts. Try again later.": "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau.",
    "This field is required.": "Trường này là bắt buộc.",
    "Authentication credentials were not provided.": "Bạn chưa đăng nhập.",
    "Incorrect authentication credentials.": "Thông tin xác thực không đúng.",
    "Invalid token header. No credentials provided.": "Tiêu đề mã truy cập không hợp lệ: thiếu thông tin xác thực.",
    "User inactive or deleted.": "Tài khoản đã bị khóa hoặc xóa.",
    "You do not have permission to perform this action.": "Bạn không có quyền thực hiện thao tác này.",
    "Not found.": "Không tìm thấy.",
    'Method "{method}" not allowed.': "Phương thức “{method}” không được chấp nhận.",
    'Unsupported media type "{media_type}" in request.': "Không hỗ trợ kiểu dữ liệu “{media_type}”; hãy gửi JSON.",
    "Request was throttled.": "Quá nhiều yêu cầu. Vui lòng thử lại sau.",
    "This field may not be null.": "Trường này không được để trống.",
    "This field may not be blank.": "Trường này không được để trống.",
    "Not a valid string.": "Không phải chuỗi ký tự hợp lệ.",
    "Null characters are not allowed.": "Không được chứa ký tự rỗng (NUL).",
    "Ensure this field has no more than {max_length} characters.": "Trường này không được dài quá {max_length} ký tự.",
    "A valid integer is required.": "Cần một số nguyên hợp lệ.",
    "Ensure this value is less than or equal to {max_value}.": "Giá trị phải nhỏ hơn hoặc bằng {max_value}.",
    "Ensure this value is greater than or equal to {min_value}.": "Giá trị phải lớn hơn hoặc bằng {min_value}.",
    "Invalid data. Expected a dictionary, but got {datatype}.": "Dữ liệu không hợp lệ: cần một đối tượng JSON, nhận được {datatype}.",
    "No data provided": "Không có dữ liệu",
}

VI_PLURAL: dict[str, list[str]] = {
    "%(counter)s participant": ["%(counter)s người tham dự"],
}


def _area_catalogues() -> dict[str, str]:
    """Translations kept beside this file per area: scripts/vi_<area>.py, each with a VI dict."""
    import importlib.util

    merged: dict[str, str] = {}
    for path in sorted(Path(__file__).resolve().parent.glob("vi_*.py")):
        if path.name == "vi_catalog.py":
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or spec.loader is None:
            raise ImportError(path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        merged.update(module.VI)
        VI_PLURAL.update(getattr(module, "VI_PLURAL", {}))
    return merged


def fill(path: Path) -> list[str]:
    VI.update(_area_catalogues())
    po = polib.pofile(str(path))
    po.metadata["Language"] = "vi"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        if entry.msgid_plural:
            forms = VI_PLURAL.get(entry.msgid)
            if forms is None:
                missing.append(entry.msgid)
                continue
            entry.msgstr_plural = dict(enumerate(forms))
        elif entry.msgid in VI:
            entry.msgstr = VI[entry.msgid]
        else:
            # Never ship makemessages' fuzzy guess as a translation.
            entry.msgstr = ""
            missing.append(entry.msgid)
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))
    return missing


def compile_english(path: Path) -> None:
    po = polib.pofile(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))


def main() -> int:
    missing = fill(ROOT / "locale/vi/LC_MESSAGES/django.po")
    compile_english(ROOT / "locale/en/LC_MESSAGES/django.po")
    for msgid in missing:
        print(f"no Vietnamese for: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
