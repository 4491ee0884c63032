"""Vietnamese for the meetings API (meetings/api.py), and for the messages of
Django REST framework that its fields give (their msgids are listed, for
extraction, in ecabinet/third_party_strings.py)."""

VI = {
    "Unknown field.": "Trường không hợp lệ.",
    "Give the time with its time zone, e.g. 2026-12-01T08:00:00+07:00.": "Hãy ghi thời gian kèm múi giờ, ví dụ 2026-12-01T08:00:00+07:00.",
    # Django REST framework
    "Datetime has wrong format. Use one of these formats instead: {format}.": "Thời gian sai định dạng. Hãy dùng định dạng: {format}.",
    "Expected a datetime but got a date.": "Cần cả ngày và giờ, không chỉ ngày.",
    "Datetime value out of range.": "Thời gian nằm ngoài phạm vi cho phép.",
    '"{input}" is not a valid choice.': "“{input}” không phải là lựa chọn hợp lệ.",
    'Expected a list of items but got type "{input_type}".': "Cần một danh sách, nhận được kiểu “{input_type}”.",
    "This list may not be empty.": "Danh sách không được để trống.",
    "Ensure this field has no more than {max_length} elements.": "Danh sách không được quá {max_length} phần tử.",
}
