"""MkDocs hooks (mkdocs.yml ``hooks:``): generate the incident pages before MkDocs builds.

Plain ``mkdocs build`` and ``mkdocs serve`` run these, so they give the same
site as ``failurelog build``. The work is done by :mod:`failurelog.site.hooks`.
"""

from failurelog.site.hooks import on_config, on_serve

__all__ = ["on_config", "on_serve"]
