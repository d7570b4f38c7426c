"""Free-text answers grouped by topic, with the text toolkit (`congdoan.text`).

A survey's texts are short and about anything the question asked, so no trained topic
model fits them (feedback's is trained on concerns). Instead, `group_texts`:
1. normalises each text and splits it into words (`text.words`: a word's syllables stay
   together, "bảo hiểm" is one word) and pairs of syllables side by side, folded
   (`text.fold`) so that answers typed without marks meet those with; function words are
   left out;
2. merges near-duplicates first (`text.match`: MinHash of character shingles, estimated
   Jaccard ≥ 0.7): a text written twice counts in one group;
3. repeatedly takes the word that the most remaining texts share (at least two texts) as a
   group: its label is that word as most often written, joined by another word every text
   of the group holds (when it is not the same phrase); the texts holding it leave the pool;
4. what is left (no word shared with another text) is "Ý kiến khác".
Each group carries its count and up to three examples (the longest first: they say most).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from congdoan.text import fold, normalize, words
from congdoan.text.match import jaccard_estimate, minhash

MAX_GROUPS = 8
EXAMPLES = 3
NEAR_DUPLICATE = 0.7

# Folded function words and fillers that say nothing of a topic.
_STOP_WORDS = """
va la cua co cho cac nhung mot duoc khong thi ma voi de o trong tren duoi ve tu den nay
do kia toi ban minh chung em anh chi ho no nguoi rat qua hon nhat cung da dang se can
muon nen hay hoac neu vi nhieu it them nua van con lai ra vao khi lam thay biet gi nao
sao the nhu bang theo tai boi hien nhe a oi thoi roi chua moi luc cd cdcs khac xin
"""
# Words of two syllables that every answer of a union survey may hold.
_STOP_PHRASES = {"cong doan", "y kien", "gop y", "thong tin", "cam on", "vui long", "muon biet"}
STOP = frozenset(_STOP_WORDS.split()) | _STOP_PHRASES


@dataclass
class TextGroup:
    label: str
    count: int
    examples: list[str] = field(default_factory=list)


def _keys(text: str) -> tuple[set[str], dict[str, str]]:
    """The folded content words of a text (and the pairs of syllables side by side, so that
    "bao hiem xa hoi" typed without marks meets "bảo hiểm thất nghiệp"), each with its first
    written form."""
    keys: set[str] = set()
    written: dict[str, str] = {}
    syllables: list[tuple[str, str]] = []

    def add(key: str, form: str) -> None:
        if len(key) < 2 or key in STOP or key.isdigit() or not any(c.isalpha() for c in key):
            return
        keys.add(key)
        written.setdefault(key, form)

    for word in words(normalize(text)):
        form = word.lower()
        add(fold(form).strip(), form)
        syllables += [(fold(s), s) for s in form.split() if any(c.isalpha() for c in s)]
    for (a, fa), (b, fb) in pairwise(syllables):
        if a not in STOP and b not in STOP:
            add(f"{a} {b}", f"{fa} {fb}")
    return keys, written


def _merge_duplicates(texts: Sequence[str]) -> list[list[int]]:
    """Indices of texts, near-duplicates together (first one leads)."""
    signatures = [minhash(t) for t in texts]
    clusters: list[list[int]] = []
    for i, sig in enumerate(signatures):
        for cluster in clusters:
            if jaccard_estimate(signatures[cluster[0]], sig) >= NEAR_DUPLICATE:
                cluster.append(i)
                break
        else:
            clusters.append([i])
    return clusters


def group_texts(texts: Sequence[str], *, max_groups: int = MAX_GROUPS) -> list[TextGroup]:
    """Groups of the texts by their shared words (see the module's steps), largest first."""
    texts = [t.strip() for t in texts if t and t.strip()]
    if not texts:
        return []
    clusters = _merge_duplicates(texts)
    keys_of: list[set[str]] = []
    written: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for cluster in clusters:
        keys, forms = _keys(texts[cluster[0]])
        keys_of.append(keys)
        for key, form in forms.items():
            written[key][form] += len(cluster)
    pool = set(range(len(clusters)))
    groups: list[TextGroup] = []
    while pool and len(groups) < max_groups:
        shared = Counter(k for c in pool for k in keys_of[c])
        if not shared:
            break
        key, size = max(shared.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))
        members = [c for c in pool if key in keys_of[c]]
        if size < 2 and sum(len(clusters[c]) for c in members) < 2:
            break
        second = Counter(k for c in members for k in keys_of[c] if k != key)
        label = written[key].most_common(1)[0][0]
        if second:
            other, count = second.most_common(1)[0]
            joined = (
                f"{key} {other}" in keys_of[members[0]] or f"{other} {key}" in keys_of[members[0]]
            )
            if (
                count == len(members) >= 2
                and not joined
                and not set(key.split()) & set(other.split())
            ):
                label = f"{label}, {written[other].most_common(1)[0][0]}"
        groups.append(_group(label, members, clusters, texts))
        pool -= set(members)
    if pool:
        groups.append(_group("", sorted(pool), clusters, texts))
    named = sorted((g for g in groups if g.label), key=lambda g: -g.count)
    return named + [g for g in groups if not g.label]


def _group(
    label: str, members: list[int], clusters: list[list[int]], texts: Sequence[str]
) -> TextGroup:
    count = sum(len(clusters[c]) for c in members)
    leads = sorted((texts[clusters[c][0]] for c in members), key=lambda t: (-len(t), t))
    return TextGroup(
        label=label.capitalize() if label else "", count=count, examples=leads[:EXAMPLES]
    )
