"""Computed "incidents like this one": TF-IDF cosine over the schema's similarity channels.

A channel is a field or body section annotated ``x-similarity`` (shared host,
components and failure types as exact values; error messages, backtraces and
root-cause text as words). Each channel is a TF-IDF vector normalised to unit
length; an incident's vector joins its channels, so the cosine of two
incidents is the sum of their channel cosines divided by the square root of
the product of their channel counts.

Scale: never all pairs. Each incident is indexed under its strongest
features only (an inverted index of short, weight-sorted posting lists);
candidates are the incidents that share most of those features, counted in C
by :class:`collections.Counter`, and a few are scored exactly (bench/README.md).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from operator import itemgetter
from typing import Any

from failurelog.analysis import signatures as sig
from failurelog.core.gcpause import gc_paused
from failurelog.core.roles import Channel, similarity_channels
from failurelog.model.incident import Incident, Model

#: Words of two or more letters, digits or underscores starting with a letter; hex noise
#: (addresses such as ``ffff8881deadbeef``) is skipped.
_TOKEN = re.compile(r"\b(?![a-f0-9]{6,}\b)[a-z_][a-z0-9_]+")
#: Words too common in post-mortem prose to say anything about similarity.
STOP_WORDS = frozenset(
    [
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "than",
        "that",
        "the",
        "then",
        "there",
        "these",
        "this",
        "those",
        "to",
        "was",
        "we",
        "were",
        "when",
        "which",
        "while",
        "with",
        "after",
        "before",
        "all",
        "any",
        "can",
        "could",
        "did",
        "do",
        "does",
        "been",
        "being",
        "also",
        "more",
        "most",
        "one",
        "two",
        "very",
        # Found as cluster "common words" in the example incidents: prefixes cut off at a hyphen
        # ("re-tune"), and words any account of events uses.
        "re",
        "asked",
        "every",
        "each",
        "about",
        "if",
        "only",
        "out",
        "over",
        "they",
        "their",
        "them",
        "what",
        "who",
        "will",
        "would",
        "should",
    ]
)
#: The info string of a fenced code block (```text, ~~~console): a language name, not the incident's words.
_FENCE_INFO = re.compile(r"^([ \t]*(?:`{3,}|~{3,}))[^\n`]*$", re.MULTILINE)

#: Words kept per text channel (the heaviest by TF-IDF); bounds the cost of long logs.
TERMS_PER_CHANNEL = 16
#: Features an incident is indexed under, and looks candidates up by.
INDEX_FEATURES = 6
#: Longest posting list kept per feature (the heaviest incidents for that feature).
POSTING_LIMIT = 24
#: Candidates scored exactly per incident.
CANDIDATES = 6
#: Shared words named in a reason.
SHOWN_TERMS = 5
#: The computed channel of crash and hardware-error signatures (:mod:`failurelog.analysis.signatures`):
#: a shared signature outweighs any shared checkbox.
SIGNATURE = Channel("signature", "signature", "exact", weight=3.0)


def tokens(text: str) -> Counter[str]:
    """Counts of the lower-case words of ``text`` worth comparing: no numbers, hex noise or stop words."""
    counts = Counter(_TOKEN.findall(text.lower()))
    for word in counts.keys() & STOP_WORDS:
        del counts[word]
    return counts


def channel_text(incident: Incident, channel: Channel) -> str:
    """The text of a text channel for one incident."""
    if channel.field is not None:
        return "\n".join(str(v) for v in incident.values(channel.field.name))
    return _FENCE_INFO.sub(r"\1", incident.sections.get(channel.heading or "", ""))


@dataclass(frozen=True)
class Shared:
    """What two incidents share in one channel."""

    channel: Channel
    cosine: float
    features: tuple[str, ...]  # shared values (exact) or heaviest shared words (text)


@dataclass
class Index:
    """Unit-length TF-IDF vectors over integer feature ids, and the inverted index of the strongest ones."""

    incidents: list[Incident]
    channels: list[Channel]
    names: list[str]  # feature id -> value or word
    channel_of: list[int]  # feature id -> channel position
    vectors: list[dict[int, float]]  # joined channels, unit length
    scales: list[float]  # 1 / sqrt(channels filled), per incident
    postings: dict[int, list[int]]
    top: list[list[int]]
    signed: dict[int, list[int]] = field(default_factory=dict)  # specific signature feature -> incidents having it
    raw: list[list[set[str]]] = field(default_factory=list, repr=False)  # per incident, per channel: all its values
    position: dict[int, int] = field(default_factory=dict, repr=False)  # id() of an incident -> its position

    def features_of(self, incident: Incident, ci: int) -> set[str]:
        """Distinct values (exact channel) or words (text channel) of ``incident`` in channel ``ci``, as indexed."""
        doc = self.position.get(id(incident))
        if doc is None:
            return _raw_features([incident], self.channels, {})[0][ci]
        return self.raw[doc][ci]

    def signature_mates(self, doc: int) -> Iterator[int]:
        """Incidents sharing a specific signature with ``doc`` (up to :data:`POSTING_LIMIT` per signature)."""
        for f in self.vectors[doc]:
            yield from self.signed.get(f, ())

    def cosine(self, a: int, b: int) -> float:
        """Exact cosine of incidents ``a`` and ``b`` (positions in :attr:`incidents`)."""
        va, vb = self.vectors[a], self.vectors[b]
        return sum([va[f] * vb[f] for f in va.keys() & vb.keys()])

    def shared(self, a: int, b: int) -> list[Shared]:
        """Per channel, what ``a`` and ``b`` share and its channel cosine; what weighed most in the score first."""
        va, vb = self.vectors[a], self.vectors[b]
        unscale = 1 / (self.scales[a] * self.scales[b])
        by_channel: dict[int, list[tuple[float, str]]] = {}
        for f in va.keys() & vb.keys():
            ci = self.channel_of[f]
            by_channel.setdefault(ci, []).append(
                (-va[f] * vb[f] * unscale / self.channels[ci].weight ** 2, self.names[f])
            )
        out = []
        for ci, products in by_channel.items():
            products.sort()
            channel = self.channels[ci]
            shown = products if channel.kind == "exact" else products[:SHOWN_TERMS]
            out.append(Shared(channel, -sum(p for p, _n in products), tuple(n for _p, n in shown)))
        out.sort(key=lambda s: (-s.cosine * s.channel.weight**2, s.channel.name))  # what weighed most first
        return out


def words(text: str) -> set[str]:
    """The distinct words of ``text`` worth comparing (see :func:`tokens`)."""
    return set(_TOKEN.findall(text.lower())) - STOP_WORDS


#: Every incident's values of a field by its name, in the order of the incidents indexed (``Model.columns``).
Columns = Mapping[str, Sequence[list[Any]]]


def _raw_features(
    incidents: list[Incident],
    channels: list[Channel],
    found: dict[str, list[sig.Signature]],
    columns: Columns | None = None,
) -> list[list[set[str]]]:
    """Per incident, per channel, its distinct values (exact channels) or words (text channels)."""
    columns = columns or {}
    out = []
    for doc, incident in enumerate(incidents):
        row: list[set[str]] = []
        for channel in channels:
            if channel is SIGNATURE:
                row.append({sig.describe(s) for s in found.get(incident.id, [])})
            elif channel.kind == "exact" and channel.field is not None:
                names = (channel.field.name, *channel.also)  # the hostname's: every affected asset's name too, once
                read = [columns[n][doc] if n in columns else incident.values(n) for n in names]
                row.append(set(map(str, chain.from_iterable(read))))
            else:
                row.append(words(channel_text(incident, channel)))
        out.append(row)
    return out


def build_index(
    incidents: list[Incident],
    channels: list[Channel],
    found: dict[str, list[sig.Signature]] | None = None,
    columns: Columns | None = None,
) -> Index:
    """TF-IDF vectors of ``incidents`` over ``channels`` and the inverted index of their strongest features.

    With ``found`` (signatures by incident id), the :data:`SIGNATURE` channel joins the others. The exact
    channels' values are taken from ``columns`` where it has them (read already, in the same incident order).
    """
    with gc_paused():
        both = [*channels, SIGNATURE] if found is not None else channels
        return _build_index(incidents, both, found or {}, columns)


def _build_index(
    incidents: list[Incident], channels: list[Channel], found: dict[str, list[sig.Signature]], columns: Columns | None
) -> Index:
    raw = _raw_features(incidents, channels, found, columns)
    frequencies = [Counter(chain.from_iterable(row[ci] for row in raw)) for ci in range(len(channels))]
    n = len(incidents)
    ids: list[dict[str, int]] = []
    names: list[str] = []
    channel_of: list[int] = []
    idf: list[float] = []
    for ci, frequency in enumerate(frequencies):
        vocabulary = sorted(frequency)  # ids in word order: ties break the same way on every run
        ids.append({word: len(names) + k for k, word in enumerate(vocabulary)})
        names.extend(vocabulary)
        channel_of.extend([ci] * len(vocabulary))
        idf.extend(math.log((n + 1) / frequency[word]) for word in vocabulary)
    idf_of = idf.__getitem__
    getters = [known.__getitem__ for known in ids]
    is_text = [channel.kind == "text" for channel in channels]
    channel_weight = [channel.weight for channel in channels]
    vectors: list[dict[int, float]] = []
    scales: list[float] = []
    for row in raw:
        parts = []
        for ci, values in enumerate(row):
            if not values:
                continue
            fids = sorted(map(getters[ci], values))
            if is_text[ci] and len(fids) > TERMS_PER_CHANNEL:
                fids = sorted(fids, key=idf_of, reverse=True)[:TERMS_PER_CHANNEL]
            weights = list(map(idf_of, fids))
            norm = math.hypot(*weights)
            if norm > 0:
                parts.append((fids, weights, norm / channel_weight[ci]))
        total = sum((channel_weight[channel_of[fids[0]]]) ** 2 for fids, _w, _n in parts)
        scale = 1 / math.sqrt(total) if parts else 1.0
        vector: dict[int, float] = {}
        for fids, weights, norm in parts:
            factor = scale / norm
            vector.update(zip(fids, [w * factor for w in weights], strict=False))
        vectors.append(vector)
        scales.append(scale)
    top = [sorted(v, key=v.__getitem__, reverse=True)[:INDEX_FEATURES] for v in vectors]
    weighted: dict[int, list[tuple[float, int]]] = {}
    for doc, features in enumerate(top):
        vector = vectors[doc]
        for f in features:
            weighted.setdefault(f, []).append((-vector[f], doc))
    postings = {f: [doc for _w, doc in sorted(entries)[:POSTING_LIMIT]] for f, entries in weighted.items()}
    signed: dict[int, list[int]] = {}
    if channels and channels[-1] is SIGNATURE:
        specific = {sig.describe(s) for found_here in found.values() for s in found_here if s.kind in sig.SPECIFIC}
        last = len(channels) - 1
        for doc, vector in enumerate(vectors):
            for f in vector:
                if channel_of[f] == last and names[f] in specific and len(signed.setdefault(f, [])) < POSTING_LIMIT:
                    signed[f].append(doc)
    position = {id(incident): doc for doc, incident in enumerate(incidents)}
    return Index(incidents, channels, names, channel_of, vectors, scales, postings, top, signed, raw, position)


@dataclass
class Suggestion:
    """An incident like another one, with the score; what they share is worked out when asked for."""

    incident: Incident
    score: float
    index: Index = field(repr=False, compare=False)
    pair: tuple[int, int] = field(repr=False, compare=False)

    @cached_property
    def shared(self) -> tuple[Shared, ...]:
        """What the two incidents share, per channel, strongest first."""
        return tuple(self.index.shared(*self.pair))


def suggest(
    model: Model,
    *,
    top_k: int = 5,
    min_score: float = 0.25,
    exclude: dict[str, set[str]] | None = None,
    index: Index | None = None,
) -> dict[str, list[Suggestion]]:
    """Up to ``top_k`` suggestions per incident id with cosine at least ``min_score``.

    ``exclude`` maps an id to ids not to suggest (those already linked, or rejected). An incident
    sharing a specific signature (:data:`failurelog.analysis.signatures.SPECIFIC`: the same crash
    site, machine-check code or device error) is always suggested, ahead of the others.
    """
    index = index or build_index(model.incidents, similarity_channels(model.schema))
    with gc_paused():
        return _suggest(index, top_k, min_score, exclude or {})


def _suggest(index: Index, top_k: int, min_score: float, exclude: dict[str, set[str]]) -> dict[str, list[Suggestion]]:
    out: dict[str, list[Suggestion]] = {}
    postings, incidents, cosine = index.postings, index.incidents, index.cosine
    count_of = itemgetter(1)
    for doc, incident in enumerate(incidents):
        counts = Counter(chain.from_iterable([postings[f] for f in index.top[doc]]))
        mates = set(index.signature_mates(doc))
        mates.discard(doc)
        counts.pop(doc, None)
        skip = exclude.get(incident.id, ())
        if skip:
            for other in [o for o in counts if incidents[o].id in skip]:
                del counts[other]
            mates = {o for o in mates if incidents[o].id not in skip}
        ranked = [o for o, _n in sorted(counts.items(), key=count_of, reverse=True)[:CANDIDATES]]
        scored = []
        for other in dict.fromkeys([*ranked, *sorted(mates)]):
            score = cosine(doc, other)
            if score >= min_score or other in mates:
                scored.append((other not in mates, -score, incidents[other].id, other))
        scored.sort()
        out[incident.id] = [Suggestion(incidents[o], -s, index, (doc, o)) for _m, s, _id, o in scored[:top_k]]
    return out


#: Text channels less alike than this are not given as a reason.
MIN_REASON = 0.05


def describe(shared: Iterable[Shared]) -> list[str]:
    """Reasons a reader understands: "same host: md-gw-03", "similar Error Messages (71%): ixgbe, hang"."""
    out = []
    said: set[tuple[str, ...]] = set()
    for s in shared:
        if s.channel.kind != "exact" and s.cosine < MIN_REASON:
            continue
        if s.channel.kind == "exact":
            if s.features in said:  # the host as the asset's name and as the form's hostname: once
                continue
            said.add(s.features)
            out.append(f"same {s.channel.reason}: {', '.join(s.features)}")
        else:
            out.append(f"similar {s.channel.title} ({round(100 * s.cosine)}%): {', '.join(s.features)}")
    return out
