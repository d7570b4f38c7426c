"""The meaning of each passage, for questions that share no word with the law ("sếp bắt ở lại
tới 10 giờ đêm" and "làm thêm giờ"). Computed with the toolkit's optional embedding model
(congdoan.text.embed: multilingual-e5-small, bundled, offline) once per text, in the
background after an import, and stored on the version as float16 (384 wide, one row per
passage in `search.passages.article_passages` order). Without the model, nothing is stored and
the ranking is lexical only."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
from django.conf import settings

from congdoan.legal.models import ArticleVersion
from congdoan.legal.search.passages import article_passages
from congdoan.text import embed

#: Characters of a passage the model reads (e5-small sees 512 tokens; the head says most).
MAX_PASSAGE_CHARS = 1200


def available() -> bool:
    """Whether meaning is used: the model is installed and LEGAL_EMBEDDINGS is on."""
    return bool(settings.LEGAL_EMBEDDINGS) and embed.available()


def passage_texts(version: ArticleVersion) -> list[str]:
    article = version.article
    pieces = article_passages(
        article.pk, article.number, article.title, version.text, version.clauses
    )
    return [f"{p.title}. {p.text}"[:MAX_PASSAGE_CHARS] for p in pieces]


def embed_versions(
    version_ids: Iterable[int] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Store the vectors of the given versions (or of every version without them); returns how
    many were written. Does nothing when no embedding model is installed."""
    if not available():
        return 0
    rows = ArticleVersion.objects.select_related("article")
    rows = (
        rows.filter(pk__in=list(version_ids))
        if version_ids is not None
        else rows.filter(vectors__isnull=True)
    )
    todo = list(rows.order_by("pk"))
    done = 0
    for version in todo:
        texts = passage_texts(version)
        matrix = embed.embed(texts, kind="passage").astype(np.float16)
        # Written only if the text is still the one embedded (a re-import may have changed it).
        done += ArticleVersion.objects.filter(pk=version.pk, digest=version.digest).update(
            vectors=matrix.tobytes()
        )
        if progress:
            progress(done, len(todo))
    return done
