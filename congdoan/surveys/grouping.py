"""Free-text answers grouped by topic, with the text toolkit (`congdoan.text`).

A survey's texts are short and about anything the question asked, so no trained topic
model fits them (feedback's is trained on concerns). Instead, `group_texts`:
1. normalises each text and splits it into words (`text.words`: a word's syllables stay
   together, "bảo hiểm" is one word) and pairs of syllables side by side, folded
   (`text.fold`) so that answers typed without marks meet those with; function words are
   left out;
2. merges near-duplicates first (`text.match`: MinHash of character shingles, estimated
   Jaccard ≥ 0.7): a text written twice counts in one group;
3. repeatedly takes the word the remaining answers share best (at least two answers; a word
   that heads its phrase and a word of two syllables count more, `_score`) as a group: its label is that word as most often written, joined by another word every text
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
cach xem tinh nao ai dau dang mong
"""
# Words of two syllables that every answer of a union survey may hold.
_STOP_PHRASES = {
    "cong doan",
    "y kien",
    "gop y",
    "thong tin",
    "cam on",
    "vui long",
    "muon biet",
    "bao nhieu",
    "lao dong",
    "nguoi lao dong",
    "cong nhan",
    "the nao",
    "nhu the nao",
    "mong muon",
    "hy vong",
    "hi vong",
    "de nghi",
    "kien nghi",
    "nguyen vong",
}
STOP = frozenset(_STOP_WORDS.split()) | _STOP_PHRASES


@dataclass
class TextGroup:
    label: str
    count: int
    examples: list[str] = field(default_factory=list)


def _keys(text: str) -> tuple[dict[str, bool], dict[str, str], set[str]]:
    """The folded content words of a text and the pairs of syllables side by side within a
    clause (so that "bao hiem xa hoi" typed without marks meets "bảo hiểm thất nghiệp"), each
    with whether it heads its phrase somewhere in the text (at the start of a clause, or after
    a function word); each one's first written form; and which keys are words."""
    keys: dict[str, bool] = {}
    written: dict[str, str] = {}
    # (folded, as written, a boundary: punctuation or a function word of one syllable)
    syllables: list[tuple[str, str, bool]] = []
    spans: list[tuple[str, str, int]] = []
    for word in words(normalize(text)):
        form = word.lower()
        parts = [(fold(p), p) for p in form.split() if any(c.isalpha() for c in p)]
        if not parts:
            syllables.append(("", "", True))  # punctuation ends a clause
            continue
        key = fold(form).strip()
        spans.append((key, form, len(syllables)))
        syllables += [(f, w, len(parts) == 1 and key in STOP) for f, w in parts]

    def add(key: str, form: str, start: int) -> None:
        if len(key) < 2 or key in STOP or key.isdigit() or not any(c.isalpha() for c in key):
            return
        heads = start == 0 or syllables[start - 1][2]
        keys[key] = keys.get(key, False) or heads
        written.setdefault(key, form)

    for key, form, start in spans:
        add(key, form, start)
    whole = set(keys)
    for i, ((a, fa, a_stop), (b, fb, b_stop)) in enumerate(pairwise(syllables)):
        if a and b and not a_stop and not b_stop and a not in STOP and b not in STOP:
            add(f"{a} {b}", f"{fa} {fb}", i)
    return keys, written, whole


def _score(key: str, weight: int, heading: int, is_word: bool) -> float:
    """How good a group's word the key is: how many answers hold it, more when it heads its
    phrase (Vietnamese puts the head first: "bảo hiểm xã hội", "nhà ở xã hội" share "xã
    hội", which heads neither), more for a word of two syllables or more, less for a pair of
    syllables that is no word (it stands in for words typed without marks)."""
    shape = (1.25 if " " in key else 1.0) if is_word else 0.8
    return weight * (0.6 + 0.4 * heading / weight) * shape


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
    keys_of: list[dict[str, bool]] = []
    written: defaultdict[str, Counter[str]] = defaultdict(Counter)
    word_keys: set[str] = set()
    for cluster in clusters:
        keys, forms, whole = _keys(texts[cluster[0]])
        keys_of.append(keys)
        word_keys |= whole
        for key, form in forms.items():
            written[key][form] += len(cluster)
    pool = set(range(len(clusters)))
    groups: list[TextGroup] = []
    while pool and len(groups) < max_groups:
        weight: Counter[str] = Counter()
        heading: Counter[str] = Counter()
        for c in pool:
            for k, heads in keys_of[c].items():
                weight[k] += len(clusters[c])
                heading[k] += len(clusters[c]) if heads else 0
        shared = [k for k, n in weight.items() if n >= 2]
        if not shared:
            break
        key = max(
            shared, key=lambda k: (_score(k, weight[k], heading[k], k in word_keys), len(k), k)
        )
        members = [c for c in pool if key in keys_of[c]]
        second = Counter(k for c in members for k in keys_of[c] if k != key and keys_of[c][k])
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
