"""The pickers of the monitoring forms list their choices in Vietnamese order
(`orgs.collation`), not in the database's order of the code points."""

from __future__ import annotations

from typing import Any

import pytest

from congdoan.monitoring import selectors
from congdoan.monitoring.forms import AssignForm, ItemFilterForm
from congdoan.monitoring.models import Source, SourceKind
from congdoan.monitoring.tests import handle_helpers as h
from congdoan.orgs.tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_source_picker_is_in_vietnamese_order(cast: Any) -> None:
    for name in ["Zing News", "Điện lực", "Ánh sáng", "Dân trí", "Anh em", "Báo Lao Động"]:
        Source.objects.create(unit=cast.unit_a, kind=SourceKind.RSS, name=name)
    Source.objects.create(unit=cast.unit_a, kind=SourceKind.TIPS, name="Tin báo")
    form = ItemFilterForm(None, sources=selectors.sources_for(cast.officer_a))
    labels = [label for value, label in form.fields["source"].choices if value]  # type: ignore[attr-defined]
    assert labels == [
        "Anh em",
        "Ánh sáng",
        "Báo Lao Động",
        "Dân trí",
        "Điện lực",
        "Tin báo",
        "Zing News",
    ]
    chosen = Source.objects.get(name="Điện lực")
    bound = ItemFilterForm(
        {"source": str(chosen.pk)}, sources=selectors.sources_for(cast.officer_a)
    )
    assert bound.values()["source"] == chosen


def test_the_assignee_picker_keeps_the_vietnamese_name_order(cast: Any) -> None:
    story = h.narrative(cast.unit_a)
    f.officer(cast.unit_a, name="Nguyễn Văn Bình")
    f.officer(cast.unit_a, name="Trần Thị An")
    officers = selectors.assignable_officers(cast.district_officer, story)
    form = AssignForm(None, officers=officers)
    labels = [label for value, label in form.fields["assignee"].choices if value]  # type: ignore[attr-defined]
    assert labels == [u.get_full_name() for u in officers]
    # By given name: An before Bình (the database's order of full names puts Nguyễn first).
    assert labels.index("Trần Thị An") < labels.index("Nguyễn Văn Bình")
    someone = next(u for u in officers if u.get_full_name() == "Trần Thị An")
    assert AssignForm({"assignee": someone.pk}, officers=officers).is_valid()
    assert not AssignForm({"assignee": cast.officer_b.pk}, officers=officers).is_valid()
