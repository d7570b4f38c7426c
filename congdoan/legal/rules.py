"""Who may do what with the law (built on congdoan.orgs.scoping):
- everyone, without an account, reads laws, articles and published curated answers, and asks;
- an administrator imports laws (a law is the same for the whole tree);
- an officer writes curated answers for a unit in their scope; the officers of that unit's
  subtree's upper levels (whoever covers it) edit, publish and review them;
- any officer sees the questions workers asked that found no good answer (they are anonymous
  and belong to no unit).
"""

from __future__ import annotations

from typing import Any

from congdoan.legal.models import CuratedAnswer
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer, scope_for


def can_import_laws(viewer: Viewer) -> bool:
    return scope_for(viewer).is_admin


def is_legal_officer(viewer: Viewer) -> bool:
    return scope_for(viewer).is_officer


def can_write_answer_for(viewer: Viewer, unit: Unit) -> bool:
    return scope_for(viewer).covers_path(unit.path)


def can_edit_answer(viewer: Viewer, answer: CuratedAnswer) -> bool:
    return scope_for(viewer).covers_path(answer.unit.path)


def can_see_answer(viewer: Viewer | Any, answer: CuratedAnswer) -> bool:
    return answer.is_published or can_edit_answer(viewer, answer)
