"""The site's generated Markdown tree as data: model in, ``{tree path: text}`` out, nothing written.

:func:`render_tree` calls every page function of ``site/`` (one per incident
and per grouped value, spread over the CPUs: :func:`item_jobs`; then the
index, report and export pages, the static assets and the home page:
:func:`summary_jobs`). A new page is registered in :func:`summary_jobs`.
:func:`iter_tree` yields the pages one by one, so the writer streams them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from importlib import resources

from failurelog.core.parallel import fork_imap
from failurelog.site import context as c
from failurelog.site import exports, pagecache, rendercache
from failurelog.site.asset_pages import asset_history_page, asset_index, asset_kind_page, history_pages, kind_pages
from failurelog.site.history_pages import audit_list_page, audit_listings, audit_page
from failurelog.site.home_page import home_page
from failurelog.site.incident_page import incident_page
from failurelog.site.index_pages import (
    field_index,
    field_pages,
    incident_index,
    index_pages,
    pattern_overview,
    value_page_text,
    value_pages,
)
from failurelog.site.paging import page_jobs
from failurelog.site.recovery_page import recovery_page
from failurelog.site.report_pages import (
    action_list_page,
    action_listings,
    actions_page,
    cluster_pages,
    data_page,
    related_page,
)
from failurelog.site.signature_pages import layout, signatures_page
from failurelog.site.stats_page import statistics_page

#: The static assets copied into the tree (``site/assets/``).
ASSET_FILES = ("failurelog.js", "failurelog.css", "search.js", "search.css")


#: A page to render: its tree path and the call that renders it.
Job = tuple[str, Callable[[], str]]
#: The pages kept by :mod:`failurelog.site.pagecache` (their lookups all go through ``Context.read``).
CACHED = (incident_page, value_page_text, asset_history_page)
#: A page to render in a worker: its path, its call, and its key in the page cache (None: not kept).
_Todo = tuple[str, Callable[[], str], str | None]
_Rendered = tuple[str, tuple[dict[str, rendercache.Parts], set[str]], list[c.Read]]


def _render_page(job: _Todo) -> _Rendered:
    _path, call, key = job
    text, reads = pagecache.render(call) if key is not None and isinstance(call, partial) else (call(), [])
    return text, rendercache.take(), reads  # a worker's rendered bodies go back to the parent's cache


def item_jobs(ctx: c.Context) -> list[Job]:
    """One page per incident and per grouped value: most of the work (rendered over the CPUs)."""
    jobs: list[Job] = [(incident.page, partial(incident_page, ctx, incident)) for incident in ctx.model.incidents]
    for index in ctx.patterns:
        narrow = pagecache.narrowed(index, values="PatternIndex.values")  # a value page reads its own value
        for value in index.values:
            jobs += page_jobs(value_pages(index, value), value_page_text, ctx, narrow, value)
    for history in ctx.assets.histories:
        jobs += page_jobs(history_pages(history), asset_history_page, ctx, history)
    return jobs


def _asset(name: str) -> str:
    return resources.files("failurelog.site").joinpath("assets").joinpath(name).read_text("utf-8")


def _asset_kind_jobs(ctx: c.Context) -> list[Job]:
    """The asset index's later pages of each kind (its first page of each is on the index)."""
    pages = kind_pages(ctx.assets)
    return [
        (pages[kind.slug].path(n), partial(asset_kind_page, ctx, kind, n))
        for kind in ctx.assets.kinds
        for n in pages[kind.slug].extra()
    ]


def _action_jobs(ctx: c.Context) -> list[Job]:
    """The actions page and the later pages of its long lists (the lists made once for all of them)."""
    listings = action_listings(ctx)
    jobs: list[Job] = [(c.ACTIONS, partial(actions_page, ctx, listings))]
    for key, listing in listings.items():
        jobs += [
            (listing.pages.path(n), partial(action_list_page, ctx, listings, key, n)) for n in listing.pages.extra()
        ]
    return jobs


def _audit_jobs(ctx: c.Context) -> list[Job]:
    """The later pages of the audit page's flags and changes (none without a readable history)."""
    lists = audit_listings(ctx)
    if lists is None:
        return []
    flags, changes = lists
    jobs: list[Job] = [(flags.pages.path(n), partial(audit_list_page, ctx, 0, n)) for n in flags.pages.extra()]
    return jobs + [(changes.pages.path(n), partial(audit_list_page, ctx, 1, n)) for n in changes.pages.extra()]


def summary_jobs(ctx: c.Context, *, with_home: bool = True) -> list[Job]:
    """The pages over the whole model (indexes, reports, exports), the assets, the home page; new pages go here."""
    jobs: list[Job] = page_jobs(index_pages(ctx), incident_index, ctx)
    jobs.append((c.PATTERN_INDEX, partial(pattern_overview, ctx)))
    for index in ctx.patterns:
        jobs += page_jobs(field_pages(index), field_index, ctx, index)
    jobs += [
        *page_jobs(cluster_pages(ctx), related_page, ctx),
        *page_jobs(layout(ctx).pages, signatures_page, ctx),
        *_action_jobs(ctx),
        (c.STATISTICS, partial(statistics_page, ctx)),
        (c.RECOVERY, partial(recovery_page, ctx)),
        (c.ASSET_INDEX, partial(asset_index, ctx)),
        *_asset_kind_jobs(ctx),
        (c.DATA, partial(data_page, ctx)),
        (c.AUDIT, partial(audit_page, ctx)),
        *_audit_jobs(ctx),
    ]
    jobs += [
        (c.EXPORT_JSON, partial(exports.json_export, ctx.model.schema, ctx.model.incidents)),
        (c.EXPORT_CSV, partial(exports.csv_export, ctx.model.schema, ctx.model.incidents)),
    ]
    jobs += [(f"{c.ASSETS}/{name}", partial(_asset, name)) for name in ASSET_FILES]
    if with_home:
        jobs.append((c.HOME, partial(home_page, ctx)))
    return jobs


def iter_tree(ctx: c.Context, *, with_home: bool = True) -> Iterator[tuple[str, str]]:
    """Every generated page and export as ``(tree path, text)``, one at a time (a writer need not hold them all)."""
    pagecache.begin()
    settings = pagecache.settings_key(ctx)
    plan: list[tuple[str, str | None, str | None]] = []  # each item page: path, kept text, cache key
    todo: list[_Todo] = []
    for path, call in item_jobs(ctx):
        cached = isinstance(call, partial) and call.func in CACHED
        key = pagecache.call_key(settings, path, call) if cached and isinstance(call, partial) else None
        kept = pagecache.reuse(ctx, path, key) if key is not None else None
        plan.append((path, kept, key))
        if kept is None:
            todo.append((path, call, key))
    rendered = fork_imap(_render_page, todo)
    for path, kept, key in plan:
        if kept is None:
            kept, bodies, reads = next(rendered)
            rendercache.adopt(*bodies)
            if key is not None:
                pagecache.keep(path, key, reads, kept, bodies[1])
        yield path, kept
    pagecache.finish()
    for path, render in summary_jobs(ctx, with_home=with_home):
        yield path, render()
    exports.finish()


def page_count(ctx: c.Context, *, with_home: bool = True) -> int:
    """How many pages :func:`iter_tree` yields (for a progress bar)."""
    return len(item_jobs(ctx)) + len(summary_jobs(ctx, with_home=with_home))


def render_tree(ctx: c.Context, *, with_home: bool = True) -> dict[str, str]:
    """Every generated page and export as ``{tree path: text}``; pure."""
    return dict(iter_tree(ctx, with_home=with_home))
