"""English mode: the English catalogue is complete, and strings built outside templates follow the language."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from congdoan import testing
from congdoan.core import importer
from congdoan.feedback.exports import concerns_xlsx
from congdoan.feedback.models import Channel, Concern
from congdoan.orgs import imports
from congdoan.orgs.tests.factories import CastFactory

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
VIETNAMESE = re.compile(
    r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I
)


def test_the_english_catalogue_has_no_fuzzy_or_untranslated_message() -> None:
    if shutil.which("msgfmt") is None:
        testing.missing("gettext", "msgfmt is not installed (make system-deps installs gettext)")
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr


@pytest.mark.django_db
def test_the_concern_export_has_english_headers_in_english(cast: CastFactory) -> None:
    Concern.objects.create(
        unit=cast.unit_a,
        assigned_unit=cast.unit_a,
        channel=Channel.WEB,
        text="Công ty chậm trả lương",
    )
    with translation.override("en"):
        data = concerns_xlsx(Concern.objects.select_related("unit", "assigned_unit"))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert sheet.title == "Concerns"
    assert headers[:3] == ["Code", "Sent on", "Grassroots union"]
    assert not [h for h in headers if VIETNAMESE.search(str(h))]
    row = [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert row[headers.index("Anonymous")] in ("yes", "no")  # not "có"/"không"


@pytest.mark.django_db
def test_the_api_says_not_found_in_the_readers_language(client: Client) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/api/v1/feedback/YK-KHONGCO")
    assert response.status_code == 404
    assert response.json()["detail"] == "No concern found with this code."


@pytest.mark.django_db
def test_the_unknown_union_hint_without_a_home_unit_is_english(
    client: Client, settings: Any
) -> None:
    settings.CONGDOAN_HOME_UNIT = ""
    with translation.override("en"):
        from django.template.loader import render_to_string

        html = render_to_string("feedback/_unknown_unit.html", {"home_unit": None})
    assert html.startswith('Choose "Not sure"'), html


def test_the_member_columns_the_english_import_page_lists_are_recognised() -> None:
    with translation.override("en"):
        labels = imports.column_labels(imports.FIELDS)
    assert "Full name" in labels
    found, unknown = importer.match_headers(labels, kind=imports.MEMBERS)
    assert not unknown and set(found) == set(imports.FIELDS)
