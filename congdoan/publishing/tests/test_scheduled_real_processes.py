"""A product scheduled for later is published by the real scheduler process when its time
comes, and its Facebook post is made by the real worker process — once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from conftest import database_url
from congdoan import testing
from congdoan.content.models import Product, ProductStatus
from congdoan.periodic.models import PeriodicJob
from congdoan.periodic.registry import JOBS
from congdoan.publishing.models import ChannelAccount, ChannelChoice, Publication, PublicationStatus
from congdoan.publishing.tests.fakes import FakeGraph

pytestmark = pytest.mark.django_db(transaction=True)


def _scheduler_once(env_extra: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=database_url(),
        TASKS_BACKEND="rq",
        REDIS_URL=testing.REDIS_URL_FOR_TESTS,
        DJANGO_SETTINGS_MODULE="congdoan.config.settings",
        **env_extra,
    )
    done = subprocess.run(
        [sys.executable, "-m", "congdoan.config.cli", "scheduler", "--once"],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_a_scheduled_product_is_published_by_the_scheduler_and_posted_once_by_the_worker(
    cast: Any,
    graph: FakeGraph,
    facebook_page: ChannelAccount,
    make_product: Callable[..., Product],
    rq_worker: Callable[[], str],
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    product = make_product(
        status=ProductStatus.SCHEDULED,
        published_at=None,
        publish_at=timezone.now() + timedelta(hours=1),
    )
    ChannelChoice.objects.create(product=product, account=facebook_page, chosen_by=cast.officer_a)
    # Only the publishing job is due: the others (reach figures, reminders…) wait.
    later = timezone.now() + timedelta(days=1)
    for name in JOBS:
        PeriodicJob.objects.update_or_create(name=name, defaults={"next_run_at": later})
    PeriodicJob.objects.filter(name="content.publish_due").update(next_run_at=timezone.now())
    extra = {
        "FACEBOOK_GRAPH_BASE": graph.url,
        "SITE_URL": settings.SITE_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    for key, value in extra.items():
        monkeypatch.setenv(key, value)  # the worker process started by rq_worker reads them

    _scheduler_once(extra)  # not yet time: nothing happens
    assert Product.objects.get(pk=product.pk).status == ProductStatus.SCHEDULED

    Product.objects.filter(pk=product.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    PeriodicJob.objects.filter(name="content.publish_due").update(next_run_at=timezone.now())
    _scheduler_once(extra)
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED and product.published_at is not None
    assert graph.posts == []  # the post waits for the worker

    rq_worker()
    rq_worker()  # a second pass finds nothing left to send
    publication = Publication.objects.get(product=product, account=facebook_page)
    assert publication.status == PublicationStatus.PUBLISHED
    assert len(graph.posts) == 1
