"""Known false claims: created, corrected, deactivated by officers covering their unit, audited;
a corrected text drops the old meaning; detection hears of every change."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congdoan.audit.models import AuditEntry
from congdoan.monitoring.models import KnownClaim
from congdoan.monitoring.services import claims


def actions(claim: KnownClaim) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(claim.pk), action__startswith="monitoring.claim")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_create_update_deactivate(cast: Any, monkeypatch: Any) -> None:
    embedded: list[str] = []
    changed: list[int] = []
    detection = claims._detection()
    assert detection is not None
    monkeypatch.setattr(detection, "embed_claim", lambda c, **kw: embedded.append(c.claim))
    monkeypatch.setattr(detection, "claims_changed", lambda: changed.append(1), raising=False)

    claim = claims.create_claim(
        cast.officer_a,
        unit=cast.unit_a,
        claim="  Công đoàn giữ lại tiền hỗ trợ của công nhân  ",
        refutation="Tiền hỗ trợ đã chuyển đủ vào tài khoản từng người.",
    )
    assert claim.claim == "Công đoàn giữ lại tiền hỗ trợ của công nhân" and claim.active
    assert claim.created_by == cast.officer_a
    assert embedded == [claim.claim] and changed == [1]

    KnownClaim.objects.filter(pk=claim.pk).update(embedding=b"\x00" * 8)
    claims.update_claim(cast.district_officer, claim, refutation="Đã làm rõ tại hội nghị.")
    assert KnownClaim.objects.get(pk=claim.pk).embedding == b"\x00" * 8  # same text, same vector
    claims.update_claim(cast.officer_a, claim, claim="Công đoàn ăn chặn tiền hỗ trợ")
    stored = KnownClaim.objects.get(pk=claim.pk)
    assert stored.embedding is None and embedded[-1] == "Công đoàn ăn chặn tiền hỗ trợ"
    claims.update_claim(cast.officer_a, claim, claim="Công đoàn ăn chặn tiền hỗ trợ")  # nothing
    claims.deactivate_claim(cast.officer_a, claim)
    assert not KnownClaim.objects.get(pk=claim.pk).active and not claim.active
    claims.activate_claim(cast.officer_a, claim)
    assert actions(claim) == [
        "monitoring.claim.create",
        "monitoring.claim.update",
        "monitoring.claim.update",
        "monitoring.claim.deactivate",
        "monitoring.claim.activate",
    ]
    assert len(changed) == 5


def test_only_officers_covering_the_unit_write(cast: Any) -> None:
    with pytest.raises(PermissionDenied):
        claims.create_claim(cast.officer_b, unit=cast.unit_a, claim="Tin sai")
    with pytest.raises(PermissionDenied):
        claims.create_claim(cast.member_user, unit=cast.unit_a, claim="Tin sai")
    claim = claims.create_claim(cast.district_officer, unit=cast.district, claim="Tin sai")
    with pytest.raises(PermissionDenied):
        claims.deactivate_claim(cast.officer_a, claim)  # a level above: shown, not editable
    with pytest.raises(ValidationError):
        claims.create_claim(cast.officer_a, unit=cast.unit_a, claim="   ")


def test_a_bound_form_changed_the_claim_in_memory_and_it_is_still_saved(cast: Any) -> None:
    claim = claims.create_claim(cast.officer_a, unit=cast.unit_a, claim="Bản cũ")
    claim.claim = "Bản mới"  # what ModelForm.is_valid() does to its instance
    claims.update_claim(cast.officer_a, claim, claim="Bản mới")
    assert KnownClaim.objects.get(pk=claim.pk).claim == "Bản mới"
    assert actions(claim)[-1] == "monitoring.claim.update"


def test_a_changed_claim_drops_what_matching_kept_of_its_words(cast: Any, monkeypatch: Any) -> None:
    detection = claims._detection()
    assert detection is not None
    monkeypatch.setattr(detection, "embed_claim", lambda c, **kw: None)
    detection._KEY_WORDS[(1, 1)] = object()  # the key-word vectors of a claim, kept per process
    detection._REFUTATIONS[(1, 1)] = object()
    claims.create_claim(cast.officer_a, unit=cast.unit_a, claim="Công đoàn giữ lại tiền")
    assert not detection._KEY_WORDS and not detection._REFUTATIONS
