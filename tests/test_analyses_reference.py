"""The optimised analyses give what a straightforward reading gives, on a few hundred synthetic incidents.

The corpus is bench/synth.py's (Zipf-spread words and overlapping hosts, so
values and words are shared by chance), with one incident in five given a
backtrace from a pool of eight stacks (other addresses and lines each time),
so that clusters form. The references read every field by its path with
:func:`failurelog.core.values.values_at`, every figure per member and every
word by tokenising the text again, as the analyses did before they read each
incident once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from statistics import fmean
from typing import Any

import pytest

from failurelog.analysis.patterns import pattern_indexes
from failurelog.analysis.related import Cluster, related
from failurelog.analysis.signatures import Signature, describe
from failurelog.analysis.similar import SIGNATURE, Index, build_index, channel_text, tokens
from failurelog.core.roles import similarity_channels
from failurelog.core.values import leaves_at, values_at
from failurelog.model.incident import Incident, Model
from tests.conftest import PLANTED_COUNT

COUNT = PLANTED_COUNT


@pytest.fixture(scope="module")
def model(planted_model: Model) -> Model:
    """Three hundred synthetic incidents with planted stacks (tests/conftest.py), loaded once per run."""
    return planted_model


def _reference_values(incident: Incident, name: str) -> list[Any]:
    out: list[Any] = []
    for _path, value in values_at(incident.meta, name):
        if isinstance(value, list):
            out.extend(v for v in value if v is not None)
        elif value is not None:
            out.append(value)
    return out


def test_values_of_every_field_match_the_path_walk(model: Model) -> None:
    checked = 0
    for incident in model.incidents:
        for name in model.schema.fields:
            expected = _reference_values(incident, name)
            assert incident.values(name) == expected, (incident.id, name)
            checked += bool(expected)
    assert checked > COUNT * 20  # most fields are filled: the comparison is not of empty lists


def test_pattern_indexes_match_a_per_value_reading(model: Model) -> None:
    indexes = pattern_indexes(model)
    assert [i.field.name for i in indexes] == [f.name for f in model.schema.group_by_fields]
    values = 0
    for index in indexes:
        members: dict[str, list[str]] = defaultdict(list)
        for incident in model.incidents:
            for text in dict.fromkeys(str(v) for v in _reference_values(incident, index.field.name)):
                members[text].append(incident.id)
        assert {v.value: [i.id for i in v.incidents] for v in index.values} == members
        for value in index.values:
            downtimes = [d for d in (model.downtime(i) for i in value.incidents) if d is not None]
            pairs = [(model.time_to_recover(i), model.downtime(i)) for i in value.incidents]
            recoveries = [r for r, _d in pairs if r is not None]
            outages = [r for r, d in pairs if r is not None and d is not None and d > 0]
            assert value.total_downtime == (sum(downtimes) if downtimes else None)
            assert value.downtime_known == len(downtimes)
            assert value.recovery.every.mean == (fmean(recoveries) if recoveries else None)
            assert value.recovery.every.count == len(recoveries)
            assert value.recovery.outages.mean == (fmean(outages) if outages else None)
            assert value.recovery.no_outage == sum(1 for r, d in pairs if r is not None and d == 0)
            assert value.by_month == dict(sorted(Counter(i.month for i in value.incidents).items()))
            values += 1
    assert values > 100


def _reference_description(
    cluster: Cluster, index: Index, signed: dict[str, list[Signature]]
) -> tuple[list[tuple[str, str, int]], list[str]]:
    size = len(cluster.incidents)
    traits: list[tuple[str, str, int]] = []
    words: Counter[str] = Counter()
    for channel in index.channels:
        if channel is SIGNATURE:
            counts = Counter(describe(x) for i in cluster.incidents for x in set(signed.get(i.id, [])))
            traits += [("Signature", v, n) for v, n in counts.items() if n * 2 >= size]
        elif channel.kind == "exact" and channel.field is not None:
            names = (channel.field.name, *channel.also)  # the hostname's channel: every asset's name too
            counts = Counter(
                v for i in cluster.incidents for v in {str(x) for name in names for x in _reference_values(i, name)}
            )
            traits += [(channel.title, v, n) for v, n in counts.items() if n * 2 >= size]
        else:
            for incident in cluster.incidents:
                words.update(tokens(channel_text(incident, channel)).keys())
    traits.sort(key=lambda trait: (-trait[2], trait[0], trait[1]))
    ranked = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))
    return traits, [w for w, n in ranked[:8] if n * 2 >= size]


def test_cluster_traits_and_words_match_tokenising_the_members_again(model: Model) -> None:
    result = related(model)
    index = build_index(model.incidents, similarity_channels(model.schema), result.signatures)
    assert len(result.clusters) >= 3
    for cluster in result.clusters:
        traits, terms = _reference_description(cluster, index, result.signatures)
        assert cluster.traits == traits
        assert cluster.terms == terms
    assert any(cluster.terms for cluster in result.clusters)
    assert any(trait[0] == "Signature" for cluster in result.clusters for trait in cluster.traits)


@pytest.mark.parametrize(
    "meta",
    [
        {"a": {"b": None}},
        {"a": {"b": [1, None, {"c": 2}]}},
        {"a": [{"b": 1}, {"b": 2}]},
        {"a": "text"},
        {"a": None},
        {"a": {"b": {"c": False}}},
        {"a": {"b": {"c": {}}}},
        [],
        "scalar",
        {},
    ],
)
def test_leaves_of_hostile_front_matter_match_the_path_walk(meta: Any) -> None:
    for name in ("a", "a.b", "a.b.c", "a.b.c.d", "a[]", "a[].b", "a.b[]", "a.b[].c", "x.y"):
        assert leaves_at(meta, name) == [value for _path, value in values_at(meta, name)], (meta, name)
