"""The repository's ``mkdocs.yml`` as data: read by the site build and by ``validate``, which renders bodies alike."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from failurelog.core.bodyhtml import extension_spec
from failurelog.core.errors import FailurelogError

CONFIG_FILE = Path("mkdocs.yml")


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring ``!!python/name:`` and ``!ENV`` tags instead of failing on them."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_config(root: Path) -> dict[str, Any]:
    """The repository's mkdocs.yml as data (empty when missing)."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except yaml.YAMLError as exc:
        raise FailurelogError(f"{path}: not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise FailurelogError(f"{path}: cannot be read: {exc}") from exc
    return data if isinstance(data, dict) else {}


#: What ``validate`` renders with where a repository has no mkdocs.yml (yet): this project's extensions,
#: so that an image or a payload hidden in a footnote or an admonition is judged as the site would show it.
DEFAULT_EXTENSIONS = (
    "tables",
    "admonition",
    "footnotes",
    "def_list",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.superfences",
    "pymdownx.inlinehilite",
)


@lru_cache(maxsize=16)
def markdown_spec(root: Path) -> str:
    """The body-level Markdown extensions of ``root``'s mkdocs.yml (see :func:`failurelog.core.bodyhtml.render`)."""
    try:
        config = read_config(root)
    except FailurelogError:
        config = {}
    if "markdown_extensions" not in config:
        config = {**config, "markdown_extensions": list(DEFAULT_EXTENSIONS)}
    return extension_spec(config)


def edit_base(config: dict[str, Any]) -> str | None:
    """URL prefix for editing a repository file, from ``repo_url`` and ``edit_uri`` (repository-relative)."""
    repo, edit = config.get("repo_url"), config.get("edit_uri")
    if not isinstance(edit, str) or not edit:
        return None
    if edit.startswith(("http://", "https://")):
        base = edit
    elif isinstance(repo, str) and repo:
        base = repo.rstrip("/") + "/" + edit.lstrip("/")
    else:
        return None
    return base if base.endswith("/") else base + "/"
