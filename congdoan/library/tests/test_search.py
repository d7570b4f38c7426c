"""Search: accent-insensitive on SQLite FTS5 and PostgreSQL full text, filtered, ranked, scoped."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.template.loader import render_to_string

from congdoan.library import selectors, services, tasks
from congdoan.library.models import Document, Visibility
from congdoan.library.search import engine, planner, postgres
from congdoan.library.search.highlight import snippet
from congdoan.library.search.query import fts5_query, last_is_prefix, tsquery
from congdoan.library.search.sql import apply_search
from congdoan.library.search.words import fold_for_index, query_tokens
from congdoan.text import fold

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", "tantivy"], autouse=True)
def search_engine(request, settings, tmp_path) -> str:
    """Every search test runs on the database's own full text and on the optional tantivy index."""
    settings.LIBRARY_SEARCH_ENGINE = request.param
    settings.LIBRARY_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    return request.param


def make(
    cast,
    unit,
    title: str,
    text: str,
    *,
    visibility: str = Visibility.UNIT,
    doc_type: str = "ke_hoach",
    issued: date | None = None,
    tags: str = "",
) -> Document:
    """A processed document written straight to the table (what the pipeline leaves behind)."""

    blob = services._store_blob(f"{title}{text}{unit.pk}".encode(), "txt", "text/plain")
    doc = Document.objects.create(
        unit=unit,
        blob=blob,
        original_name=f"{title}.txt",
        source_kind="text",
        status="ready",
        visibility=visibility,
        title=title,
        text=text,
        doc_type=doc_type,
        issued_on=issued or date(2025, 5, 1),
        issuer=unit.name.upper(),
        issuer_key=fold(unit.name),
        tags=tags,
        head_folded=fold_for_index(title),
        folded=fold_for_index(title, text),
    )
    tasks.schedule_index_sync()  # as the services do on commit (tasks run inline in tests)
    return doc


@pytest.fixture
def corpus(cast):
    return {
        "plan": make(
            cast,
            cast.district,
            "Kế hoạch đẩy mạnh công tác truyền thông Công đoàn",
            "Truyền thông trên nền tảng số; kế hoạch năm 2025.",
            visibility=Visibility.SUBTREE,
            tags="truyền thông, 2025",
        ),
        "report": make(
            cast,
            cast.district,
            "Báo cáo kết quả Tháng Công nhân",
            "Tổ chức truyền thông tại doanh nghiệp. <script>alert(1)</script>",
            doc_type="bao_cao",
            issued=date(2024, 5, 30),
        ),
        "a_notice": make(
            cast,
            cast.unit_a,
            "Thông báo lịch họp công đoàn cơ sở",
            "Họp Ban Chấp hành về bữa ăn ca.",
            doc_type="thong_bao",
        ),
        "b_secret": make(
            cast,
            cast.unit_b,
            "Biên bản đối thoại",
            "Đối thoại về tiền lương, truyền thông nội bộ.",
            doc_type="bien_ban",
        ),
        "public": make(
            cast,
            cast.unit_b,
            "Thông báo công khai tuyển dụng",
            "Kế hoạch truyền thông tuyển dụng công khai.",
            visibility=Visibility.PUBLIC,
            doc_type="thong_bao",
        ),
        "union": make(
            cast,
            cast.other_district,
            "Hướng dẫn toàn hệ thống",
            "Hướng dẫn truyền thông cho mọi cấp.",
            visibility=Visibility.UNION,
            doc_type="huong_dan",
        ),
    }


def ids(viewer, **kw) -> set[int]:
    return {
        h.document.pk for h in selectors.search_documents(viewer=viewer, per_page=100, **kw).hits
    }


def test_search_ignores_diacritics_both_ways(cast, corpus):
    assert corpus["plan"].pk in ids(cast.admin, query="ke hoach truyen thong")
    assert corpus["plan"].pk in ids(cast.admin, query="KẾ HOẠCH Truyền Thông")
    assert corpus["a_notice"].pk in ids(cast.admin, query="bua an ca")


def test_every_word_must_match_and_the_last_is_a_prefix(cast, corpus):
    assert ids(cast.admin, query="truyen thong tien luong") == {corpus["b_secret"].pk}
    assert corpus["plan"].pk in ids(cast.admin, query="ke hoach truyen th")
    assert ids(cast.admin, query="khong co tu nay") == set()


def test_results_are_ranked_by_relevance(cast, corpus):
    make(cast, cast.district, "Ghi chép", "Một dòng nhắc đến truyền thông.")
    for i in range(12):  # words found in most documents weigh little: give the corpus some breadth
        make(
            cast,
            cast.unit_a,
            f"Biên bản họp tổ số {i}",
            f"Bàn về bữa ăn ca, nhà trọ và tiền lương tháng {i}.",
        )
    hits = selectors.search_documents(viewer=cast.admin, query="truyen thong").hits
    assert hits[0].document == corpus["plan"]
    assert hits[0].score >= hits[-1].score


def test_filters_narrow_the_results(cast, corpus):
    assert ids(cast.admin, query="truyen thong", doc_type="bao_cao") == {corpus["report"].pk}
    assert ids(cast.admin, query="truyen thong", year=2024) == {corpus["report"].pk}
    assert ids(cast.admin, unit_code="PX-A") == {corpus["a_notice"].pk}
    assert ids(cast.admin, tag="2025") == {corpus["plan"].pk}
    assert ids(cast.admin, issuer="điện tử") == {corpus["b_secret"].pk, corpus["public"].pk}


def test_snippets_mark_the_words_and_escape_everything_else(cast, corpus):
    hit = next(
        h
        for h in selectors.search_documents(viewer=cast.admin, query="truyen thong").hits
        if h.document == corpus["report"]
    )
    assert "<mark>truyền</mark> <mark>thông</mark>" in hit.snippet_html
    assert "<script>" not in hit.snippet_html and "&lt;script&gt;" in hit.snippet_html
    assert "<mark>" not in snippet("Không liên quan", query_tokens("truyen"))


def test_visibility_decides_who_finds_what(
    cast, corpus, officer_a, officer_b, district_officer, member
):
    everything = set(Document.objects.values_list("pk", flat=True))
    assert ids(cast.admin) == everything
    # district officer: own subtree + union + public, not the other district's unit-only docs
    assert ids(district_officer) == everything
    # officer of A: own unit, the district's "subtree" plan, the union and public docs
    assert ids(officer_a) == {
        corpus["a_notice"].pk,
        corpus["plan"].pk,
        corpus["public"].pk,
        corpus["union"].pk,
    }
    assert ids(officer_b) == {
        corpus["b_secret"].pk,
        corpus["plan"].pk,
        corpus["public"].pk,
        corpus["union"].pk,
    }
    assert ids(member) == {corpus["public"].pk}
    assert ids(None) == {corpus["public"].pk}
    assert ids(None, public_only=True) == {corpus["public"].pk}


def test_a_corrected_title_is_searchable_at_once(cast, corpus, run_on_commit):
    run_on_commit(
        services.document_correct,
        actor=cast.district_officer,
        document=corpus["report"],
        values={"title": "Báo cáo sơ kết phong trào thi đua"},
    )
    assert ids(cast.admin, query="so ket phong trao thi dua") == {corpus["report"].pk}


def test_counts_beyond_the_cap_are_shown_as_a_lower_bound(cast, corpus, monkeypatch):
    monkeypatch.setattr(planner, "COUNT_CAP", 2)
    found = selectors.search_documents(viewer=cast.admin, query="truyen thong", per_page=2)
    assert found.total == 2 and found.total_is_lower_bound and found.has_next
    second = selectors.search_documents(viewer=cast.admin, query="truyen thong", per_page=2, page=3)
    assert len(second.hits) == 1 and not second.has_next


def test_deleted_documents_leave_the_index(cast, corpus):
    corpus["a_notice"].delete()
    assert ids(cast.admin, query="bua an ca") == set()


def test_the_database_full_text_is_there_whichever_engine_ranks(cast, corpus):
    sql = str(selectors.documents_visible(viewer=cast.admin).query)

    searched = str(apply_search(Document.objects.all(), ["ke"]).query)
    assert ("library_document_fts" in searched) == (connection.vendor == "sqlite")
    assert ("search_tsv" in searched) == (connection.vendor == "postgresql")
    assert sql


def test_the_external_engine_ranks_when_it_is_on(cast, corpus, search_engine):
    found = engine.top(query_tokens("truyen thong"), 100)
    if search_engine == "database":
        assert found is None
    else:
        assert found is not None and corpus["plan"].pk in {pk for pk, _s in found[0]}


@pytest.mark.parametrize("search_engine", ["tantivy"], indirect=True)
def test_a_stale_engine_index_never_shows_what_the_viewer_may_not_see(
    cast, corpus, officer_a, settings
):
    Document.objects.filter(pk=corpus["public"].pk).update(visibility=Visibility.UNIT)  # no sync
    corpus["union"].delete()
    assert ids(officer_a, query="truyen thong") == {corpus["plan"].pk}
    assert ids(cast.admin, query="huong dan toan he thong") == set()


@pytest.mark.parametrize("search_engine", ["tantivy"], indirect=True)
def test_a_missing_engine_index_falls_back_to_the_database(cast, corpus, settings, tmp_path):
    settings.LIBRARY_SEARCH_INDEX_DIR = str(tmp_path / "not-built")
    assert corpus["plan"].pk in ids(cast.admin, query="ke hoach truyen thong")


@pytest.mark.parametrize("search_engine", ["tantivy"], indirect=True)
def test_a_narrow_scope_widens_the_candidates_then_asks_the_database(
    cast, corpus, officer_a, settings, monkeypatch
):
    for i in range(8):
        make(cast, cast.unit_b, f"Truyền thông nội bộ {i}", "Truyền thông.")
    monkeypatch.setattr(planner, "COUNT_CAP", 1)  # first round: the 10 best candidates (the page)
    monkeypatch.setattr(planner, "ENGINE_MAX_CANDIDATES", 80)
    monkeypatch.setattr(planner, "ENGINE_FIRST_CANDIDATES", 10)
    calls: list[int] = []
    top = engine.top

    def counted(tokens: list[str], limit: int, filters: dict | None = None) -> object:
        calls.append(limit)
        return top(tokens, limit, filters)

    monkeypatch.setattr(engine, "top", counted)
    found = selectors.search_documents(viewer=officer_a, query="truyen thong", per_page=10)
    assert {h.document.pk for h in found.hits} == {
        corpus["plan"].pk,
        corpus["public"].pk,
        corpus["union"].pk,
    }
    assert calls == [10, 80]
    calls.clear()  # a unit, type or year filter is applied by the engine too: no widening
    found = selectors.search_documents(
        viewer=officer_a, query="truyen thong", unit_code="PX-B", per_page=10
    )
    assert {h.document.pk for h in found.hits} == {corpus["public"].pk} and calls == [10]
    monkeypatch.setattr(
        planner, "ENGINE_MAX_CANDIDATES", 10
    )  # no widening allowed: the database answers
    found = selectors.search_documents(viewer=officer_a, query="truyen thong", per_page=10)
    assert {h.document.pk for h in found.hits} == {
        corpus["plan"].pk,
        corpus["public"].pk,
        corpus["union"].pk,
    }


@pytest.mark.parametrize("search_engine", ["tantivy"], indirect=True)
def test_a_sync_waits_for_another_writer_to_finish(cast, corpus, settings):
    import threading
    import time

    held = engine._open(create=True).writer(
        15_000_000, 1
    )  # another worker's sync, holding the lock

    def release() -> None:
        time.sleep(0.5)
        held.rollback()
        held.wait_merging_threads()

    threading.Thread(target=release).start()
    started = time.monotonic()
    assert engine.sync(full=True) == len(corpus)
    assert time.monotonic() - started >= 0.4
    assert corpus["plan"].pk in ids(cast.admin, query="ke hoach truyen thong")


@pytest.mark.parametrize("search_engine", ["tantivy"], indirect=True)
def test_a_worker_s_sync_finding_the_index_busy_queues_itself_again_instead_of_waiting(
    cast, corpus, settings
):
    import time

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": list(settings.TASK_QUEUES),
        }
    }
    held = engine._open(create=True).writer(
        15_000_000, 1
    )  # another worker's sync, holding the lock
    requested = timezone.now().isoformat()
    started = time.monotonic()
    tasks.sync_search_index.call(requested_at=requested)
    assert time.monotonic() - started < 0.5  # the worker was not held
    again = DBTaskResult.objects.get(task_path=tasks.sync_search_index.module_path)
    assert again.run_after is not None and again.run_after > timezone.now()
    assert again.args_kwargs["kwargs"] == {"requested_at": requested}

    held.rollback()
    held.wait_merging_threads()
    tasks.sync_search_index.call(**again.args_kwargs["kwargs"])  # later, on a free index
    assert corpus["plan"].pk in ids(cast.admin, query="ke hoach truyen thong")


@pytest.mark.parametrize("search_engine", ["tantivy"], indirect=True)
def test_reindex_command_rebuilds_the_engine_index_without_deleted_documents(cast, corpus):
    from django.core.management import call_command

    Document.objects.filter(pk=corpus["union"].pk).delete()
    call_command("library", "reindex")
    found = engine.top(query_tokens("huong dan"), 100)
    assert (
        found is not None
        and corpus["union"].pk not in {pk for pk, _s in found[0]}
        and found[1] == 0
    )


@pytest.mark.parametrize("search_engine", ["tantivy"], indirect=True)
def test_a_common_word_is_counted_as_more_than_the_cap_from_a_sample(cast, corpus, monkeypatch):
    for i in range(20):
        make(cast, cast.unit_a, f"Truyền thông {i}", "Truyền thông.")
    monkeypatch.setattr(planner, "COUNT_CAP", 5)
    monkeypatch.setattr(planner, "ENGINE_FIRST_CANDIDATES", 4)
    found = selectors.search_documents(viewer=cast.admin, query="truyen thong", per_page=2)
    assert found.total == 5 and found.total_is_lower_bound and len(found.hits) == 2
    monkeypatch.setattr(
        planner, "ENGINE_ESTIMATE_MARGIN", 100
    )  # no estimate: counted up to the cap
    found = selectors.search_documents(viewer=cast.admin, query="truyen thong", per_page=2)
    assert found.total == 5 and found.total_is_lower_bound


@pytest.mark.parametrize("search_engine", ["database"], indirect=True)
def test_snippets_of_long_texts_find_words_in_the_head_or_far_behind_it(search_engine):
    filler = "Nội dung không liên quan. " * 600  # ~15,000 characters
    tail = snippet(filler + "Kế hoạch truyền thông ở cuối.", query_tokens("ke hoach truyen thong"))
    assert "<mark>Kế</mark> <mark>hoạch</mark> <mark>truyền</mark> <mark>thông</mark>" in tail
    split = snippet(
        "Kế hoạch " + filler + "kế hoạch truyền thông", query_tokens("ke hoach truyen thong")
    )
    assert (
        "<mark>kế</mark> <mark>hoạch</mark> <mark>truyền</mark> <mark>thông</mark>" in split
    )  # the head holds only half
    early = snippet("Kế hoạch truyền thông. " + filler, query_tokens("ke hoach"))
    assert early.startswith("<mark>Kế</mark> <mark>hoạch</mark>")


@pytest.mark.parametrize("search_engine", ["tantivy"], indirect=True)
def test_a_sync_asked_for_before_the_last_one_started_has_nothing_to_do(cast, corpus):
    from django.utils import timezone

    asked = timezone.now()
    assert engine.sync() > 0  # starts after `asked`: it reads that change
    assert engine.sync(requested_at=asked) == 0
    assert engine.sync(requested_at=timezone.now()) > 0


@pytest.mark.parametrize("search_engine", ["database"], indirect=True)
@pytest.mark.parametrize("walk", [True, False], ids=["pk-walk", "gin-bitmap"])
def test_a_rare_word_finds_an_old_document_beyond_the_newest_candidates(
    cast, corpus, monkeypatch, walk
):
    monkeypatch.setattr(postgres, "dense_walk_wins", lambda *_a: walk)  # PostgreSQL's two plans
    old = make(
        cast,
        cast.district,
        "Quy chế chi tiêu nội bộ",
        "Ban hành quy chế chi tiêu nội bộ của cơ quan.",
        issued=date(2019, 1, 5),
    )
    newer = [
        make(cast, cast.unit_a, f"Biên bản họp số {i}", f"Truyền thông về bữa ăn ca, đợt {i}.")
        for i in range(6)
    ]
    monkeypatch.setattr(planner, "COUNT_CAP", 2)
    assert ids(cast.admin, query="quy che chi tieu") == {old.pk}
    # More matches than the window (COUNT_CAP + 1 = 3): "more than 2"; the title matches of the
    # whole library first (the plan, older than the window), then the window's newest.
    common = selectors.search_documents(viewer=cast.admin, query="truyen thong", per_page=2)
    assert common.total_is_lower_bound and common.ranked_among_newest == 3
    assert [h.document for h in common.hits] == [corpus["plan"], newer[-1]]
    assert [h.score for h in common.hits] == [planner.TITLE_SCORE, planner.PHRASE_SCORE]
    if (
        connection.vendor == "postgresql"
    ):  # words heading many documents: the titles of the window only
        monkeypatch.setattr(planner, "_titles_everywhere", lambda _tokens: False)
        common = selectors.search_documents(viewer=cast.admin, query="truyen thong", per_page=2)
        assert [h.document for h in common.hits] == [newer[-1], newer[-2]]
    assert "trong 3 tài liệu khớp mới nhất" in render_to_string(
        "library/_results.html", {"results": common}
    )
    assert selectors.search_documents(viewer=cast.admin, query="quy che").ranked_among_newest == 0
    # Scope and filters are applied while walking the index.
    assert ids(cast.admin, query="truyen thong", doc_type="bao_cao") == {corpus["report"].pk}
    assert ids(cast.officer_b, query="truyen thong", unit_code="PX-B") == {
        corpus["b_secret"].pk,
        corpus["public"].pk,
    }


@pytest.mark.parametrize("search_engine", ["database"], indirect=True)
def test_the_database_ranks_title_then_phrase_then_the_rest_newest_first(cast):
    titled = make(
        cast, cast.district, "Quy chế trả lương", "Nội dung kèm theo.", issued=date(2020, 1, 2)
    )  # the oldest
    missing = make(cast, cast.unit_a, "Biên bản", "Tiền lương tháng 5; quy định về trả lương.")
    together = make(cast, cast.unit_a, "Biên bản họp", "Đối thoại về quy chế trả lương năm 2025.")
    newest = make(cast, cast.unit_a, "Ghi chép", "Bàn về quy chế làm việc và cách trả lương.")
    hits = selectors.search_documents(viewer=cast.admin, query="quy che tra luong").hits
    assert [h.document for h in hits] == [titled, together, newest]
    assert [h.score for h in hits] == [
        planner.TITLE_SCORE,
        planner.PHRASE_SCORE,
        planner.MATCH_SCORE,
    ]
    assert missing not in [h.document for h in hits]  # no "chế" in it
    # A second page continues where the first stopped, across the tiers.
    page2 = selectors.search_documents(
        viewer=cast.admin, query="quy che tra luong", per_page=2, page=2
    )
    assert [h.document for h in page2.hits] == [newest] and page2.total == 3


def test_a_last_word_that_is_a_whole_syllable_is_matched_whole(cast):

    assert not last_is_prefix(["bua", "an", "ca"]) and not last_is_prefix(["nam", "2025"])
    assert last_is_prefix(["ke", "hoach", "truyen", "th"]) and last_is_prefix(["zal"])
    assert fts5_query(["bua", "an", "ca"]) == '"bua" "an" "ca"'
    assert fts5_query(["truyen", "th"]) == '"truyen" "th"*'
    assert fts5_query(["truyen", "th"], phrase=True) == '"truyen th"*'
    assert (
        tsquery(["truyen", "th"]) == "truyen & th:*"
        and tsquery(["quy", "che"], phrase=True) == "quy <-> che"
    )
    make(cast, cast.unit_a, "Thông báo", "Cá kho và bữa ăn ca.")
    make(cast, cast.unit_a, "Thông báo khác", "Các bữa ăn cách nhau.")
    assert {
        h.document.title
        for h in selectors.search_documents(viewer=cast.admin, query="bua an ca").hits
    } == {"Thông báo"}


def test_a_document_with_the_words_in_its_title_ranks_first(cast, corpus):
    filler = (
        "Nội dung hội nghị, thảo luận nhiều việc của tổ chức trong năm, ý kiến của đoàn viên và người lao động. "
        * 4
    )
    titled = make(
        cast, cast.district, "Quy chế chi tiêu nội bộ", "Ban hành quy chế chi tiêu nội bộ năm 2025."
    )
    for i in range(5):
        make(
            cast,
            cast.district,
            f"Biên bản hội nghị số {i}",
            f"{filler} Cuối cùng bàn về quy chế chi tiêu nội bộ lần {i}.",
        )
    hits = selectors.search_documents(viewer=cast.admin, query="quy che chi tieu").hits
    assert len(hits) == 6 and hits[0].document == titled


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL chooses between two plans"
)
@pytest.mark.parametrize("search_engine", ["database"], indirect=True)
def test_postgres_walks_the_primary_key_only_for_words_in_most_documents(cast, monkeypatch):
    for i in range(30):
        make(
            cast,
            cast.unit_a,
            f"Biên bản số {i}",
            "Công đoàn cơ sở họp." + (" Quy chế chi tiêu." if i == 7 else ""),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE library_document")
    monkeypatch.setattr(postgres, "_STATISTICS", {})
    everything = Document.objects.all()
    assert postgres.dense_walk_wins(everything, ["cong", "doan"], 5)
    assert not postgres.dense_walk_wins(everything, ["quy", "che"], 5)
    assert postgres.dense_walk_wins(everything, ["cong", "doan"], 1000)  # 30 rows: walk them all
    # The title tier: the whole library while the rarest title word heads few documents.
    monkeypatch.setattr(postgres, "HEAD_BITMAP_ROWS", 10)
    assert not planner._titles_everywhere(["bien", "ban"])  # in all 30 titles
    assert planner._titles_everywhere(["bien", "ban", "so", "7"])  # "7" heads one


MOTTO_PAGE = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM. Về việc tổ chức hội nghị an toàn vệ sinh lao động; "
    "công nhân ăn trưa tại bếp ăn an toàn."
)


def test_highlighting_marks_the_phrase_and_rare_words_not_every_short_word(cast):
    make(cast, cast.district, "Hội nghị an toàn", MOTTO_PAGE)
    hit = selectors.search_documents(viewer=cast.admin, query="ve hoi nghi an toan").hits[0]
    html = str(hit.snippet_html)
    assert "<mark>hội</mark> <mark>nghị</mark> <mark>an</mark> <mark>toàn</mark>" in html
    assert (
        "<mark>Về</mark>" not in html
        and "<mark>HỘI</mark>" not in html
        and "<mark>ăn</mark>" not in html
    )
    assert (
        "bếp ăn <mark>an</mark> <mark>toàn</mark>" in html
    )  # the phrase's part, wherever it stands
    alone = str(snippet(MOTTO_PAGE, query_tokens("an")))  # a one-word query: that word, everywhere
    assert alone.count("<mark>") == 4


def test_a_documents_title_stays_vietnamese_for_an_english_reader(cast, client_of, settings):
    """The type word is part of the document's own title: "Thông báo về việc…", never
    "Notice về việc…" on the English pages."""
    from django.urls import reverse

    doc = make(
        cast,
        cast.unit_a,
        "về việc chi trả tiền lương tháng 11",
        "Trả lương đúng hạn.",
        doc_type="thong_bao",
    )
    client = client_of(cast.officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("library:list")).content.decode()
    assert "Thông báo về việc chi trả tiền lương tháng 11" in page
    assert "Notice về việc" not in page
    assert doc.display_title == "Thông báo về việc chi trả tiền lương tháng 11"
