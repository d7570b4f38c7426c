"""Joining a contest: a member by their login, or anyone with a phone verified by an SMS code.

- MEMBERS contests: a logged-in user whose Member lies in the subtree of the contest's
  participation unit (`Contest.participation_unit_id`) joins at once; their unit is the
  member's unit.
- PHONE contests: anyone gives a phone number, a full name and a unit of the participation
  subtree (or their workplace as text), receives a 6-digit code by SMS (only its hash is kept,
  10 minutes, 5 tries; sending is rate-limited per phone and per address) and joins with it.
  A logged-in user whose account has a phone number (they log in with it) joins without a code.

One participant per phone, per login and per member in a contest: the model's unique
constraints decide, and a join that loses a race returns the participant already there.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from congdoan.accounts.models import User
from congdoan.contests.models import Contest, ContestStatus, Eligibility, Participant, PhoneCode
from congdoan.core import ratelimit
from congdoan.core.phones import normalize_phone
from congdoan.orgs.models import Member, Unit
from congdoan.outbox.services import sms_enqueue

CODE_MINUTES = 10
CODE_TRIES = 5
#: Codes a phone may be sent an hour, and an address in ten minutes.
CODES_PER_PHONE_HOUR = 3
CODES_PER_ADDRESS = 10
#: Codes a phone may try a minute, and joins an address may make a minute.
VERIFY_PER_MINUTE = 10
JOINS_PER_ADDRESS_MINUTE = 20
#: Units listed for a phone participant to choose from (beyond: the workplace as text).
UNIT_CHOICES_MAX = 300


class JoinError(Exception):
    """A refused join or code; `message` says why in Vietnamese."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def is_open_for_entry(contest: Contest) -> bool:
    return contest.status == ContestStatus.PUBLISHED


def participation_unit(contest: Contest) -> Unit:
    return Unit.objects.get(pk=contest.participation_unit_id)


def eligible_member(contest: Contest, user: User | None) -> Member | None:
    """The user's Member when it lies in the contest's participation subtree."""
    if user is None or not user.is_authenticated:
        return None
    root = participation_unit(contest)
    return (
        Member.objects.select_related("unit")
        .filter(user=user, left_on__isnull=True, unit__path__startswith=root.path)
        .first()
    )


def may_enter(contest: Contest, user: User | None) -> bool:
    """Whether this viewer may take part: anyone in a PHONE contest, eligible members else."""
    if not is_open_for_entry(contest):
        return False
    if contest.eligibility == Eligibility.PHONE:
        return True
    return eligible_member(contest, user) is not None


def unit_choices(contest: Contest) -> list[Unit]:
    """The units of the participation subtree a phone participant may choose (Vietnamese
    order), at most UNIT_CHOICES_MAX of them."""
    root = participation_unit(contest)
    return list(
        Unit.objects.filter(path__startswith=root.path, is_active=True).order_by("sort_key")[
            :UNIT_CHOICES_MAX
        ]
    )


def _existing(
    contest: Contest, *, user: User | None, member: Member | None, phone: str | None
) -> Participant | None:
    q = Q()
    if user is not None:
        q |= Q(user=user)
    if member is not None:
        q |= Q(member=member)
    if phone:
        q |= Q(phone=phone)
    if not q:
        return None
    return Participant.objects.filter(contest=contest).filter(q).order_by("pk").first()


def _create(
    contest: Contest,
    *,
    user: User | None,
    member: Member | None,
    phone: str | None = None,
    **fields: object,
) -> Participant:
    """Insert the participant; when a twin got there first (a double click, a second tab),
    the one already there (linked to this login when it had none)."""
    found = _existing(contest, user=user, member=member, phone=phone)
    if found is None:
        try:
            with transaction.atomic():
                return Participant.objects.create(
                    contest=contest, user=user, member=member, phone=phone, **fields
                )
        except IntegrityError:
            found = _existing(contest, user=user, member=member, phone=phone)
            if found is None:
                raise
    if user is not None and found.user_id is None:
        Participant.objects.filter(pk=found.pk, user__isnull=True).update(user=user)
        found.refresh_from_db()
    return found


def join_with_login(
    *,
    contest: Contest,
    user: User,
    unit: Unit | None = None,
    workplace: str = "",
    now: datetime | None = None,
) -> Participant:
    """A logged-in user joins: an eligible member (MEMBERS), or an account with a phone
    number (PHONE: their member's unit, else the unit or workplace they chose)."""
    now = now or timezone.now()
    if not is_open_for_entry(contest):
        raise JoinError(_("Cuộc thi này chưa mở hoặc đã kết thúc."))
    member = eligible_member(contest, user)
    if contest.eligibility == Eligibility.MEMBERS:
        if member is None:
            raise JoinError(
                _("Cuộc thi này dành cho đoàn viên của %(unit)s.")
                % {"unit": participation_unit(contest).name}
            )
        return _create(
            contest, user=user, member=member, full_name=member.full_name, unit=member.unit
        )
    phone = normalize_phone(user.phone or "")
    if phone is None:
        raise JoinError(_("Tài khoản của bạn chưa có số điện thoại: xin xác thực số bằng mã SMS."))
    chosen = member.unit if member is not None else _checked_unit(contest, unit, workplace)
    return _create(
        contest,
        user=user,
        member=member,
        full_name=member.full_name if member is not None else user.full_name,
        phone=phone,
        phone_verified_at=now,
        unit=chosen,
        workplace=workplace.strip()[:255],
    )


def _checked_unit(contest: Contest, unit: Unit | None, workplace: str) -> Unit | None:
    if unit is not None:
        root = participation_unit(contest)
        if not unit.path.startswith(root.path):
            raise JoinError(_("Đơn vị đã chọn không thuộc phạm vi cuộc thi."))
        return unit
    if not workplace.strip():
        raise JoinError(_("Xin chọn đơn vị hoặc ghi nơi làm việc của bạn."))
    return None


def _code_hash(contest: Contest, phone: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"contest:{contest.pk}:{phone}:{code}".encode(), "sha256"
    ).hexdigest()


def clean_phone(raw: str) -> str:
    phone = normalize_phone(raw)
    if phone is None:
        raise JoinError(_("Số điện thoại không hợp lệ."))
    return phone


@transaction.atomic
def phone_code_send(
    *, contest: Contest, phone: str, address: str = "", now: datetime | None = None
) -> PhoneCode:
    """Send a 6-digit code to `phone` (normalised) for joining `contest`; earlier codes stop
    working. Refused past the limits per phone and per address."""
    now = now or timezone.now()
    if not is_open_for_entry(contest) or contest.eligibility != Eligibility.PHONE:
        raise JoinError(_("Cuộc thi này không nhận đăng ký bằng số điện thoại."))
    phone = clean_phone(phone)
    if address and not ratelimit.hit(
        f"contests:code_ip:{address}", limit=CODES_PER_ADDRESS, window=600
    ):
        raise JoinError(_("Bạn đã yêu cầu quá nhiều mã. Xin thử lại sau ít phút."))
    if not ratelimit.hit(f"contests:code_phone:{phone}", limit=CODES_PER_PHONE_HOUR, window=3600):
        raise JoinError(_("Số này đã được gửi nhiều mã trong giờ qua. Xin thử lại sau."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    PhoneCode.objects.filter(contest=contest, phone=phone, used_at__isnull=True).update(used_at=now)
    sent = PhoneCode.objects.create(
        contest=contest,
        phone=phone,
        code_hash=_code_hash(contest, phone, code),
        created_at=now,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    with override(settings.LANGUAGE_CODE):
        text = _(
            "Công Đoàn Số: mã dự thi của bạn là %(code)s (dùng trong %(minutes)s phút)."
            " Đừng đưa mã này cho ai."
        ) % {"code": code, "minutes": CODE_MINUTES}
    sms_enqueue(
        to=phone,
        text=text,
        purpose="contests.join_code",
        ref=f"contest:{contest.pk}",
    )
    return sent


def phone_join(
    *,
    contest: Contest,
    phone: str,
    code: str,
    full_name: str,
    unit: Unit | None = None,
    workplace: str = "",
    user: User | None = None,
    now: datetime | None = None,
) -> Participant:
    """Check the code sent to `phone` and make (or find) the participant of this phone.

    A wrong code counts a try; five wrong tries, or ten minutes, and the code is dead.
    """
    now = now or timezone.now()
    if not is_open_for_entry(contest) or contest.eligibility != Eligibility.PHONE:
        raise JoinError(_("Cuộc thi này không nhận đăng ký bằng số điện thoại."))
    phone = clean_phone(phone)
    full_name = " ".join(full_name.split())[:200]
    if not full_name:
        raise JoinError(_("Xin ghi họ và tên."))
    chosen = _checked_unit(contest, unit, workplace)
    if not ratelimit.hit(f"contests:verify:{phone}", limit=VERIFY_PER_MINUTE):
        raise JoinError(_("Bạn đã thử quá nhiều lần. Xin thử lại sau ít phút."))
    live = (
        PhoneCode.objects.filter(
            contest=contest,
            phone=phone,
            used_at__isnull=True,
            expires_at__gt=now,
            tries__lt=CODE_TRIES,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if live is None:
        raise JoinError(_("Mã đã hết hạn hoặc đã dùng hết số lần thử. Xin gửi lại mã mới."))
    if not hmac.compare_digest(live.code_hash, _code_hash(contest, phone, code.strip())):
        PhoneCode.objects.filter(pk=live.pk).update(tries=live.tries + 1)
        left = CODE_TRIES - live.tries - 1
        raise JoinError(
            _("Mã không đúng. Bạn còn %(n)s lần thử.") % {"n": left}
            if left > 0
            else _("Mã không đúng. Mã này đã hết lượt thử: xin gửi lại mã mới.")
        )
    with transaction.atomic():
        if (
            PhoneCode.objects.filter(pk=live.pk, used_at__isnull=True).update(used_at=now) != 1
        ):  # the same code used at the same moment by a second tab: the participant is there
            found = _existing(contest, user=None, member=None, phone=phone)
            if found is None:
                raise JoinError(_("Mã đã được dùng. Xin gửi lại mã mới."))
            return found
        member = eligible_member(contest, user)
        return _create(
            contest,
            user=user if user is not None and user.is_authenticated else None,
            member=member,
            full_name=full_name,
            phone=phone,
            phone_verified_at=now,
            unit=member.unit if member is not None else chosen,
            workplace=workplace.strip()[:255],
        )
