"""Writes to training: courses, their sessions, who attended and their certificates."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from congdoan.activities.models import Course, CourseTopic, TrainingAttendance, TrainingSession
from congdoan.activities.services._common import clean_title, require_unit
from congdoan.audit.services import audit_record
from congdoan.orgs.models import Level, Member, Unit
from congdoan.orgs.scoping import Viewer


@transaction.atomic
def course_create(
    *, actor: Viewer, unit: Unit, title: str, topic: str, description: str = ""
) -> Course:
    require_unit(actor, unit)
    if topic not in CourseTopic.values:
        raise ValidationError(_("Chủ đề không hợp lệ."))
    course = Course.objects.create(
        unit=unit,
        title=clean_title(title, _("tên lớp, khóa tập huấn")),
        topic=topic,
        description=description.strip(),
    )
    audit_record(
        actor=actor, action="activities.course.create", target=course, changes={"topic": topic}
    )
    return course


@transaction.atomic
def session_create(
    *,
    actor: Viewer,
    course: Course,
    unit: Unit,
    held_on: date,
    place: str = "",
    level: Level | None = None,
) -> TrainingSession:
    """A session of the course, organised by `unit` (the course's unit or one under it)."""
    require_unit(actor, unit)
    if not unit.path.startswith(course.unit.path) and not course.unit.path.startswith(unit.path):
        raise ValidationError(_("Đơn vị tổ chức không thuộc phạm vi của khóa tập huấn."))
    session = TrainingSession.objects.create(
        course=course, unit=unit, held_on=held_on, place=place.strip()[:255], level=level
    )
    audit_record(
        actor=actor,
        action="activities.session.create",
        target=session,
        unit=unit,
        changes={"course": course.title, "held_on": held_on},
    )
    return session


@transaction.atomic
def training_attendance_set(
    *,
    actor: Viewer,
    session: TrainingSession,
    member: Member,
    certificate_number: str = "",
    audit: bool = True,
) -> TrainingAttendance:
    """The member attended the session (and got this certificate, if any): written once per
    member and session; a second call changes the certificate number."""
    require_unit(actor, session.unit)
    if not member.unit.path.startswith(session.unit.path):
        raise ValidationError(_("Người này không thuộc đơn vị tổ chức buổi tập huấn."))
    number = " ".join(certificate_number.split())[:40]
    if (
        number
        and TrainingAttendance.objects.filter(certificate_number=number)
        .exclude(session=session, member=member)
        .exists()
    ):
        raise ValidationError(_("Số chứng nhận %(n)s đã cấp cho người khác.") % {"n": number})
    try:
        with transaction.atomic():
            row, created = TrainingAttendance.objects.update_or_create(
                session=session, member=member, defaults={"certificate_number": number}
            )
    except IntegrityError:
        raise ValidationError(
            _("Số chứng nhận %(n)s đã cấp cho người khác.") % {"n": number}
        ) from None
    if not audit:
        return row
    audit_record(
        actor=actor,
        action="activities.training.attend",
        target=session,
        unit=session.unit,
        changes={"member": member.full_name, "certificate": number, "new": created},
    )
    return row


@transaction.atomic
def training_attendance_remove(*, actor: Viewer, row: TrainingAttendance) -> None:
    require_unit(actor, row.session.unit)
    audit_record(
        actor=actor,
        action="activities.training.remove",
        target=row.session,
        unit=row.session.unit,
        changes={"member": row.member.full_name},
    )
    row.delete()
