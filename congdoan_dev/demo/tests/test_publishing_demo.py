from __future__ import annotations

import importlib
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.content import audio, reach
from congdoan.content.models import MediaKind, ProductMedia
from congdoan.content.models_bulletin import BulletinIssue, BulletinSend
from congdoan.publishing.models import ChannelAccount, ChannelChoice, ChannelKind, Publication
from congdoan_dev.demo import content as content_demo
from congdoan_dev.demo import orgs as orgs_demo
from congdoan_dev.demo import publishing as demo

pytestmark = pytest.mark.django_db

_themes_migration = importlib.import_module("congdoan.content.migrations.0002_seven_themes")


def test_demo_reach_has_figures_in_the_past_and_is_idempotent(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # the audio bulletins' files
    _themes_migration.create_themes(apps, None)
    orgs_demo.seed()
    content_demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    accounts = list(ChannelAccount.objects.all())
    # Clearly demo: named so, no token stored.
    assert accounts and all("mẫu" in a.display_name for a in accounts)
    assert all(not a.credentials_encrypted for a in accounts)
    now = timezone.now()
    posts = list(Publication.objects.select_related("metrics", "product"))
    assert len(posts) >= 5
    for post in posts:  # only where the real senders would have posted it
        kinds = set(post.product.media.values_list("kind", flat=True))
        if post.kind == ChannelKind.YOUTUBE:
            assert MediaKind.VIDEO in kinds
        if post.kind == ChannelKind.ZALO_OA:
            assert MediaKind.PHOTO in kinds
    for post in posts:
        assert post.published_at is not None and post.published_at <= now
        assert post.product.published_at is not None
        assert post.published_at >= post.product.published_at
        assert post.metrics.fetched_at is not None and post.metrics.fetched_at <= now
        # The channel page shows the channels ticked for what was posted there.
        assert ChannelChoice.objects.filter(product=post.product, account=post.account).exists()
        # What was posted is the version published then, not a later correction.
        posted = post.product.versions.get(number=post.version)
        assert posted.created_at <= post.published_at
    officer = User.objects.get(email="vanphong@ldldphuxuyen.vn")
    summary = reach.reach_summary(viewer=officer, year=2026)
    assert summary.rows and any(row.channels for row in summary.rows)
    issues = list(BulletinIssue.objects.all())
    assert len(issues) == demo.ISSUES
    assert all(i.sent_at <= now and i.recipients > 0 for i in issues)
    sends = BulletinSend.objects.filter(issue__in=issues)
    assert 0 < sends.filter(opened_at__isnull=False).count() < sends.count()
    assert sends.filter(clicked_at__isnull=False).exists()
    if audio.get_engine().unavailable() is None:
        assert ProductMedia.objects.filter(kind=MediaKind.AUDIO).count() == 2
    demo.seed(stdout=StringIO())
    assert Publication.objects.count() == len(posts)
    assert BulletinIssue.objects.count() == len(issues)
