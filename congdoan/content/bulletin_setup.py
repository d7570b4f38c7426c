"""What the e-bulletin and the calendar add at start-up (ContentConfig.ready() calls
`register()`): their periodic jobs and their links on the home page and the dashboard.

Each job is safe to run as often as the scheduler likes: the digest of a week is sent once
(`BulletinIssue`), loading a year twice changes nothing, a reminder is sent once per unit.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from congdoan.core.registry import register_officer_link, register_public_link
from congdoan.periodic.registry import register_job


def register() -> None:
    register_job(
        "content.bulletin_send",
        every=lambda: timedelta(hours=1),
        run="congdoan.content.bulletin.digest_send",
    )
    register_job(
        "content.highlights_load",
        every=lambda: timedelta(days=1),
        run="congdoan.content.calendar.highlights_load_due",
    )
    register_job(
        "content.calendar_remind",
        every=lambda: timedelta(hours=6),
        run="congdoan.content.calendar.reminders_send",
    )
    register_public_link(
        "bulletin:index",
        _("Bản tin điện tử"),
        40,
        _("Tin bài công khai của tuần; nhận bản tin qua e-mail."),
    )
    register_officer_link(
        "bulletin:calendar",
        _("Lịch truyền thông"),
        16,
        _("Các mốc trong năm, sản phẩm và sự kiện gắn với từng mốc; lịch trên điện thoại."),
    )
    register_officer_link(
        "bulletin:digital_share",
        _("Tỷ lệ sản phẩm số"),
        17,
        _("Sản phẩm số trên tổng số sản phẩm đã đăng, theo đơn vị; mục tiêu 50 % vào năm 2028."),
    )
