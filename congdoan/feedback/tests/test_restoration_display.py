"""Issue 11.4: an unsure restoration is a suggestion beside the worker's words, never them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from congdoan.feedback.models import Cluster
from congdoan.orgs.tests import factories


def test_unsure_restoration_is_shown_as_a_suggestion_and_the_inbox_shows_the_typed_words(
    cast: Any, client_of: Any, submit: Any
) -> None:
    concern = submit("xuong SMT nong qua, quat hong ca tuan", unit=cast.unit_a)
    assert concern.restoration_confidence is not None and concern.restoration_confidence < 0.9
    assert any(typed == "xuong" for _s, _e, typed in concern.restoration_doubts)
    client = client_of(cast.officer_a)
    inbox = client.get(reverse("feedback:inbox")).content.decode()
    assert "xuong SMT nong qua" in inbox
    assert "xuống SMT" not in inbox
    page = client.get(reverse("feedback:detail", args=[concern.code])).content.decode()
    assert "Gợi ý khôi phục dấu" in page
    assert 'title="Người gửi viết: xuong"' in page


def test_sure_restoration_is_shown_as_the_concern(cast: Any, client_of: Any, submit: Any) -> None:
    concern = submit("nguoi lao dong khong duoc tra tien lam them gio", unit=cast.unit_a)
    assert concern.restoration_is_sure
    assert concern.display_text == "người lao động không được trả tiền làm thêm giờ"
    client = client_of(cast.officer_a)
    assert concern.display_text in client.get(reverse("feedback:inbox")).content.decode()
    page = client.get(reverse("feedback:detail", args=[concern.code])).content.decode()
    assert "Đã khôi phục dấu" in page and "Gợi ý khôi phục dấu" not in page


def test_names_of_units_in_the_tree_are_known_words(cast: Any, submit: Any) -> None:
    factories.unit(parent=cast.district, name="Công đoàn Công ty TNHH May Phú Minh")
    concern = submit("cong ty may phu minh cham tra luong thang 10", unit=cast.unit_a)
    assert "may phú minh" in concern.restored_text


def test_a_cluster_takes_its_title_from_the_member_typed_with_diacritics(
    cast: Any, submit: Any
) -> None:
    first = submit("xe dua don hay den muon, di lam tre bi tru luong", unit=cast.unit_a)
    second = submit("xe dua don hay den muon di lam tre bi tru luong!", unit=cast.unit_a)
    assert first.restoration_confidence < 0.9  # "trẻ … trừ lượng": unsure
    cluster = Cluster.objects.get(concerns=second)
    assert "trẻ" not in cluster.title and "lượng" not in cluster.title
    submit("Xe đưa đón hay đến muộn, đi làm trễ bị trừ lương", unit=cast.unit_a)
    cluster.refresh_from_db()
    assert cluster.size == 3
    assert cluster.title == "Xe đưa đón hay đến muộn, đi làm trễ bị trừ lương"


def test_the_export_marks_an_unsure_restoration_as_a_suggestion(
    cast: Any, client_of: Any, submit: Any
) -> None:
    import io

    from openpyxl import load_workbook

    unsure = submit("xuong SMT nong qua, quat hong ca tuan", unit=cast.unit_a)
    sure = submit("nguoi lao dong khong duoc tra tien lam them gio", unit=cast.unit_a)
    response = client_of(cast.officer_a).get(reverse("feedback:export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, body = rows[0], {row[0]: row for row in rows[1:]}
    column = header.index("Nội dung khôi phục dấu")
    assert str(body[unsure.code][column]).startswith("(gợi ý, chưa chắc chắn) ")
    assert body[sure.code][column] == sure.restored_text
