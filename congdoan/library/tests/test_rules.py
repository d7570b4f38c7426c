"""The library's access rules (rules.py), asked directly with the standard cast."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from congdoan.library import rules
from congdoan.library.models import Document, Status, Visibility
from congdoan.library.tests.test_search import make
from congdoan.orgs.scoping import Viewer, scope_for

pytestmark = pytest.mark.django_db


def visible(viewer: Viewer) -> set[int]:
    return set(
        Document.objects.filter(rules.visible_q(scope_for(viewer))).values_list("pk", flat=True)
    )


@pytest.fixture
def docs(cast: Any) -> dict[str, Document]:
    return {
        "a_unit": make(cast, cast.unit_a, "Kế hoạch của A", "nội dung"),
        "b_unit": make(cast, cast.unit_b, "Kế hoạch của B", "nội dung"),
        "district_subtree": make(
            cast, cast.district, "Hướng dẫn của huyện", "nội dung", visibility=Visibility.SUBTREE
        ),
        "district_unit": make(cast, cast.district, "Báo cáo nội bộ của huyện", "nội dung"),
        "other_union": make(
            cast, cast.other_district, "Chương trình", "nội dung", visibility=Visibility.UNION
        ),
        "b_public": make(
            cast, cast.unit_b, "Thông báo công khai", "nội dung", visibility=Visibility.PUBLIC
        ),
    }


def test_officer_of_a_unit_sees_its_own_what_is_shared_down_to_it_and_union_wide(cast, docs):
    seen = visible(cast.officer_a)
    assert {docs["a_unit"].pk, docs["district_subtree"].pk, docs["other_union"].pk} <= seen
    assert docs["b_public"].pk in seen
    assert docs["b_unit"].pk not in seen and docs["district_unit"].pk not in seen


def test_district_officer_sees_every_unit_below_but_not_another_district_unit_only(cast, docs):
    seen = visible(cast.district_officer)
    assert {docs["a_unit"].pk, docs["b_unit"].pk, docs["district_unit"].pk} <= seen
    assert docs["other_union"].pk in seen  # shared union-wide


def test_the_public_sees_only_public_documents_once_processed(cast, docs):
    assert visible(AnonymousUser()) == {docs["b_public"].pk}
    assert visible(cast.member_user) == {docs["b_public"].pk}
    Document.objects.filter(pk=docs["b_public"].pk).update(status=Status.OCR)
    assert visible(None) == set()


def test_only_officers_of_the_documents_unit_manage_it(cast, docs):
    assert rules.can_manage(cast.officer_a, docs["a_unit"])
    assert rules.can_manage(cast.district_officer, docs["a_unit"])
    assert not rules.can_manage(cast.officer_b, docs["a_unit"])
    # shared down to unit A, still the district's: A's officer may read it, not change it
    assert not rules.can_manage(cast.officer_a, docs["district_subtree"])
    assert not rules.can_manage(AnonymousUser(), docs["b_public"])


def test_officers_upload_only_into_units_they_manage(cast):
    assert rules.can_upload(cast.officer_a, cast.unit_a)
    assert not rules.can_upload(cast.officer_a, cast.district)
    assert not rules.can_upload(cast.member_user, cast.unit_a)


def test_review_counts_the_units_own_documents_not_those_shared_with_it(cast, docs):
    own = set(
        Document.objects.filter(rules.managed_q(scope_for(cast.officer_a))).values_list(
            "pk", flat=True
        )
    )
    assert own == {docs["a_unit"].pk}
    assert rules.can_see_indicator(cast.officer_a)
    assert not rules.can_see_indicator(cast.member_user)
