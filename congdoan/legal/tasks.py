"""Background work of the legal app (django-tasks): embedding the texts an import brought."""

from __future__ import annotations

from django_tasks import task

from congdoan.legal import embedding


@task()
def embed_versions(version_ids: list[int]) -> int:
    return embedding.embed_versions(version_ids)
