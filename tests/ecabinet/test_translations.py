"""Vietnamese first: every string has its Vietnamese, and the catalogue that
runs is the one in the repository.

locale/vi/LC_MESSAGES/django.po is the catalogue. ``make messages`` adds the
code's new strings to it and compiles the .mo files; a translator fills the new
entries in with Poedit, Weblate or a text editor."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
VI_PO = ROOT / "locale/vi/LC_MESSAGES/django.po"
EN_PO = ROOT / "locale/en/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")
MSGFMT = shutil.which("msgfmt")
# What the Makefile's `messages` target tells makemessages to --ignore, and the
# screenshots the browser tests leave behind.
NOT_SCANNED = {".venv", "var", "tests", "bench", "test-artifacts"}
HOW_TO_TRANSLATE = (
    "run `make messages`, then translate the new entries in "
    "locale/vi/LC_MESSAGES/django.po (Poedit, Weblate or a text editor)"
)


def entries(po_path=VI_PO):
    return [e for e in polib.pofile(str(po_path)) if not e.obsolete]


def test_every_vietnamese_entry_is_translated_and_not_fuzzy():
    untranslated = [e.msgid for e in entries() if not e.translated() or "fuzzy" in e.flags]
    assert untranslated == [], f"untranslated or fuzzy Vietnamese {untranslated}: {HOW_TO_TRANSLATE}"


def test_placeholders_survive_translation():
    for entry in entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(entry.msgid)) | set(
                PLACEHOLDER.findall(entry.msgid_plural or "")
            ), entry.msgid


@pytest.mark.parametrize("po_path", [VI_PO, EN_PO], ids=["vi", "en"])
def test_compiled_catalogue_matches_the_po_file(po_path):
    with open(po_path.with_suffix(".mo"), "rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    for entry in entries(po_path):
        # msgfmt leaves out untranslated and fuzzy entries; the test above names them.
        if not entry.translated() or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                assert catalog.get((entry.msgid, int(index))) == text, (
                    f"stale .mo for {entry.msgid!r}: run `make messages`"
                )
        else:
            assert catalog.get(entry.msgid) == entry.msgstr, (
                f"stale .mo for {entry.msgid!r}: run `make messages`"
            )


@pytest.mark.skipif(MSGFMT is None, reason="needs gettext's msgfmt (CI installs gettext)")
@pytest.mark.parametrize("po_path", [VI_PO, EN_PO], ids=["vi", "en"])
def test_msgfmt_accepts_the_po_file(po_path):
    result = subprocess.run(
        [str(MSGFMT), "--check", "--check-format", "-o", "/dev/null", str(po_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"msgfmt rejects {po_path}:\n{result.stdout}{result.stderr}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext's xgettext (CI installs gettext)")
def test_catalogue_has_every_string_of_the_code(tmp_path):
    """makemessages on a copy of the code finds no string the catalogue lacks."""
    for source in ROOT.iterdir():
        if source.name.startswith(".") or source.name in NOT_SCANNED:
            continue
        if source.is_dir():
            shutil.copytree(source, tmp_path / source.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / source.name)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"makemessages failed on a copy of the code:\n{result.stderr}"
    fresh = {
        e.msgid for e in polib.pofile(str(tmp_path / "locale/vi/LC_MESSAGES/django.po")) if not e.obsolete
    }
    known = {e.msgid for e in entries()}
    missing = sorted(fresh - known)
    assert missing == [], f"new strings the catalogue lacks {missing}: {HOW_TO_TRANSLATE}"
