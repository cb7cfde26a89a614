"""Shared by the site tests: throw-away repositories with this project's schema, site config and incidents."""

from __future__ import annotations

import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"
GOLDEN = Path(__file__).resolve().parent / "golden"
#: The build date the fixture pages are generated for (one action item is overdue then).
TODAY = date(2026, 3, 10)
#: Files a site repository needs besides its incidents.
SITE_FILES = ("schema", "templates", "mkdocs.yml", "scripts", "docs")


def make_repo(target: Path, incidents: Path = SITE_FIXTURES / "incidents") -> Path:
    """A repository at ``target``: this project's schema, templates and site config, and ``incidents``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in SITE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    shutil.copytree(incidents, target / "incidents")
    return target


class _Assets(HTMLParser):
    """Collects every URL a page loads by itself (scripts, styles, icons, images, frames)."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and values.get("src"):
            self.loaded.append(values["src"])
        if tag == "link" and values.get("href"):
            rel = values.get("rel", "").lower()
            if any(word in rel for word in ("stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest")):
                self.loaded.append(values["href"])
        if tag == "object" and values.get("data"):
            self.loaded.append(values["data"])


_CSS_URL = re.compile(r"url\(\s*['\"]?(https?:)?//", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\s+['\"]?(url\()?\s*['\"]?https?:", re.IGNORECASE)


def external_assets(site: Path) -> list[str]:
    """Every asset of the built site that would be fetched from another host: must be empty."""
    found: list[str] = []
    for page in site.rglob("*.html"):
        parser = _Assets()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        found.extend(f"{page.relative_to(site)}: {url}" for url in parser.loaded if re.match(r"(https?:)?//", url))
    for sheet in site.rglob("*.css"):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        if _CSS_URL.search(text) or _CSS_IMPORT.search(text):
            found.append(f"{sheet.relative_to(site)}: external url() or @import")
    return found
