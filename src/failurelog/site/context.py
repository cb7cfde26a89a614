"""What every page generator reads: the model, the analyses, and where each page lives in the tree."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar, cast
from urllib.parse import quote

from failurelog.analysis.assets import AssetHistory, AssetReport, asset_report
from failurelog.analysis.patterns import PatternIndex, PatternValue, pattern_indexes
from failurelog.analysis.recurrence import Recurrence, of_incident, recurrences
from failurelog.analysis.related import Link, Related, related
from failurelog.analysis.signatures import Signature
from failurelog.analysis.similar import Suggestion
from failurelog.core import roles
from failurelog.core.bodyhtml import extension_spec
from failurelog.core.inventory import Inventory
from failurelog.core.primary import mirrored_fields
from failurelog.core.roles import ActionList
from failurelog.core.schema import Field
from failurelog.history.model import IncidentHistory, RepositoryHistory
from failurelog.model.incident import Incident, Model
from failurelog.site import html
from failurelog.site.fingerprint import fingerprint, forbidden

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

#: One lookup a page made: its name, its arguments and the fingerprint of what it saw.
Read = tuple[str, tuple[Any, ...], str]


@dataclass(frozen=True)
class Named:
    """What a page shows of another incident it names: a link with its title."""

    id: str
    title: str
    page: str


def _named(ctx: Context, ident: str) -> Named | None:
    found = ctx.model.by_id.get(ident)
    return Named(found.id, found.title, found.page) if found is not None else None


@dataclass(frozen=True)
class Lookup:
    """A lookup into the rest of the repository: ``find(ctx, *args)``; ``shown(result)`` is what a page can see."""

    find: Callable[..., Any]
    shown: Callable[[Any], Any] = lambda found: found


#: Every lookup a page may make into other incidents and the analyses, by name (see :meth:`Context.read`).
LOOKUPS: dict[str, Lookup] = {}

#: What every page's cache key covers already: derived from the schema alone, shared by the tracking copies.
_SCHEMA_VIEWS = ("_children", "story_field_names", "action_lists")
#: What a page in the cache must not read directly (the whole repository or an analysis of it).
_CROSS = ("assets", "recurrences", "pattern_lookup", "pattern_by_field", "_asset_pages")


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
    _reads: list[Read] | None = field(default=None, repr=False, compare=False)  # set in a tracking copy
    _origin: Context | None = field(default=None, repr=False, compare=False)  # the context a copy tracks

    def read(self, name: str, *args: Any) -> Any:
        """The lookup ``name`` (one of :data:`LOOKUPS`) over the whole build; a tracking copy records it."""
        origin = self._origin or self
        lookup = LOOKUPS[name]
        found = lookup.find(origin, *args)
        if self._reads is not None:
            self._reads.append((name, args, fingerprint(lookup.shown(found))))
        return found

    def replay(self, reads: list[Read], answers: dict[tuple[str, tuple[Any, ...]], str]) -> bool:
        """Whether every lookup of ``reads`` (recorded by an earlier build) sees the same here.

        ``answers`` keeps the fingerprints made here, for the other pages that made the same lookups.
        """
        for name, args, seen in reads:
            now = answers.get((name, args))
            if now is None:
                lookup = LOOKUPS.get(name)
                if lookup is None:
                    return False
                now = answers[(name, args)] = fingerprint(lookup.shown(lookup.find(self, *args)))
            if now != seen:
                return False
        return True

    def tracking(self, reads: list[Read]) -> Context:
        """A copy that records every lookup into ``reads`` and refuses direct reads of the model and analyses.

        A page rendered with it depends only on its own arguments, the build's settings and schema
        (:func:`failurelog.site.pagecache.settings_key`) and ``reads``.
        """
        for name in _SCHEMA_VIEWS:
            getattr(self, name)
        tracked = copy.copy(self)
        model = copy.copy(self.model)
        model.__dict__["by_id"] = forbidden("model.by_id")
        model.incidents = forbidden("model.incidents")
        tracked.model = model
        tracked.related = forbidden("related")
        tracked.patterns = forbidden("patterns")
        tracked.history = forbidden("history")
        tracked._memo = forbidden("memo")
        for name in _CROSS:
            tracked.__dict__[name] = forbidden(name)
        tracked._reads, tracked._origin = reads, self
        return tracked

    def named(self, ident: str) -> Named | None:
        """The id, title and page of the incident of this repository with id ``ident``, or None."""
        return cast("Named | None", self.read("named", ident))

    def links_out(self, ident: str) -> list[Link]:
        """The links incident ``ident`` makes to others."""
        return cast("list[Link]", self.read("links_out", ident))

    def links_in(self, ident: str) -> list[Link]:
        """The links others make to incident ``ident``."""
        return cast("list[Link]", self.read("links_in", ident))

    def suggestions(self, ident: str) -> list[Suggestion]:
        """The computed suggestions of incidents like ``ident``."""
        return cast("list[Suggestion]", self.read("suggestions", ident))

    def signatures(self, ident: str) -> list[Signature]:
        """The crash and hardware-error signatures of incident ``ident``."""
        return cast("list[Signature]", self.read("signatures", ident))

    def recurrences_of(self, ident: str) -> tuple[list[Recurrence], list[Recurrence]]:
        """The recurrences where incident ``ident`` is the earlier, and those where it is the later."""
        return cast("tuple[list[Recurrence], list[Recurrence]]", self.read("recurrences_of", ident))

    def history_of(self, ident: str) -> tuple[RepositoryHistory | None, IncidentHistory | None]:
        """The build's history without its incidents (None: not read), and incident ``ident``'s."""
        return cast("tuple[RepositoryHistory | None, IncidentHistory | None]", self.read("history_of", ident))

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
        return cast("str | None", self.read("asset_history", field_name, str(value)))

    def pattern_page(self, field_name: str, value: object) -> str | None:
        """Tree path of the page of one value of a grouped field, or None."""
        return cast("str | None", self.read("pattern_page", field_name, str(value)))

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


def _link_ends(links: list[Link]) -> list[tuple[str, str, Field, str]]:
    return [(link.source.id, link.target.id, link.field, link.note) for link in links]


def _pattern_page(ctx: Context, field_name: str, value: str) -> str | None:
    index = ctx.pattern_by_field.get(field_name)
    found = ctx.pattern_lookup.get(field_name, {}).get(value)
    return None if index is None or found is None else value_page(index, found)


def _recurrences_of(ctx: Context, ident: str) -> tuple[list[Recurrence], list[Recurrence]]:
    incident = ctx.model.by_id.get(ident)
    return of_incident(ctx.recurrences, incident) if incident is not None else ([], [])


def _history_of(ctx: Context, ident: str) -> tuple[RepositoryHistory | None, IncidentHistory | None]:
    history = ctx.history
    if history is None:
        return None, None
    return dataclasses.replace(history, incidents={}), history.get(ident) if history.available else None


LOOKUPS.update(
    named=Lookup(_named),
    # of a link or a suggestion a page shows the other incident through named() (its title), and the reasons
    links_out=Lookup(lambda ctx, ident: ctx.related.outgoing.get(ident, []), _link_ends),
    links_in=Lookup(lambda ctx, ident: ctx.related.incoming.get(ident, []), _link_ends),
    suggestions=Lookup(
        lambda ctx, ident: ctx.related.suggestions.get(ident, []),
        lambda found: [(s.incident.id, s.score, s.shared) for s in found],
    ),
    signatures=Lookup(lambda ctx, ident: ctx.related.signatures.get(ident, [])),
    recurrences_of=Lookup(_recurrences_of),
    history_of=Lookup(_history_of),
    asset_history=Lookup(lambda ctx, field_name, value: ctx._asset_pages.get((field_name, value))),
    pattern_page=Lookup(_pattern_page),
)


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
