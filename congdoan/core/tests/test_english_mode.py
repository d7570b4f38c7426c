"""English mode: plurals, numbers the English way, level names and urgency reasons translated."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from congdoan.core.charts import _number
from congdoan.core.vndate import vn_number
from congdoan.feedback.models import AnswerTemplate, Channel, Concern
from congdoan.feedback.triage import URGENT_RULES, urgency_for
from congdoan.orgs.tests.factories import CastFactory

pytestmark = pytest.mark.django_db


def _in_english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_numbers_are_written_the_way_the_language_writes_them() -> None:
    with translation.override("vi"):
        assert vn_number(9067) == "9.067"
        assert vn_number(1234567.5) == "1.234.567,5"
        assert vn_number(12.0) == "12"
    with translation.override("en"):
        assert vn_number(9067) == "9,067"
        assert vn_number(1234567.5) == "1,234,567.5"
        assert Template("{% load vn %}{{ n|vn_number }}").render(Context({"n": 9067})) == "9,067"


def test_counts_take_the_plural_in_english_and_keep_vietnamese_numbers(
    cast: CastFactory, client_of: Any
) -> None:
    for text in ("Công ty chậm trả lương tháng 10", "Xưởng nóng quá, điều hòa hỏng cả tuần"):
        Concern.objects.create(
            unit=cast.unit_a, assigned_unit=cast.unit_a, channel=Channel.WEB, text=text
        )
    client = client_of(cast.district_officer)
    assert "2 ý kiến" in client.get(reverse("feedback:inbox")).content.decode()
    html = _in_english(client).get(reverse("feedback:inbox")).content.decode()
    assert "2 concerns" in html and "2 concern<" not in html


def test_level_names_are_translated_for_known_levels_only(cast: CastFactory) -> None:
    level = cast.unit_a.level
    level.code, level.name = "co-so", "Công đoàn cơ sở"
    with translation.override("en"):
        assert str(level) == "Grassroots union"
    with translation.override("vi"):
        assert str(level) == "Công đoàn cơ sở"
    level.code, level.name = "cum-thi-diem", "Cụm thi điểm"
    with translation.override("en"):
        assert str(level) == "Cụm thi điểm"  # a level nobody translated keeps its own name


def test_level_name_on_a_unit_page_is_english_in_english_mode(
    cast: CastFactory, client_of: Any
) -> None:
    level = cast.unit_a.level
    level.code, level.name = "co-so", "Công đoàn cơ sở"
    level.save()
    client = _in_english(client_of(cast.officer_a))
    html = client.get(reverse("orgs:detail", args=[cast.unit_a.code])).content.decode()
    assert "Grassroots union" in html


def test_stored_vietnamese_phrases_are_shown_in_the_readers_language() -> None:
    template = Template('{% load vn %}{{ reasons|translated|join:", " }}')
    with translation.override("en"):
        assert template.render(Context({"reasons": ["Nữ", "chưa dịch"]})) == "Female, chưa dịch"
    with translation.override("vi"):
        assert template.render(Context({"reasons": ["Nữ"]})) == "Nữ"


def test_urgency_reasons_are_stored_as_vietnamese_msgids_whatever_the_language() -> None:
    with translation.override("en"):
        urgency, reasons = urgency_for("Công ty nợ lương 2 tháng rồi", "wages")
    assert urgency == "urgent" and reasons == [URGENT_RULES[0][0]] == ["Nợ, chậm trả lương"]


def test_every_counted_noun_in_a_template_goes_through_a_plural_form() -> None:
    """'{{ n }} ý kiến' inside a blocktranslate without `count` reads "42 concern" in English."""
    import re
    from pathlib import Path

    nouns = "ý kiến|đoàn viên|tài liệu|công đoàn cơ sở|đánh giá|dòng|thao tác"
    block = re.compile(
        r"{%\s*blocktranslate(?P<head>[^%]*)%}(?P<body>.*?){%\s*endblocktranslate\s*%}", re.S
    )
    counted = re.compile(r"{{\s*\w+\s*}}\s*(?:" + nouns + r")\b")
    offenders = []
    for path in Path(settings.BASE_DIR).rglob("templates/**/*.html"):
        for m in block.finditer(path.read_text(encoding="utf-8")):
            if " count " not in f" {m['head']} " and counted.search(m["body"]):
                offenders.append(f"{path.name}: {m['body'][:60]}")
    assert offenders == [], "\n".join(offenders)


def test_chart_axis_numbers_follow_the_language() -> None:
    with translation.override("vi"):
        assert _number(12000) == "12.000"
    with translation.override("en"):
        assert _number(12000) == "12,000"


def test_ids_in_links_keep_their_digits_in_english(cast: CastFactory, client_of: Any) -> None:
    """A thousands separator belongs to numbers people read (|vn_number), never to ids in links."""
    AnswerTemplate.objects.create(
        pk=1234, title="Chậm trả lương", text="Công đoàn đã làm việc với công ty."
    )
    concern = Concern.objects.create(
        unit=cast.unit_a,
        assigned_unit=cast.unit_a,
        channel=Channel.WEB,
        text="Công ty chậm trả lương tháng 10",
    )
    client = _in_english(client_of(cast.officer_a))
    html = client.get(reverse("feedback:detail", args=[concern.code])).content.decode()
    assert "template=1234" in html and "template=1,234" not in html


def test_every_counted_noun_in_python_goes_through_ngettext() -> None:
    """gettext("Đã nhập %(n)s đoàn viên") reads "Imported 1 members" / "2 member" in English."""
    import re
    from pathlib import Path

    nouns = "ý kiến|đoàn viên|dòng|tài liệu|công đoàn cơ sở"
    single = re.compile(r"(?<![n\w])_\(\s*\"[^\"]*%\(\w+\)s (?:" + nouns + r")\b[^\"]*\"", re.S)
    offenders = []
    for path in (Path(settings.BASE_DIR) / "congdoan").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for m in single.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.name}: {m.group(0)[:70]}")
    assert offenders == [], "\n".join(offenders)
