"""The host channel of "incidents like this one" counts every host the affected assets name (issue 15)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from failurelog.analysis.similar import build_index, describe, suggest
from failurelog.core.roles import Channel, similarity_channels
from failurelog.core.schema import Schema
from failurelog.model.incident import Incident
from tests.analytics_helpers import make, model_of


def _incident(ident: str, when: str, hostname: str, assets: list[tuple[str, str]], kernel: str) -> Incident:
    """An incident on ``hostname`` naming ``assets`` (name, role), each on its own kernel, nothing else shared."""
    items: list[dict[str, Any]] = [{"name": name, "role": role, "kernel": kernel} for name, role in assets]
    return make(ident, when, extra={"assets": items, "system": {"hostname": hostname, "kernel_version": kernel}})


def _host_channel(channels: list[Channel]) -> int:
    return next(n for n, c in enumerate(channels) if c.also)


def test_the_hostname_channel_takes_in_the_affected_assets_names(schema: Schema) -> None:
    channels = similarity_channels(schema)
    host = channels[_host_channel(channels)]
    assert host.field is not None and host.field.name == "system.hostname"
    assert host.also == ("assets[].name",)  # the x-asset host field, which has no channel of its own
    assert host.reason == "host"  # a reason names its x-asset kind, not the Hostname field


def test_a_host_named_only_among_the_assets_makes_incidents_alike(schema: Schema) -> None:
    first = _incident(
        "SYS-20260105-001", "2026-01-05T10:00:00Z", "oms-a", [("oms-a", "Primary"), ("oms-s", "Standby")], "k1"
    )
    later = _incident(
        "SYS-20260212-001", "2026-02-12T10:00:00Z", "oms-b", [("oms-b", "Primary"), ("oms-s", "Standby")], "k2"
    )
    others = [
        _incident(f"SYS-202603{d:02d}-001", f"2026-03-{d:02d}T10:00:00Z", f"db-{d}", [(f"db-{d}", "Primary")], f"k{d}")
        for d in range(3, 9)
    ]
    model = model_of(schema, [first, later, *others])
    found = {s.incident.id: s for s in suggest(model, min_score=0.0)[later.id]}
    assert first.id in found
    reasons = describe(found[first.id].shared)
    assert "same host: oms-s" in reasons  # the x-asset kind of the asset names: oms-s is neither's Hostname
    assert not any("Hostname" in r for r in reasons), reasons
    # the hostname alone, as before: the two share no host
    channels = similarity_channels(schema)
    ci = _host_channel(channels)
    alone = [dataclasses.replace(c, also=()) for c in channels]
    index = build_index(model.incidents, alone)
    doc = {i.id: n for n, i in enumerate(model.incidents)}
    assert not any(s.channel.name == channels[ci].name for s in index.shared(doc[first.id], doc[later.id]))


def test_a_host_both_the_hostname_and_an_asset_counts_once(schema: Schema) -> None:
    failed = _incident("SYS-20260105-001", "2026-01-05T10:00:00Z", "md-x", [("md-x", "Primary")], "k1")
    stood_by = _incident(
        "SYS-20260212-001", "2026-02-12T10:00:00Z", "md-y", [("md-y", "Primary"), ("md-x", "Standby")], "k2"
    )
    model = model_of(schema, [failed, stood_by])
    channels = similarity_channels(schema)
    ci = _host_channel(channels)
    index = build_index(model.incidents, channels)
    doc = {i.id: n for n, i in enumerate(model.incidents)}
    assert index.features_of(failed, ci) == {"md-x"}
    assert index.features_of(stood_by, ci) == {"md-y", "md-x"}
    host = [s for s in index.shared(doc[failed.id], doc[stood_by.id]) if s.channel.name == channels[ci].name]
    assert [s.features for s in host] == [("md-x",)]
    # TF-IDF over two incidents: md-x in both (idf ln 3/2), md-y in one (ln 3); md-x weighs once in each
    shared, alone = math.log(3 / 2), math.log(3)
    assert abs(host[0].cosine - shared / math.hypot(shared, alone)) < 1e-9
    assert describe(host) == ["same host: md-x"]
