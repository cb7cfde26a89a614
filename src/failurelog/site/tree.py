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
from failurelog.model import export
from failurelog.site import context as c
from failurelog.site import rendercache
from failurelog.site.asset_pages import asset_history_page, asset_index
from failurelog.site.history_pages import audit_page
from failurelog.site.home_page import home_page
from failurelog.site.incident_page import incident_page
from failurelog.site.index_pages import field_index, incident_index, pattern_overview, value_page_text
from failurelog.site.recovery_page import recovery_page
from failurelog.site.report_pages import actions_page, data_page, related_page
from failurelog.site.signature_pages import signatures_page
from failurelog.site.stats_page import statistics_page

#: The static assets copied into the tree (``site/assets/``).
ASSET_FILES = ("failurelog.js", "failurelog.css", "search.js", "search.css")


#: A page to render: its tree path and the call that renders it.
Job = tuple[str, Callable[[], str]]


def _render_page(job: Job) -> tuple[str, tuple[dict[str, rendercache.Parts], set[str]]]:
    return job[1](), rendercache.take()  # a worker's rendered bodies go back to the parent's cache


def item_jobs(ctx: c.Context) -> list[Job]:
    """One page per incident and per grouped value: most of the work (rendered over the CPUs)."""
    jobs: list[Job] = [(incident.page, partial(incident_page, ctx, incident)) for incident in ctx.model.incidents]
    for index in ctx.patterns:
        jobs += [(c.value_page(index, value), partial(value_page_text, ctx, index, value)) for value in index.values]
    jobs += [(c.asset_page(history), partial(asset_history_page, ctx, history)) for history in ctx.assets.histories]
    return jobs


def _asset(name: str) -> str:
    return resources.files("failurelog.site").joinpath("assets").joinpath(name).read_text("utf-8")


def summary_jobs(ctx: c.Context, *, with_home: bool = True) -> list[Job]:
    """The pages over the whole model (indexes, reports, exports), the assets, the home page; new pages go here."""
    metas = sorted((i.meta for i in ctx.model.incidents), key=lambda meta: str(meta.get("id", "")))
    jobs: list[Job] = [
        (c.INCIDENT_INDEX, partial(incident_index, ctx)),
        (c.PATTERN_INDEX, partial(pattern_overview, ctx)),
    ]
    jobs += [(c.field_page(index), partial(field_index, ctx, index)) for index in ctx.patterns]
    jobs += [
        (c.RELATED, partial(related_page, ctx)),
        (c.SIGNATURES, partial(signatures_page, ctx)),
        (c.ACTIONS, partial(actions_page, ctx)),
        (c.STATISTICS, partial(statistics_page, ctx)),
        (c.RECOVERY, partial(recovery_page, ctx)),
        (c.ASSET_INDEX, partial(asset_index, ctx)),
        (c.DATA, partial(data_page, ctx)),
        (c.AUDIT, partial(audit_page, ctx)),
    ]
    inputs = (ctx.model.schema.raw, metas)  # the exports' every input: kept in a running serve when unchanged
    to_json, to_csv = partial(export.to_json, metas), partial(export.to_csv, ctx.model.schema, metas)
    jobs += [
        (c.EXPORT_JSON, partial(rendercache.kept_export, c.EXPORT_JSON, inputs, to_json)),
        (c.EXPORT_CSV, partial(rendercache.kept_export, c.EXPORT_CSV, inputs, to_csv)),
    ]
    jobs += [(f"{c.ASSETS}/{name}", partial(_asset, name)) for name in ASSET_FILES]
    if with_home:
        jobs.append((c.HOME, partial(home_page, ctx)))
    return jobs


def iter_tree(ctx: c.Context, *, with_home: bool = True) -> Iterator[tuple[str, str]]:
    """Every generated page and export as ``(tree path, text)``, one at a time (a writer need not hold them all)."""
    items = item_jobs(ctx)
    for (path, _render), (text, bodies) in zip(items, fork_imap(_render_page, items), strict=True):
        rendercache.adopt(*bodies)
        yield path, text
    for path, render in summary_jobs(ctx, with_home=with_home):
        yield path, render()


def page_count(ctx: c.Context, *, with_home: bool = True) -> int:
    """How many pages :func:`iter_tree` yields (for a progress bar)."""
    return len(item_jobs(ctx)) + len(summary_jobs(ctx, with_home=with_home))


def render_tree(ctx: c.Context, *, with_home: bool = True) -> dict[str, str]:
    """Every generated page and export as ``{tree path: text}``; pure."""
    return dict(iter_tree(ctx, with_home=with_home))
