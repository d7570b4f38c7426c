"""Sources: created and edited by officers (audited), fetched on their schedule.

`fetch_due()` is the periodic job (every MONITORING_FETCH_DUE_EVERY_MINUTES): each active
source that is fetched (RSS, web page, Facebook, YouTube) and whose own `every_minutes` has
elapsed since its last fetch is claimed (a conditional UPDATE of last_fetched_at, so two
schedulers never both take it) and its fetch queued as a task: one slow or broken source never
holds up the others, nor the scheduler. `fetch_source` (services.fetching) does the reading.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.monitoring import tasks
from congdoan.monitoring.fetch import FetchFailed, FetchRefused, check_url
from congdoan.monitoring.models import Source, SourceKind
from congdoan.monitoring.services.fetching import fetch_source
from congdoan.monitoring.sources import FETCHED_KINDS
from congdoan.orgs.models import Unit

EDITABLE = (
    "name",
    "kind",
    "url",
    "external_ref",
    "keywords",
    "every_minutes",
    "active",
)
MIN_EVERY_MINUTES = 5


def _validate(source: Source) -> None:
    errors: dict[str, list[str]] = {}
    try:
        source.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if source.kind in (SourceKind.RSS, SourceKind.WEB) and not source.url:
        errors.setdefault("url", []).append(_("Nguồn RSS hoặc trang web cần địa chỉ."))
    if source.kind in (SourceKind.FACEBOOK, SourceKind.YOUTUBE) and not source.external_ref:
        errors.setdefault("external_ref", []).append(
            _("Cần mã trang Facebook hoặc mã video YouTube.")
        )
    if source.every_minutes < MIN_EVERY_MINUTES:
        errors.setdefault("every_minutes", []).append(
            _("Lấy tin nhiều nhất %(n)s phút một lần.") % {"n": MIN_EVERY_MINUTES}
        )
    if source.url and "url" not in errors:
        try:
            check_url(source.url)
        except FetchRefused as exc:
            errors.setdefault("url", []).append(str(exc))
        except FetchFailed:
            pass  # an unknown host today may answer tomorrow: health will say
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_source(
    user: Any, *, unit: Unit, watched_units: Iterable[Unit] = (), **fields: Any
) -> Source:
    """A new source of `unit`; ValidationError (by field) when it cannot be watched."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown source fields: {sorted(unknown)}")
    source = Source(
        unit=unit,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        **fields,
    )
    _validate(source)
    source.save()
    source.watched_units.set(list(watched_units))
    audit_record(
        actor=user,
        action="monitoring.source.create",
        target=source,
        changes={"kind": source.kind, "url": source.url, "external_ref": source.external_ref},
    )
    return source


@transaction.atomic
def update_source(
    user: Any, source: Source, *, watched_units: Iterable[Unit] | None = None, **fields: Any
) -> Source:
    """Edit a source (its unit stays); a new address or kind starts its change detection
    afresh."""
    fields.pop("unit", None)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown source fields: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(source, name) != value]
    for name, value in fields.items():
        setattr(source, name, value)
    if {"url", "kind", "external_ref"} & set(changed):
        source.etag = source.last_modified = source.page_hash = ""
    _validate(source)
    source.save()
    if watched_units is not None:
        before = set(source.watched_units.values_list("pk", flat=True))
        units = list(watched_units)
        if before != {u.pk for u in units}:
            changed.append("watched_units")
            source.watched_units.set(units)
    if changed:
        audit_record(
            actor=user,
            action="monitoring.source.update",
            target=source,
            changes={"fields": changed},
        )
    return source


def due_sources(now: Any = None) -> list[Source]:
    now = now or timezone.now()
    due = []
    for source in Source.objects.filter(active=True, kind__in=FETCHED_KINDS).order_by("pk"):
        last = source.last_fetched_at
        if last is None or last + timedelta(minutes=source.every_minutes) <= now:
            due.append(source)
    return due


def fetch_due() -> int:
    """Queue a fetch of every source that is due (see the module's docstring); how many."""
    now = timezone.now()
    queued = 0
    for source in due_sources(now):
        claimed = Source.objects.filter(
            pk=source.pk, last_fetched_at=source.last_fetched_at
        ).update(last_fetched_at=now)
        if not claimed:
            continue
        transaction.on_commit(partial(tasks.fetch_source_task.enqueue, source.pk))
        queued += 1
    return queued


__all__ = ["create_source", "due_sources", "fetch_due", "fetch_source", "update_source"]
