"""PDFs (and TXT, DOCX) whose text layer was made by an OCR engine without Vietnamese: found
garbled page by page, repaired or OCR'd again, the changes shown beside the original; an
officer forces either. Tesseract runs only in the tests marked as needing it."""

from __future__ import annotations

import json
from io import StringIO

import pymupdf
import pytest
import regex
from django.core.management import call_command
from django.utils.html import escape

from congdoan import testing
from congdoan.audit.models import AuditEntry
from congdoan.library import layers, ocr, pipeline, services
from congdoan.library.models import (
    Document,
    LayerChoice,
    Page,
    PageStatus,
    Reading,
    Status,
    Visibility,
)
from congdoan.library.render import FONT_PATH
from congdoan.library.tests import helpers
from congdoan.text.vietnamese import has_marks, strip_marks

pytest.importorskip("congdoan.text.garbled", reason="the toolkit's garbled-text module")

pytestmark = pytest.mark.django_db

# As a scanner's OCR without Vietnamese writes it (the lines of issue 19), with what must come
# through unchanged: a URL, an e-mail address, codes, an English sentence, a table of numbers.
GARBLED = (
    "Pay manh cong tic truyén thong Cong doan huyén Phi Xuyén\n"
    "Thyc hién Chuong trinh s6 01/CTr-BCH ngay 29/12/2023 cia Téng Lién doan ve x4y dung "
    "d6i ngii can b6 cong doan.\n"
    "Xem them tai https://congdoan.vn/tin-tuc hoac gui thu toi vanphong@ldld.vn.\n"
    "The union shall publish the annual report before March.\n"
    "2023 | 1.250 | 45/2019/QH14 | 12,5\n"
    "2024 | 1.375 | 01/CTr-BCH | 13,0"
)
UNCHANGED = [
    "01/CTr-BCH",
    "29/12/2023",
    "https://congdoan.vn/tin-tuc",
    "vanphong@ldld.vn",
    "The union shall publish the annual report before March.",
    "2023 | 1.250 | 45/2019/QH14 | 12,5",
    "2024 | 1.375 | 01/CTr-BCH | 13,0",
]
CLEAN = helpers.PLAN.as_text()
ENGLISH = (
    "The Vietnam General Confederation of Labour represents workers in talks with employers.\n"
    "Its grassroots unions organise training, collect dues and publish an annual report; "
    "see https://www.congdoan.vn/en or write to info@congdoan.vn for details."
)
TABLE = "Năm | Đoàn viên | Tỉ lệ\n2021 | 1.120 | 81,5\n2022 | 1.204 | 83,0\n2023 | 1.250 | 85,2"


@pytest.fixture(autouse=True)
def _no_fresh_ocr(settings):
    """Garbled PDF pages are repaired only, unless a test asks for the fresh OCR too."""
    settings.LIBRARY_GARBLED_REOCR = False


@pytest.fixture
def needs_tesseract() -> None:
    testing.require("tesseract", ocr.unavailable_reason())


def pdf(*pages: str, image: bytes | None = None) -> bytes:
    """A PDF with one page per text. With `image`, each page shows the image and the text is
    an invisible layer over it (what a scanner's own OCR writes)."""
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page(width=595, height=842)
        if image is not None:
            page.insert_image(page.rect, stream=image)
        page.insert_font(fontname="dejavu", fontfile=FONT_PATH)
        page.insert_textbox(
            pymupdf.Rect(50, 50, 550, 800),
            text,
            fontname="dejavu",
            fontsize=10,
            render_mode=3 if image is not None else 0,
        )
    data = doc.tobytes()
    doc.close()
    return data


def garble(text: str) -> str:
    """Text as an engine without Vietnamese reads it: marks lost, and every third marked word
    with a digit or a wrong mark instead ("x4y", "truyén")."""
    out = []
    for i, word in enumerate(regex.split(r"(\s+)", text)):
        if not has_marks(word):
            out.append(word)
            continue
        plain = strip_marks(word).replace("đ", "d").replace("Đ", "D")
        if i % 3 == 0:
            plain = plain.replace("o", "6", 1) if "o" in plain else plain.replace("e", "é", 1)
        out.append(plain)
    return "".join(out)


def upload(run_on_commit, cast, name: str, data: bytes, **kw) -> Document:
    doc = run_on_commit(
        services.document_upload,
        actor=cast.district_officer,
        unit=cast.district,
        name=name,
        data=data,
        **kw,
    )
    doc.refresh_from_db()
    return doc


def pages_of(doc: Document) -> list[Page]:
    return list(Page.objects.filter(document=doc).order_by("number"))


def assert_reads_better(page: Page) -> None:
    """The repair changed the garbled layer into text with fewer words that are not
    Vietnamese, which the language model reads better (the words themselves are the
    toolkit's to get right: congdoan/text/tests)."""
    from congdoan.text import garbled

    assert page.text != page.original_text
    assert (
        garbled.score(page.text).not_vietnamese < garbled.score(page.original_text).not_vietnamese
    )
    assert page.layer_scores["repaired"] > page.layer_scores["layer"]


def assert_untouched(text: str, changes: list) -> None:
    """Codes, URLs, e-mails, the English sentence and the table are in the text as they were,
    and no change touches them."""
    for kept in UNCHANGED:
        start = GARBLED.index(kept)
        assert kept in text, kept
        assert not [c for c in changes if c[0] < start + len(kept) and c[1] > start], (
            f"{kept!r} was changed"
        )


def test_a_clean_pdf_is_left_as_it_is(cast, run_on_commit):
    doc = upload(run_on_commit, cast, "sach.pdf", pdf(CLEAN))
    assert doc.status == Status.READY
    [page] = pages_of(doc)
    assert page.reading == Reading.LAYER and not page.layer_garbled
    assert page.original_text == "" and page.changes == []
    assert "Liên đoàn Lao động huyện xây dựng kế hoạch" in doc.text.replace("\n", " ")
    assert doc.number == "21/KH-LĐLĐ"


def test_a_garbled_pdf_is_found_and_repaired_and_the_original_kept(cast, run_on_commit):
    doc = upload(run_on_commit, cast, "cu.pdf", pdf(GARBLED))
    assert doc.status == Status.READY
    [page] = pages_of(doc)
    assert page.layer_garbled and page.reading == Reading.REPAIRED
    assert page.original_text.startswith("Pay manh cong tic")
    assert page.layer_scores["not_vietnamese"] > 0 and page.layer_scores["repaired"] is not None
    assert page.layer_scores["repaired"] > page.layer_scores["layer"]
    assert page.changes and all(len(c) == 4 for c in page.changes)
    # The changes are on the original: applied to it they make the repaired text.
    assert layers.apply(page.original_text, page.changes) == page.text
    assert_reads_better(page)
    assert_untouched(page.text, page.changes)


def test_the_command_line_shows_the_repaired_pages(cast, run_on_commit):
    doc = upload(run_on_commit, cast, "tron.pdf", pdf(CLEAN, GARBLED))
    out = StringIO()
    call_command("library", "show", str(doc.pk), "--json", stdout=out)
    [layer] = json.loads(out.getvalue())["text_layers"]
    assert layer["page"] == 2 and layer["reading"] == "repaired" and layer["garbled"]
    assert layer["changes"] and layer["scores"]["repaired"] is not None


def test_a_mixed_pdf_has_only_its_garbled_pages_repaired(cast, run_on_commit):
    doc = upload(run_on_commit, cast, "tron.pdf", pdf(CLEAN, GARBLED, CLEAN))
    first, second, third = pages_of(doc)
    assert [p.layer_garbled for p in (first, second, third)] == [False, True, False]
    assert first.reading == third.reading == Reading.LAYER
    assert first.changes == third.changes == [] and first.original_text == ""
    assert second.reading == Reading.REPAIRED and second.changes
    # The clean pages' text is the text layer itself.
    assert pipeline.intake.pdf_page_texts(doc.blob.file.open("rb").read())[0] == first.text
    assert doc.text.count("Tuyên truyền Tháng Công nhân năm 2025") == 2


def test_english_paragraphs_and_tables_of_numbers_come_through_unchanged(cast, run_on_commit):
    doc = upload(run_on_commit, cast, "song-ngu.pdf", pdf(ENGLISH, GARBLED, TABLE + "\n" * 2))
    english, garbled_page, table = pages_of(doc)
    assert not english.layer_garbled and english.reading == Reading.LAYER
    assert english.text.split() == ENGLISH.split() and english.changes == []
    assert not table.layer_garbled and table.text.split() == TABLE.split()
    assert garbled_page.reading == Reading.REPAIRED
    assert_untouched(garbled_page.text, garbled_page.changes)


def test_garbled_txt_and_docx_are_repaired(cast, run_on_commit):
    txt = upload(run_on_commit, cast, "cu.txt", GARBLED.encode())
    docx = upload(run_on_commit, cast, "cu.docx", helpers.docx_bytes(GARBLED.split("\n")))
    for doc in (txt, docx):
        [page] = pages_of(doc)
        assert doc.status == Status.READY and page.layer_garbled
        assert page.reading == Reading.REPAIRED and doc.text == page.text.strip()
        assert_reads_better(page)
        assert_untouched(page.text, page.changes)
    clean = upload(run_on_commit, cast, "sach.txt", CLEAN.encode())
    assert pages_of(clean)[0].reading == Reading.LAYER and clean.text == CLEAN


def test_text_without_any_marks_is_still_left_to_diacritics_restoration(cast, run_on_commit):
    lost = strip_marks(CLEAN).replace("Đ", "D").replace("đ", "d")
    doc = upload(run_on_commit, cast, "mat-dau.txt", lost.encode())
    [page] = pages_of(doc)
    assert page.reading == Reading.LAYER and not page.layer_garbled
    assert doc.text_before_restore == lost and "Liên đoàn" in doc.text


def test_the_comparison_page_marks_the_changed_words_on_both_sides(cast, client_of, run_on_commit):
    doc = upload(run_on_commit, cast, "cu.pdf", pdf(CLEAN, GARBLED))
    detail = client_of(cast.district_officer).get(f"/tai-lieu/{doc.pk}/").content.decode()
    assert f'href="/tai-lieu/{doc.pk}/lop-chu/"' in detail and "lớp chữ bị lỗi" in detail
    assert f'action="/tai-lieu/{doc.pk}/doc-lai-lop-chu/"' in detail  # the officer's choice
    response = client_of(cast.district_officer).get(f"/tai-lieu/{doc.pk}/lop-chu/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="trang-2"' in body and 'id="trang-1"' not in body  # only the garbled page
    _start, _end, old, new = Page.objects.get(document=doc, number=2).changes[0]
    assert f'<mark title="sửa thành: {escape(new)}">{escape(old)}</mark>' in body
    assert f'<mark title="bản gốc: {escape(old)}">{escape(new)}</mark>' in body
    assert "vanphong@ldld.vn" in body and 'class="side-by-side"' in body
    assert "<script" not in body.split("<main", 1)[-1].split("</main>")[0]  # no JavaScript


def test_an_officer_in_scope_forces_repair_or_ocr_and_it_is_audited(
    cast, client_of, run_on_commit, django_capture_on_commit_callbacks
):
    doc = upload(run_on_commit, cast, "tron.pdf", pdf(CLEAN, GARBLED))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(cast.district_officer).post(
            f"/tai-lieu/{doc.pk}/doc-lai-lop-chu/", {"choice": "repair"}
        )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.layer_choice == LayerChoice.REPAIR and doc.status == Status.READY
    first, second = pages_of(doc)
    # Forced: the clean page goes through the repair too (which leaves it as it was).
    assert first.original_text == first.text or first.reading == Reading.REPAIRED
    assert second.reading == Reading.REPAIRED
    entry = AuditEntry.objects.get(action="library.document.reread", object_id=str(doc.pk))
    assert entry.actor == cast.district_officer and entry.changes["choice"] == ["auto", "repair"]
    # A TXT file has no page images: "OCR again" is not offered and is refused.
    txt = upload(run_on_commit, cast, "cu.txt", GARBLED.encode())
    body = client_of(cast.district_officer).get(f"/tai-lieu/{txt.pk}/").content.decode()
    assert 'value="repair"' in body and 'value="ocr"' not in body
    client_of(cast.district_officer).post(f"/tai-lieu/{txt.pk}/doc-lai-lop-chu/", {"choice": "ocr"})
    txt.refresh_from_db()
    assert txt.layer_choice == LayerChoice.AUTO


def test_another_units_officer_cannot_force_a_choice(cast, client_of, run_on_commit):
    doc = upload(run_on_commit, cast, "cu.pdf", pdf(GARBLED))
    url = f"/tai-lieu/{doc.pk}/doc-lai-lop-chu/"
    assert client_of(cast.officer_b).post(url, {"choice": "ocr"}).status_code == 404
    services.document_share(
        actor=cast.district_officer, document=doc, visibility=Visibility.UNION, tags=""
    )
    # Now they may read it and its comparison, but not choose how it is read.
    assert client_of(cast.officer_b).get(f"/tai-lieu/{doc.pk}/lop-chu/").status_code == 200
    body = client_of(cast.officer_b).get(f"/tai-lieu/{doc.pk}/").content.decode()
    assert "doc-lai-lop-chu" not in body
    assert client_of(cast.officer_b).post(url, {"choice": "ocr"}).status_code == 403
    doc.refresh_from_db()
    assert doc.layer_choice == LayerChoice.AUTO
    assert not AuditEntry.objects.filter(action="library.document.reread").exists()


def test_a_choice_is_refused_while_the_document_is_being_read(cast, run_on_commit):
    doc = upload(run_on_commit, cast, "cu.pdf", pdf(GARBLED))
    Document.objects.filter(pk=doc.pk).update(status=Status.OCR)
    doc.refresh_from_db()
    with pytest.raises(services.ValidationError):
        services.document_reread_layers(actor=cast.district_officer, document=doc, choice="ocr")


def test_when_the_fresh_ocr_fails_the_repair_is_kept(cast, run_on_commit, monkeypatch):
    monkeypatch.setattr(pipeline, "_reocr_enabled", lambda: True)

    def broken(*args, **kwargs):
        raise ocr.OcrFailed("hỏng")

    monkeypatch.setattr(ocr, "ocr_image", broken)
    doc = upload(run_on_commit, cast, "cu.pdf", pdf(CLEAN, GARBLED))
    assert doc.status == Status.READY
    first, second = pages_of(doc)
    assert not first.needs_ocr and second.needs_ocr and second.status == PageStatus.DONE
    assert second.reading == Reading.REPAIRED and second.layer_scores["ocr_error"] == "hỏng"
    assert doc.text.endswith(second.text.strip()) and second.text != GARBLED


def test_the_language_model_prefers_vietnamese_to_its_garbled_copy():
    clean = "Đẩy mạnh công tác truyền thông Công đoàn huyện Phú Xuyên"
    good, bad = layers.lm_score(clean), layers.lm_score(garble(clean))
    assert good is not None and bad is not None and good > bad + 1
    assert layers.prefer_ocr(bad, good)
    assert not layers.prefer_ocr(layers.lm_score(clean), layers.lm_score(clean))
    assert not layers.prefer_ocr(-5.0, None) and layers.prefer_ocr(None, -9.0)


def test_marked_pieces_rebuild_both_texts():
    original = "Pay manh cong tac"
    changes = [[0, 3, "Pay", "Đẩy"], [4, 8, "manh", "mạnh"], [2, 5, "y m", "x"]]  # overlap: skipped
    before, after = layers.marked(original, changes)
    assert "".join(p.text for p in before) == original
    assert "".join(p.text for p in after) == "Đẩy mạnh cong tac"
    assert [(p.text, p.other) for p in before if p.changed] == [("Pay", "Đẩy"), ("manh", "mạnh")]


# --- with Tesseract: the fresh OCR of the page image ------------------------------------------


def test_forced_ocr_replaces_the_garbled_layer_in_the_text_and_the_searchable_pdf(
    cast, client_of, run_on_commit, needs_tesseract, django_capture_on_commit_callbacks
):
    scan = pdf(garble(CLEAN), image=helpers.png())
    doc = upload(run_on_commit, cast, "scan.pdf", scan)
    [page] = pages_of(doc)
    assert page.layer_garbled and page.reading == Reading.REPAIRED and not doc.searchable_pdf
    with django_capture_on_commit_callbacks(execute=True):
        client_of(cast.district_officer).post(
            f"/tai-lieu/{doc.pk}/doc-lai-lop-chu/", {"choice": "ocr"}
        )
    doc.refresh_from_db()
    [page] = pages_of(doc)
    assert doc.status == Status.READY and page.reading == Reading.REOCR
    assert page.original_text.startswith(garble(CLEAN)[:20]) and page.layer_scores["ocr"]
    assert "Liên đoàn" in doc.text or "LIÊN ĐOÀN" in doc.text
    with doc.searchable_pdf.open("rb") as fh, pymupdf.open(stream=fh.read()) as searchable:
        layer_text = searchable[0].get_text()
    assert "x4y" not in layer_text and "LIÊN ĐOÀN" in layer_text.upper()  # only the new layer
    # Back to the repair: the fresh OCR and its searchable PDF go.
    with django_capture_on_commit_callbacks(execute=True):
        client_of(cast.district_officer).post(
            f"/tai-lieu/{doc.pk}/doc-lai-lop-chu/", {"choice": "repair"}
        )
    doc.refresh_from_db()
    [page] = pages_of(doc)
    assert page.reading == Reading.REPAIRED and not page.pdf and not doc.searchable_pdf


def test_auto_compares_the_repair_with_a_fresh_ocr_by_the_language_model(
    cast, run_on_commit, needs_tesseract, settings
):
    settings.LIBRARY_GARBLED_REOCR = True
    doc = upload(run_on_commit, cast, "scan.pdf", pdf(garble(CLEAN), image=helpers.png()))
    [page] = pages_of(doc)
    scores = page.layer_scores
    assert doc.status == Status.READY and page.layer_garbled
    assert scores["repaired"] is not None and scores["ocr"] is not None
    chose_ocr = layers.prefer_ocr(scores["repaired"], scores["ocr"])
    assert page.reading == (Reading.REOCR if chose_ocr else Reading.REPAIRED)
    assert bool(page.pdf) == chose_ocr
