"""Pages, API and command line, driven through real requests and the real database."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from congdoan.audit.models import AuditEntry
from congdoan.library import services
from congdoan.library.models import Document, Status, Visibility
from congdoan.library.tests import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cast, run_on_commit) -> Document:
    doc = run_on_commit(
        services.document_upload,
        actor=cast.district_officer,
        unit=cast.district,
        name="ke-hoach-21.pdf",
        data=helpers.text_pdf(helpers.PLAN.as_text()),
    )
    doc.refresh_from_db()
    return doc


def test_officer_uploads_several_files_from_the_browser(
    cast, client_of, django_capture_on_commit_callbacks
):
    files = [
        SimpleUploadedFile("Kế hoạch.txt", "KẾ HOẠCH\nTuyên truyền pháp luật".encode()),
        SimpleUploadedFile("rong.pdf", b""),
        SimpleUploadedFile("bao-cao.docx", helpers.docx_bytes(["Báo cáo sơ kết"])),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(cast.officer_a).post(
            "/tai-lieu/tai-len/",
            {"files": files, "unit": cast.unit_a.pk, "visibility": "unit", "tags": "pháp luật"},
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đã nhận" in body and "Từ chối" in body and "rỗng" in body
    docs = Document.objects.filter(unit=cast.unit_a).order_by("pk")
    assert [d.original_name for d in docs] == ["Kế hoạch.txt", "bao-cao.docx"]
    assert all(d.status == Status.READY for d in docs) and docs[0].tags == "pháp luật"


def test_upload_form_works_without_javascript_and_offers_only_units_in_scope(cast, client_of):
    body = client_of(cast.officer_a).get("/tai-lieu/tai-len/").content.decode()
    assert (
        'enctype="multipart/form-data"' in body
        and 'action="/tai-lieu/tai-len/"' in body
        and "multiple" in body
    )
    assert "Công ty May A" in body and "Công ty Điện tử B" not in body
    response = client_of(cast.officer_a).post(
        "/tai-lieu/tai-len/",
        {
            "files": [SimpleUploadedFile("x.txt", b"abc")],
            "unit": cast.unit_b.pk,
            "visibility": "unit",
        },
    )
    assert "unit" in response.context["form"].errors
    assert Document.objects.count() == 0


def test_search_page_finds_without_diacritics_and_highlights(cast, client_of, plan):
    response = client_of(cast.district_officer).get(
        "/tai-lieu/", {"q": "tuyen truyen thang cong nhan"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and f"/tai-lieu/{plan.pk}/" in body
    assert "<mark>Tuyên</mark>" in body
    partial = client_of(cast.district_officer).get(
        "/tai-lieu/", {"q": "tuyen"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in partial.content.decode()


def test_detail_shows_metadata_with_confidence_and_links(cast, client_of, plan):
    body = client_of(cast.district_officer).get(f"/tai-lieu/{plan.pk}/").content.decode()
    assert "21/KH-LĐLĐ" in body and "95%" in body and "Nguyễn Văn Hùng" in body
    assert "03/CTr-BCH" in body and "chưa có" in body


def test_officer_of_another_unit_cannot_open_a_unit_document(cast, client_of, plan):
    assert client_of(cast.officer_a).get(f"/tai-lieu/{plan.pk}/").status_code == 404
    assert client_of(cast.officer_a).get(f"/tai-lieu/{plan.pk}/tep/").status_code == 404
    assert client_of(cast.member_user).get("/tai-lieu/").status_code == 403


def test_correction_form_saves_and_audits(cast, client_of, plan):
    response = client_of(cast.district_officer).post(
        f"/tai-lieu/{plan.pk}/sua/",
        {"title": "Tên đã sửa", "issued_on": "2025-06-07", "doc_type": "ke_hoach"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (
        plan.title == "Tên đã sửa"
        and str(plan.issued_on) == "2025-06-07"
        and plan.corrected["title"] == "Tên đã sửa"
    )
    assert AuditEntry.objects.filter(
        action="library.document.correct", actor=cast.district_officer
    ).exists()


def test_subtree_officer_may_read_but_not_correct(cast, client_of, plan):
    services.document_share(
        actor=cast.district_officer, document=plan, visibility=Visibility.SUBTREE, tags=""
    )
    assert client_of(cast.officer_a).get(f"/tai-lieu/{plan.pk}/").status_code == 200
    assert (
        client_of(cast.officer_a).post(f"/tai-lieu/{plan.pk}/sua/", {"title": "x"}).status_code
        == 403
    )


def test_sharing_publicly_makes_public_page_and_feeds(cast, client_of, client, plan):
    assert client.get(f"/tai-lieu/cong-khai/{plan.pk}/").status_code == 404
    client_of(cast.district_officer).post(
        f"/tai-lieu/{plan.pk}/chia-se/", {"visibility": "public", "tags": "truyền thông"}
    )
    plan.refresh_from_db()
    assert plan.visibility == "public" and plan.published_at is not None
    assert AuditEntry.objects.filter(action="library.document.share").exists()
    assert (
        f"/tai-lieu/cong-khai/{plan.pk}/"
        in client.get("/tai-lieu/cong-khai/", {"q": "thang cong nhan"}).content.decode()
    )
    assert client.get(f"/tai-lieu/cong-khai/{plan.pk}/").status_code == 200
    assert client.get(f"/tai-lieu/cong-khai/{plan.pk}/tep/").status_code == 200
    rss = client.get("/tai-lieu/cong-khai/rss/").content.decode()
    atom = client.get("/tai-lieu/cong-khai/atom/").content.decode()
    assert "21/KH-LĐLĐ" in rss and "<feed" in atom


def test_progress_partial_polls_while_processing_and_refreshes_when_done(cast, client_of, plan):
    Document.objects.filter(pk=plan.pk).update(status=Status.OCR)
    partial = client_of(cast.district_officer).get(
        f"/tai-lieu/{plan.pk}/tien-do/", HTTP_HX_REQUEST="true"
    )
    assert 'hx-trigger="every 2s"' in partial.content.decode()
    Document.objects.filter(pk=plan.pk).update(status=Status.READY)
    done = client_of(cast.district_officer).get(
        f"/tai-lieu/{plan.pk}/tien-do/", HTTP_HX_REQUEST="true"
    )
    assert done["HX-Refresh"] == "true"


def test_indicator_counts_digitised_described_and_shared(cast, client_of, plan, run_on_commit):
    run_on_commit(
        services.document_upload,
        actor=cast.district_officer,
        unit=cast.district,
        name="ghi.txt",
        data="ghi chép".encode(),
        visibility="union",
    )
    body = client_of(cast.district_officer).get("/tai-lieu/chi-so/").content.decode()
    assert "LĐLĐ huyện Phú Xuyên" in body
    assert "100.0%" in body or "100,0%" in body  # both digitised
    assert "50.0%" in body or "50,0%" in body  # one of two described, one of two shared


def test_api_search_and_detail_are_scoped(cast, client_of, plan):
    data = client_of(cast.district_officer).get("/api/v1/documents", {"q": "ke hoach"}).json()
    assert data["count"] == 1 and data["results"][0]["number"] == "21/KH-LĐLĐ"
    detail = client_of(cast.district_officer).get(f"/api/v1/documents/{plan.pk}").json()
    assert (
        detail["confidence"]["number"] >= 0.9
        and detail["missing"][0]["cited_number"] == "03/CTr-BCH"
    )
    assert client_of(cast.officer_b).get(f"/api/v1/documents/{plan.pk}").status_code == 404
    assert (
        client_of(cast.officer_b).get("/api/v1/documents", {"q": "ke hoach"}).json()["count"] == 0
    )


def test_command_line_imports_a_folder_and_reports(
    cast, tmp_path, django_capture_on_commit_callbacks
):
    folder = tmp_path / "Tài liệu cần nhập"
    folder.mkdir()
    pdf = helpers.text_pdf(helpers.PLAN.as_text())
    (folder / "Kế hoạch 21.pdf").write_bytes(pdf)
    (folder / "ban-sao.pdf").write_bytes(pdf)
    (folder / "rong.txt").write_bytes(b"")
    (folder / "anh.jpg").write_bytes(b"%PDF-1.4 not an image")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "library",
            "import",
            str(folder),
            "--unit",
            "PX",
            "--visibility",
            "union",
            "--json",
            stdout=out,
        )
    summary = json.loads(out.getvalue())
    assert (
        len(summary["created"]) == 1
        and len(summary["duplicate"]) == 1
        and len(summary["refused"]) == 2
    )
    assert any("rỗng" in r["reason"] for r in summary["refused"])
    doc = Document.objects.get()
    assert doc.visibility == "union" and doc.status == Status.READY
    out, err = StringIO(), StringIO()
    call_command("library", "import", str(folder), "--unit", "PX", stdout=out, stderr=err)
    assert "Đã nhập: 0 · Trùng, bỏ qua: 2 · Từ chối: 2" in out.getvalue()
    assert "[từ chối]" in out.getvalue() and "anh.jpg" in out.getvalue()

    out = StringIO()
    call_command("library", "search", "ke hoach tuyen truyen", "--json", stdout=out)
    found = json.loads(out.getvalue())
    assert (
        found["results"][0]["id"] == doc.pk
        and found["results"][0]["number"] == "21/KH-LĐLĐ"
        and "score" in found["results"][0]
    )
    out = StringIO()
    call_command("library", "show", str(doc.pk), "--json", stdout=out)
    shown = json.loads(out.getvalue())
    assert (
        shown["issuer"] == "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN"
        and shown["missing"][0]["cited_number"] == "03/CTr-BCH"
    )


def test_links_are_registered_on_shared_pages(cast, client_of, client):
    assert "/tai-lieu/cong-khai/" in client.get("/").content.decode()
    assert (
        "/tai-lieu/chi-so/"
        in client_of(cast.district_officer).get("/bang-dieu-khien/").content.decode()
    )
