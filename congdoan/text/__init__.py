"""Công Đoàn Số's Vietnamese language toolkit (pure Python, no Django).

Public API::

    from congdoan.text import normalize, fold, restore, sentences, words
    from congdoan.text.classify import TextClassifier
    from congdoan.text.match import minhash, jaccard_estimate, NearDuplicateIndex
    from congdoan.text.embed import embed
"""

from __future__ import annotations

from congdoan.text.normalize import normalize
from congdoan.text.restore import restore
from congdoan.text.segment import sentences, words
from congdoan.text.vietnamese import fold, strip_marks

__all__ = ["fold", "normalize", "restore", "sentences", "strip_marks", "words"]
