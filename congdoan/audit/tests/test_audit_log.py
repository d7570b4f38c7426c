"""The audit log: every officer reads it for the units they answer for, as sentences."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from congdoan.audit.log import forms
from congdoan.audit.models import AuditEntry
from congdoan.audit.registry import ACTIONS
from congdoan.feedback.models import Channel
from congdoan.feedback.services import concern_answer, concern_submit
from congdoan.library.services import document_upload
from congdoan.orgs import services as orgs_services
from congdoan.orgs.tests.factories import CastFactory, officer, unit

pytestmark = pytest.mark.django_db

URL = reverse("audit:list")


def _writes(cast: CastFactory) -> dict[str, Any]:
    """Real writes in unit A, unit B and the other district, through the services."""
    orgs_services.member_update(actor=cast.officer_a, member=cast.member_a, phone="+84912000111")
    orgs_services.member_update(
        actor=cast.officer_b, member=cast.member_b, full_name="Trần Văn Bính"
    )
    orgs_services.unit_rename(
        actor=cast.admin, unit=cast.other_district, name="LĐLĐ huyện Thường Tín mới"
    )
    concern = concern_submit(
        text="Công ty chậm trả lương tháng 10", unit=cast.unit_a, channel=Channel.WEB
    )
    concern_answer(actor=cast.officer_a, concern=concern, text="Công đoàn đã làm việc với công ty.")
    doc = document_upload(
        actor=cast.officer_a,
        unit=cast.unit_a,
        name="thong-bao.txt",
        data="Thông báo lịch đối thoại".encode(),
        visibility="unit",
    )
    return {"concern": concern, "document": doc}


def test_district_office_reads_its_subtree_and_not_another_district(
    cast: CastFactory, client_of: Any
) -> None:
    made = _writes(cast)
    response = client_of(cast.district_officer).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Chủ tịch CĐ A trả lời ý kiến {made['concern'].code}" in html
    assert "Trần Văn Bính" in html  # unit B is in PX too
    assert "Thường Tín" not in html


def test_grassroots_officer_reads_only_their_unit(cast: CastFactory, client_of: Any) -> None:
    made = _writes(cast)
    html = client_of(cast.officer_a).get(URL).content.decode()
    assert f"Chủ tịch CĐ A trả lời ý kiến {made['concern'].code}" in html
    assert "Bính" not in html and "Chủ tịch CĐ B" not in html
    assert "Thường Tín" not in html


def test_officer_of_another_district_reads_none_of_phu_xuyen(
    cast: CastFactory, client_of: Any
) -> None:
    _writes(cast)
    other = officer(cast.other_district, is_office=True, name="Cán bộ Thường Tín")
    html = client_of(other).get(URL).content.decode()
    assert "Thường Tín mới" in html
    assert "Chủ tịch CĐ A" not in html and "Bính" not in html


def test_admin_reads_every_entry_and_members_are_refused(cast: CastFactory, client_of: Any) -> None:
    _writes(cast)
    html = client_of(cast.admin).get(URL).content.decode()
    assert "Thường Tín mới" in html and "Bính" in html
    assert client_of(cast.member_user).get(URL).status_code == 403


def test_entries_read_as_sentences_without_codes_dicts_or_hashes(
    cast: CastFactory, client_of: Any
) -> None:
    made = _writes(cast)
    html = client_of(cast.district_officer).get(URL).content.decode()
    assert "Chủ tịch CĐ A tải lên tài liệu" in html
    assert made["document"].blob.sha256 not in html
    found = re.search(r'<ol class="audit-log">.*</ol>', html, flags=re.S)
    assert found is not None
    log = found.group(0)
    assert "library.document.upload" not in log and "feedback.answer" not in log
    assert "{" not in log and "sha256" not in log
    # field: old → new, named by the model's verbose_name
    assert "Số điện thoại: — → +84912000111" in html
    assert "Họ và tên: Trần Văn Bình → Trần Văn Bính" in html


def test_filters_by_actor_action_unit_and_date(cast: CastFactory, client_of: Any) -> None:
    made = _writes(cast)
    client = client_of(cast.district_officer)
    by_action = client.get(URL, {"action": "feedback.answer"}).content.decode()
    assert made["concern"].code in by_action and "Bính" not in by_action
    by_actor = client.get(URL, {"actor": "CĐ B"}).content.decode()
    assert "Bính" in by_actor and made["concern"].code not in by_actor
    by_unit = client.get(URL, {"unit": cast.unit_b.code}).content.decode()
    assert "Bính" in by_unit and made["concern"].code not in by_unit
    # a unit outside the viewer's scope is not even a choice
    assert (
        client.get(URL, {"unit": cast.other_district.code}).content.decode().count("Thường Tín mới")
        == 0
    )
    assert "Bính" not in client.get(URL, {"date_to": "2000-01-01"}).content.decode()
    assert "Bính" in client.get(URL, {"date_from": "2000-01-01"}).content.decode()


def test_a_unit_created_below_the_district_is_in_the_office_log(
    cast: CastFactory, client_of: Any
) -> None:
    new = unit(cast.district, code="PX-C", name="Công đoàn Công ty Gốm C")
    orgs_services.unit_rename(actor=cast.admin, unit=new, name="Công đoàn Công ty Gốm sứ C")
    html = client_of(cast.district_officer).get(URL).content.decode()
    assert "đổi tên đơn vị Công đoàn Công ty Gốm sứ C" in html
    assert "Tên đơn vị: Công đoàn Công ty Gốm C → Công đoàn Công ty Gốm sứ C" in html


def test_every_action_recorded_in_the_code_has_a_sentence() -> None:
    root = Path(__file__).resolve().parents[2]
    used: set[str] = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        used |= set(
            re.findall(r"audit_record\([^()]*?action=\"([a-z0-9_.]+)\"", source, flags=re.S)
        )
        used |= set(re.findall(r"_audit\(\s*\w+,\s*\"([a-z0-9_.]+)\"", source))
    assert len(used) >= 25
    # A name built at run time ("account.password_" + how) needs at least one registered ending.
    missing = {
        a
        for a in used
        if not (a in ACTIONS or (a[-1] in "._" and any(k.startswith(a) for k in ACTIONS)))
    }
    assert missing == set()


def test_entries_stay_append_only() -> None:
    entry = AuditEntry.objects.create(action="unit.create")
    with pytest.raises(Exception, match="cannot"):
        entry.save()


def test_a_tree_too_long_for_a_drop_down_filters_by_typed_unit_code(
    cast: CastFactory, client_of: Any, monkeypatch: Any
) -> None:
    _writes(cast)
    monkeypatch.setattr(forms, "MAX_UNIT_CHOICES", 2)
    client = client_of(cast.district_officer)
    page = client.get(URL).content.decode()
    assert 'name="unit"' in page and '<select name="unit"' not in page
    assert "Bính" in client.get(URL, {"unit": cast.unit_b.code}).content.decode()
    assert "Bính" not in client.get(URL, {"unit": cast.unit_a.code}).content.decode()
