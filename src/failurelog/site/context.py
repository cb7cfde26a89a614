"""What every page generator reads: the model, the analyses, and where each page lives in the tree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar
from urllib.parse import quote

from failurelog.analysis.assets import AssetHistory, AssetReport, asset_report
from failurelog.analysis.patterns import PatternIndex, PatternValue, pattern_indexes
from failurelog.analysis.recurrence import Recurrence, recurrences
from failurelog.analysis.related import Related, related
from failurelog.core import roles
from failurelog.core.bodyhtml import extension_spec
from failurelog.core.inventory import Inventory
from failurelog.core.primary import mirrored_fields
from failurelog.core.roles import ActionList
from failurelog.core.schema import Field
from failurelog.history.model import RepositoryHistory
from failurelog.model.incident import Incident, Model
from failurelog.site import html

#: Pages of the generated tree (paths relative to the docs folder).
HOME = "index.md"
INCIDENT_INDEX = "incidents/index.md"
PATTERN_INDEX = "patterns/index.md"
RELATED = "related/index.md"
SIGNATURES = "signatures/index.md"
ACTIONS = "actions/index.md"
STATISTICS = "statistics/index.md"
DATA = "data/index.md"
AUDIT = "audit/index.md"
ASSET_INDEX = "asset-history/index.md"
RECOVERY = "recovery/index.md"
EXPORT_JSON = "data/incidents.json"
EXPORT_CSV = "data/incidents.csv"
ASSETS = "assets/failurelog"

T = TypeVar("T")


@dataclass
class Context:
    """The model plus its analyses, computed once and shared by every page."""

    model: Model
    related: Related
    patterns: list[PatternIndex]
    edit_base: str | None = None  # URL prefix of an incident's source file for editing
    history: RepositoryHistory | None = None  # git history, read once per build (None: not read)
    directory_urls: bool = True  # mkdocs.yml use_directory_urls: links in raw HTML depend on it
    # the engine reads raw HTML's relative links from the page's source file (Zensical), not its URL (MkDocs)
    links_from_source: bool = False
    markdown: str = field(default_factory=lambda: extension_spec({}))  # the body's extensions (see core.bodyhtml)
    inventory: Inventory = field(default_factory=Inventory)  # inventory/assets.yaml, read by the build
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: str, make: Callable[[], T]) -> T:
        """What a page module computes once per build (a list's layout over pages): ``make()`` the first time."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]  # type: ignore[no-any-return]

    @cached_property
    def assets(self) -> AssetReport:
        """Every asset history (hosts, models, versions), with the inventory's rates."""
        return asset_report(self.model, self.inventory)

    @cached_property
    def recurrences(self) -> list[Recurrence]:
        """Recurrences after fixes were done ("the fix did not hold"), over this build's analysis."""
        return recurrences(self.model, self.related)

    @cached_property
    def pattern_lookup(self) -> dict[str, dict[str, PatternValue]]:
        """Pattern value by field name and value text."""
        return {p.field.name: {v.value: v for v in p.values} for p in self.patterns}

    @cached_property
    def pattern_by_field(self) -> dict[str, PatternIndex]:
        """Pattern index by field name."""
        return {p.field.name: p for p in self.patterns}

    @cached_property
    def _children(self) -> dict[tuple[str, ...], list[Field]]:
        out: dict[tuple[str, ...], list[Field]] = {}
        for spec in self.model.schema.fields.values():
            out.setdefault(spec.path[:-1], []).append(spec)
        return out

    def children(self, prefix: tuple[str, ...]) -> list[Field]:
        """The schema's direct sub-fields of ``prefix`` (cached: pages ask for them per incident)."""
        return self._children.get(prefix, [])

    @cached_property
    def story_field_names(self) -> frozenset[str]:
        """Fields left out of an incident's data tables: told in its story (``x-timeline``), or bookkeeping.

        The schema version a file follows (``x-schema-version``) is not news to a reader.
        """
        schema = self.model.schema
        told = roles.flagged(schema, "x-timeline") + roles.flagged(schema, "x-schema-version")
        return frozenset(f.name for f in told)

    @cached_property
    def action_lists(self) -> dict[str, ActionList]:
        """The schema's action lists by field name."""
        return {a.field.name: a for a in roles.action_lists(self.model.schema)}

    @cached_property
    def _asset_pages(self) -> dict[tuple[str, str], str]:
        own = {(h.kind.field.name, h.name): asset_page(h) for h in self.assets.histories}
        mirrors = mirrored_fields(self.model.schema)
        return own | {
            (source, name): page
            for source, item_field in mirrors.items()
            for (name_field, name), page in own.items()
            if name_field == item_field
        }

    def asset_history(self, field_name: str, value: object) -> str | None:
        """Tree path of the history page of an asset or version, or None.

        The field is an ``x-asset`` one, or a System Specifications field mirroring one (the hostname).
        """
        return self._asset_pages.get((field_name, str(value)))

    def pattern_page(self, field_name: str, value: object) -> str | None:
        """Tree path of the page of one value of a grouped field, or None."""
        index = self.pattern_by_field.get(field_name)
        found = self.pattern_lookup.get(field_name, {}).get(str(value))
        if index is None or found is None:
            return None
        return value_page(index, found)

    def href(self, target: str, here: str) -> str:
        """Relative URL from page ``here`` to ``target`` (tree paths), for links inside raw HTML."""
        return html.href(target, here, self.directory_urls, self.links_from_source)

    def edit_url(self, incident: Incident) -> str | None:
        """Where to edit the incident's source file, when ``repo_url``/``edit_uri`` are configured."""
        return f"{self.edit_base}{quote(incident.source)}" if self.edit_base else None


def field_page(index: PatternIndex) -> str:
    """Tree path of a grouped field's index page."""
    return f"patterns/{index.slug}/index.md"


def asset_page(history: AssetHistory) -> str:
    """Tree path of one asset's history page: a folder per kind (``index`` is never an asset's slug)."""
    return f"asset-history/{history.kind.slug}/{history.slug}.md"


def value_page(index: PatternIndex, value: PatternValue) -> str:
    """Tree path of one value's page."""
    return f"patterns/{index.slug}/{value.slug}.md"


def build_context(
    model: Model,
    edit_base: str | None = None,
    directory_urls: bool = True,
    history: RepositoryHistory | None = None,
    markdown: str | None = None,
    inventory: Inventory | None = None,
    links_from_source: bool = False,
) -> Context:
    """Run every analysis the pages need (``links_from_source``: see :func:`failurelog.site.html.href`)."""
    return Context(
        model=model,
        related=related(model),
        patterns=pattern_indexes(model),
        edit_base=edit_base,
        directory_urls=directory_urls,
        history=history,
        markdown=markdown if markdown is not None else extension_spec({}),
        inventory=inventory or Inventory(),
        links_from_source=links_from_source,
    )
