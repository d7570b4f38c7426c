"""Who may do what with a unit's activities, training, channels and budget.

In words:
- an officer records and edits the rows of the units in their scope (their subtree), and sees
  only those; an administrator everything;
- a good example is acted on (forwarded up, recognised, returned) by the officers of the unit
  that holds it now (the level above the unit that submitted it, then the next one up), and only
  while it waits (submitted or forwarded);
- a returned example is corrected and sent again by the officers of the unit that submitted it;
- it goes up while its holder has a level above that is still below the province (the city or
  provincial federation, whose Propaganda Department has the last word).
"""

from __future__ import annotations

from congdoan.activities.models import ExampleStatus, GoodExample
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import can_manage_unit
from congdoan.orgs.scoping import Viewer, scope_for

#: Levels ranked this high or higher (0 = the confederation, 1 = a province or city) are the
#: last stop of a good example.
TOP_RANK = 1


def can_record_for(viewer: Viewer, unit: Unit) -> bool:
    """The viewer may record and edit this unit's activities, training, channels and budget."""
    return can_manage_unit(viewer, unit)


def can_act_on_example(viewer: Viewer, example: GoodExample) -> bool:
    holder = example.holder
    if holder is None or example.status not in (
        ExampleStatus.SUBMITTED,
        ExampleStatus.FORWARDED,
    ):
        return False
    return scope_for(viewer).covers_path(holder.path)


def can_forward_example(viewer: Viewer, example: GoodExample) -> bool:
    holder = example.holder
    return (
        can_act_on_example(viewer, example)
        and holder is not None
        and holder.parent_id is not None
        and holder.level.rank > TOP_RANK
    )


def can_resubmit_example(viewer: Viewer, example: GoodExample) -> bool:
    """The submitting unit's officers send a returned example again, corrected."""
    return example.status == ExampleStatus.RETURNED and can_manage_unit(viewer, example.unit)
