"""Models of the e-bulletin and of the calendar (imported at the end of content/models.py).

E-bulletin ("Bản tin điện tử", bulletin.py):
- `BulletinSubscriber`: an e-mail address, PENDING until its owner follows the confirmation
  link (double opt-in: no digest is sent before), CONFIRMED, or UNSUBSCRIBED (kept, so a link
  in an old mail still answers and the address is never mailed again unasked);
- `BulletinIssue`: one week's digest, created once when it is sent (so a week is sent once);
- `BulletinClick`: clicks on a product in one issue, all of them (a person clicking twice
  counts twice);
- `BulletinSend`: the digest of one issue mailed to one subscriber, with the random token of
  its open pixel and link redirects, and whether (not when from where) it was opened or
  clicked: what makes opens and clicks countable once per person; `BulletinSendClick`: which
  link of that mail was clicked (once each). No address (IP) and no browser is kept;
- `BulletinAck`: a signed-in member pressed "Tôi đã đọc bản tin này" on a sent issue's page
  (once per member and issue): the plan's evidence that the member was reached (issue 15),
  read only as counts and member ids (`selectors.bulletin_ack_member_ids`), never shown per
  person, like `ProductRead`.

Calendar (calendar.py):
- `StandardHighlight`: which `Highlight` the yearly loader made for an entry of its table, so
  loading again finds it even after an officer renamed it;
- `HighlightOccurrence`: a highlight in one year (its solar dates), what the loader writes;
- `HighlightReminder`: a reminder sent to one unit's officers for one occurrence (once);
- `CalendarFeedToken`: the secret of an officer's private iCalendar link (only its hash is
  kept; revoking it ends the feed).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.orgs.models import Unit


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xác nhận")
    CONFIRMED = "confirmed", _("Đang nhận")
    UNSUBSCRIBED = "unsubscribed", _("Đã hủy")


class BulletinSubscriber(models.Model):
    email = models.EmailField(_("e-mail"), unique=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirm_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("người nhận bản tin")
        verbose_name_plural = _("người nhận bản tin")

    def __str__(self) -> str:
        return self.email


class BulletinIssue(models.Model):
    """The digest of one ISO week; the row exists once the week was sent."""

    year = models.PositiveSmallIntegerField()
    week = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)
    products = models.PositiveIntegerField(default=0)
    # The links of the digest mail, in their order (n = index + 1 in /ban-tin/r/<token>/<n>/):
    # [{"product": id or None, "path": "/…"}]; a redirect goes only to one of these.
    links = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-year", "-week"]
        constraints = [
            models.UniqueConstraint(fields=["year", "week"], name="content_bulletin_issue_week")
        ]
        verbose_name = _("số bản tin")
        verbose_name_plural = _("số bản tin")

    def __str__(self) -> str:
        return f"{self.year}-{self.week:02d}"


class BulletinClick(models.Model):
    issue = models.ForeignKey(BulletinIssue, on_delete=models.CASCADE, related_name="clicks")
    product = models.ForeignKey(
        "content.Product", on_delete=models.CASCADE, related_name="bulletin_clicks"
    )
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "product"], name="content_bulletin_click_issue_product"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issue} {self.product_id}: {self.clicks}"


class BulletinSend(models.Model):
    issue = models.ForeignKey(BulletinIssue, on_delete=models.CASCADE, related_name="sends")
    subscriber = models.ForeignKey(
        BulletinSubscriber, on_delete=models.CASCADE, related_name="sends"
    )
    # Random, in this mail only (its pixel and its links): guessing another's is hopeless.
    token = models.CharField(max_length=43, unique=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="content_bulletin_send_issue_subscriber"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issue} → #{self.subscriber_id}"


class BulletinSendClick(models.Model):
    send = models.ForeignKey(BulletinSend, on_delete=models.CASCADE, related_name="clicks")
    position = models.PositiveSmallIntegerField()
    product = models.ForeignKey(
        "content.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    clicked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["send", "position"], name="content_bulletin_send_click_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.send_id} #{self.position}"


class BulletinAck(models.Model):
    member = models.ForeignKey(
        "orgs.Member", on_delete=models.CASCADE, related_name="bulletin_acks", editable=False
    )
    issue = models.ForeignKey(
        BulletinIssue, on_delete=models.CASCADE, related_name="acks", editable=False
    )
    acknowledged_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "issue"], name="content_bulletin_ack_member_issue"
            )
        ]
        indexes = [models.Index(fields=["acknowledged_at"], name="content_bulletin_ack_at")]
        verbose_name = _("xác nhận đã đọc bản tin")
        verbose_name_plural = _("xác nhận đã đọc bản tin")

    def __str__(self) -> str:
        return f"{self.member_id} read {self.issue_id}"


class StandardHighlight(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    highlight = models.OneToOneField(
        "content.Highlight", on_delete=models.CASCADE, related_name="standard"
    )

    def __str__(self) -> str:
        return self.code


class HighlightOccurrence(models.Model):
    highlight = models.ForeignKey(
        "content.Highlight", on_delete=models.CASCADE, related_name="occurrences"
    )
    year = models.PositiveSmallIntegerField()
    starts_on = models.DateField(db_index=True)
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on", "highlight__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["highlight", "year"], name="content_occurrence_highlight_year"
            )
        ]
        verbose_name = _("mốc sự kiện của năm")
        verbose_name_plural = _("mốc sự kiện của năm")

    def __str__(self) -> str:
        return f"{self.highlight} {self.starts_on}"


class HighlightReminder(models.Model):
    occurrence = models.ForeignKey(
        HighlightOccurrence, on_delete=models.CASCADE, related_name="reminders"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "unit"], name="content_reminder_occurrence_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurrence} → {self.unit_id}"


class CalendarFeedToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk}"  # not even the prefix: the audit log names the link by this
