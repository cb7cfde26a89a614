"""MkDocs hooks (mkdocs.yml ``hooks:``): generate the incident pages before MkDocs builds.

Plain ``mkdocs build`` and ``mkdocs serve`` run these, so they give the same
site as ``failurelog build``. The work is done by :mod:`failurelog.site.hooks`,
whose ``__all__`` names the events; importing them all keeps this file the same
when the package adds one.
"""

from failurelog.site.hooks import *  # noqa: F403
from failurelog.site.hooks import __all__  # noqa: F401
