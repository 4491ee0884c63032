"""Names in Vietnamese order, the same on SQLite, on PostgreSQL and in memory:
"Đinh" before "Tạ", "Ánh" before "Yến", tones deciding only between names
that are otherwise the same."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from ecabinet.collation import by_name, sort_key
from ecabinet.models import User
from tests.conftest import World

# As PostgreSQL's ICU collation "vi-VN-x-icu" orders them (CLDR's Vietnamese).
IN_ORDER = [
    "An",
    "Ánh Dương",
    "Ăng Kor",
    "Ân Đức",
    "Ấn Quang",
    "Âu Cơ",
    "Bui Xuan",
    "Bùi Xuân",
    "Chu Văn",
    "Dương Văn Bình",
    "Đặng Quang Vinh",
    "Đinh Thị Lan",
    "Đỗ Minh Châu",
    "Hạ Long",
    "Ha Noi",
    "Hà Nội",
    "Lê Thị Hoa",
    "Lê Thị Hòa",
    "Lê Thị Hỏa",
    "Lê Thị Hõa",
    "Lê Thị Hóa",
    "Lê Thị Họa",
    "Ngô",
    "Nguyễn Văn An",
    "Nguyễn Văn Anh",
    "Nguyễn Văn Ăn",
    "Nguyễn Văn Ân",
    "Ôn Thị Hà",
    "Ơn Văn Tâm",
    "Tạ Văn Hùng",
    "Trần",
    "Uông Bí",
    "Ưng Hoàng",
    "Vũ Đức",
    "Yến Nhi",
]


def shuffled() -> list[str]:
    names = list(IN_ORDER)
    random.Random(7).shuffle(names)
    return names


def test_the_key_puts_names_in_vietnamese_order() -> None:
    assert sorted(shuffled(), key=sort_key) == IN_ORDER
    assert sorted(IN_ORDER) != IN_ORDER  # code points would not


@pytest.mark.django_db
def test_the_database_orders_names_the_same_way(hanoi: World) -> None:
    for n, name in enumerate(shuffled()):
        User.objects.create(tenant=hanoi.tenant, username=f"collate-{n}", full_name=name)
    people = User.objects.filter(username__startswith="collate-")
    assert list(people.order_by(by_name("full_name")).values_list("full_name", flat=True)) == IN_ORDER
    assert list(people.values_list("full_name", flat=True)) == IN_ORDER  # the model's own order


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="ICU's own order: the PostgreSQL pass")
def test_the_order_is_icus_vietnamese_order() -> None:
    with connection.cursor() as cursor:
        cursor.execute('SELECT n FROM unnest(%s::text[]) n ORDER BY n COLLATE "vi-VN-x-icu"', [shuffled()])
        assert [row[0] for row in cursor.fetchall()] == IN_ORDER
