"""Vietnamese first: every string has its Vietnamese, and the catalogue that
runs is the one in the repository."""

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
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


def entries():
    return [e for e in polib.pofile(str(VI_PO)) if not e.obsolete]


def test_every_vietnamese_entry_is_translated_and_not_fuzzy():
    untranslated = [e.msgid for e in entries() if not e.translated() or "fuzzy" in e.flags]
    assert untranslated == []


def test_placeholders_survive_translation():
    for entry in entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(entry.msgid)) | set(
                PLACEHOLDER.findall(entry.msgid_plural or "")
            ), entry.msgid


def test_compiled_catalogue_matches_the_po_file():
    with open(VI_PO.with_suffix(".mo"), "rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    for entry in entries():
        if not entry.msgid_plural:
            assert catalog.get(entry.msgid) == entry.msgstr, (
                f"stale .mo for {entry.msgid!r}: run make messages"
            )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext's xgettext (CI installs gettext)")
def test_catalogue_has_every_string_of_the_code(tmp_path):
    """makemessages on a copy of the code finds no string the catalogue lacks."""
    for name in ["manage.py", "ecabinet", "meetings", "documents", "voting", "reports", "locale"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    fresh = {
        e.msgid for e in polib.pofile(str(tmp_path / "locale/vi/LC_MESSAGES/django.po")) if not e.obsolete
    }
    known = {e.msgid for e in entries()}
    assert fresh - known == set(), (
        "new strings: run `make messages` and translate them in scripts/vi_catalog.py"
    )
