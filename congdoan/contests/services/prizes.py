"""Prizes of a contest: by rank (Nhất, Nhì, Ba, Khuyến khích, in the order added, each with a
count and an amount) and by unit (to the highest participation rates); who wins them is read
by `selectors.results`. Audited; bad input raises `ValidationError` and writes nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.contests.models import Contest, Prize, PrizeKind
from congdoan.orgs.scoping import Viewer


@transaction.atomic
def prize_save(
    *,
    actor: Viewer,
    contest: Contest,
    kind: str,
    name: str,
    count: int,
    amount_vnd: int = 0,
    position: int | None = None,
    prize: Prize | None = None,
) -> Prize:
    name = " ".join(name.split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Hãy nhập tên giải.")
    if kind not in PrizeKind.values:
        errors["kind"] = _("Loại giải không hợp lệ.")
    if not 1 <= count <= 1000:
        errors["count"] = _("Số giải từ 1 đến 1.000.")
    if amount_vnd < 0:
        errors["amount_vnd"] = _("Giá trị giải không âm.")
    if errors:
        raise ValidationError(errors)
    created = prize is None
    if prize is None:
        if position is None:
            last = contest.prizes.filter(kind=kind).order_by("-position").first()
            position = (last.position + 1) if last else 0
        prize = Prize(contest=contest, kind=kind)
    prize.name, prize.count, prize.amount_vnd = name, count, amount_vnd
    if position is not None:
        prize.position = position
    prize.save()
    audit_record(
        actor=actor,
        action="contests.prize.create" if created else "contests.prize.update",
        target=prize,
        unit=contest.unit,
        changes={"name": name, "count": count, "amount_vnd": amount_vnd},
    )
    return prize


@transaction.atomic
def prize_delete(*, actor: Viewer, prize: Prize) -> None:
    if prize.certificates.exists():
        raise ValidationError(_("Giải đã có giấy chứng nhận, không xóa được."))
    audit_record(actor=actor, action="contests.prize.delete", target=prize, unit=prize.contest.unit)
    prize.delete()
