"""Grouping: copies and near-copies of one story across sources become one narrative.

Each item gets a MinHash signature of its character 5-grams (case and diacritics folded,
shorthand written out: :mod:`congdoan.text.neardup`), 128 values; the signature is cut into
32 bands of 4 values and each band hashed to a signed 64-bit key, stored in
`LshBucket` (band, key). Two items that share a bucket are candidates; a candidate is a copy
when the signatures' estimated Jaccard similarity is at least
``settings.MONITORING_NEAR_DUP_THRESHOLD`` (tuned on the near-duplicate pairs, `congdoan nlp
eval --only near-duplicates`). A new item is only ever compared with its candidates, found by
the (band, key) index, never with a scan of recent rows.

`assign(items)`, item by item in the order they were seen:
1. an item that already has a narrative keeps it (assign is idempotent);
2. else it joins the narrative of its most similar copy (in the database or earlier in the batch);
3. else a relevant item opens a new narrative (its unit: the unit of the item's source), and
   earlier copies that had none (scored irrelevant) join it; an irrelevant item without a copy
   gets its signature and buckets but no narrative;
4. an item at least 90 % the same as an indexed item of its story gets no buckets of its own
   (whatever finds it finds that one): the same comment posted a thousand times fills no
   bucket;
5. signatures, narratives and buckets are written in bulk; the narratives touched are
   refreshed (`refresh`).

`group_all(items)` is the same pass, named for a big batch (100,000 items of a file: 34.5 s
on this shared 2-CPU machine under a load of 3, 32 s of CPU, `congdoan bench monitoring`).
The signatures and keys come from :mod:`congdoan.text.neardup` (many texts at once, teen-code
and unaccented copies folded alike), the module the evaluation measures.

Two workers grouping copies of one new story at the same moment: on PostgreSQL the reading of
the candidates, the new narratives and the buckets are one transaction holding an advisory
lock on each bucket the batch looks up (a big batch: one lock on them all), taken before the
candidates are read, so the second worker waits and then joins the first's narrative
(`matching._guarded`). SQLite writes one transaction at a time but its reads before are not
guarded: there a second narrative for the same story stays possible, rarely.
"""

from congdoan.monitoring.grouping.figures import TITLE_CHARS, refresh, spread, title_of
from congdoan.monitoring.grouping.matching import (
    COVERED,
    MAX_CHECKED,
    assign,
    group_all,
    item_text,
    last_timings,
)
from congdoan.text.neardup import BANDS

__all__ = [
    "BANDS",
    "COVERED",
    "MAX_CHECKED",
    "TITLE_CHARS",
    "assign",
    "group_all",
    "item_text",
    "last_timings",
    "refresh",
    "spread",
    "title_of",
]
