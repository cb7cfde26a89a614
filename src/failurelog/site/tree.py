"""The site's generated Markdown tree as data: model in, ``{tree path: text}`` out, nothing written.

:func:`render_tree` calls every page function of ``site/`` (one per incident
and per grouped value, spread over the CPUs, then the index, report and
export pages and the static assets). A new page is registered here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib import resources

from failurelog.core.parallel import fork_map
from failurelog.site import context as c
from failurelog.site.history_pages import audit_page
from failurelog.site.home_page import home_page
from failurelog.site.incident_page import incident_page
from failurelog.site.index_pages import field_index, incident_index, pattern_overview, value_page_text
from failurelog.site.report_pages import actions_page, data_page, related_page
from failurelog.site.stats_page import statistics_page

#: The static assets copied into the tree (``site/assets/``).
ASSET_FILES = ("failurelog.js", "failurelog.css", "search.js", "search.css")


def _render_page(job: tuple[str, Callable[[], str]]) -> str:
    return job[1]()


def render_tree(ctx: c.Context, *, with_home: bool = True) -> dict[str, str]:
    """Every generated page and export as ``{tree path: text}``; pure."""
    from failurelog.model import export

    files: dict[str, str] = {}
    # One page per incident and per grouped value: most of the work, spread over the CPUs.
    pages: list[tuple[str, Callable[[], str]]] = [
        (incident.page, partial(incident_page, ctx, incident)) for incident in ctx.model.incidents
    ]
    for index in ctx.patterns:
        pages += [(c.value_page(index, value), partial(value_page_text, ctx, index, value)) for value in index.values]
    for (path, _render), text in zip(pages, fork_map(_render_page, pages), strict=True):
        files[path] = text
    files[c.INCIDENT_INDEX] = incident_index(ctx)
    files[c.PATTERN_INDEX] = pattern_overview(ctx)
    for index in ctx.patterns:
        files[c.field_page(index)] = field_index(ctx, index)
    files[c.RELATED] = related_page(ctx)
    files[c.ACTIONS] = actions_page(ctx)
    files[c.STATISTICS] = statistics_page(ctx)
    files[c.DATA] = data_page(ctx)
    files[c.AUDIT] = audit_page(ctx)
    metas = sorted((i.meta for i in ctx.model.incidents), key=lambda meta: str(meta.get("id", "")))
    files[c.EXPORT_JSON] = export.to_json(metas)
    files[c.EXPORT_CSV] = export.to_csv(ctx.model.schema, metas)
    for name in ASSET_FILES:
        files[f"{c.ASSETS}/{name}"] = (
            resources.files("failurelog.site").joinpath("assets").joinpath(name).read_text("utf-8")
        )
    if with_home:
        files[c.HOME] = home_page(ctx)
    return files
