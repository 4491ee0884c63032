"""Names in Vietnamese order, on both engines.

Sorting by code point puts "Đinh" after "Tạ" and "Ánh" after "Yến". The
order people expect is the Vietnamese alphabet — a ă â b c d đ e ê … o ô ơ …
u ư … — with the tone marks deciding only between names that are otherwise
the same (none, huyền, hỏi, ngã, sắc, nặng), and case last: the collation of
CLDR for Vietnamese.

- PostgreSQL: an ICU collation named ``vi`` made by migration
  ``ecabinet.0014`` (locale ``vi-VN``).
- SQLite: a collation of the same name registered on every connection,
  computed by ``sort_key`` below.
- Python: ``sort_key`` for lists sorted in memory.

``by_name("user__full_name")`` is the ``order_by`` term; the tests hold the
two engines and ``sort_key`` to one order.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.functions import Collate

NAME = "vi"

# The letters of the Vietnamese alphabet (and the four it borrows), in order.
# A letter with a breve, circumflex, horn or stroke is a letter of its own.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_PRIMARY = {letter: 100 + index for index, letter in enumerate(_ALPHABET)}
_FORMS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# The tones, in CLDR's order: none, huyền (grave), hỏi (hook), ngã (tilde), sắc (acute), nặng (dot below).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str) -> list[tuple[str, int, int]]:
    """Each letter of ``text`` as (base letter, tone, case): ``Ấ`` → (``â``, 4, 1)."""
    out: list[tuple[str, int, int]] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if not out:
                continue
            base, tone, case = out[-1]
            if char in _TONES:
                out[-1] = (base, _TONES[char], case)
            elif (base, char) in _FORMS:
                out[-1] = (_FORMS[(base, char)], tone, case)
            continue
        lower = char.lower()
        out.append(("đ" if lower == "đ" else lower, 0, 1 if char != lower else 0))
    return out


def _primary(letter: str) -> int:
    weight = _PRIMARY.get(letter)
    if weight is not None:
        return weight
    if letter.isspace():
        return 1
    if letter.isdigit():
        return 10 + int(letter) if letter.isascii() else 60
    if not letter.isalnum():
        return 2 + min(ord(letter), 7)  # punctuation before digits and letters
    return 200 + ord(letter)


def sort_key(text: str | None) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Vietnamese order: the letters first, then the tones, then the case, each over the whole text."""
    letters = _letters(text or "")
    return (
        tuple(_primary(base) for base, _tone, _case in letters),
        tuple(tone for _base, tone, _case in letters),
        tuple(case for _base, _tone, case in letters),
    )


def _compare(a: str | None, b: str | None) -> int:
    ka, kb = sort_key(a), sort_key(b)
    return (ka > kb) - (ka < kb)


def by_name(field: str) -> Any:
    """``order_by(by_name("user__full_name"))``: in Vietnamese order on either engine."""
    return Collate(F(field), NAME).asc()


def _register_on_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAME, _compare)


connection_created.connect(_register_on_sqlite, dispatch_uid="ecabinet-vietnamese-collation")
