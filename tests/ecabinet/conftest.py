"""Fixtures of the PDF and signing tests."""

from __future__ import annotations

from pathlib import Path

import pytest

TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture
def pdf_templates(settings):  # type: ignore[no-untyped-def]
    """Adds tests/ecabinet/templates, which holds pdf_test/sample.html."""
    engines = [dict(engine) for engine in settings.TEMPLATES]
    engines[0]["DIRS"] = [*engines[0]["DIRS"], TEMPLATES]
    settings.TEMPLATES = engines
    return TEMPLATES
