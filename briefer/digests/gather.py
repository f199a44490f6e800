"""Gathering a digest's documents: files, folders, globs, web pages and RSS/Atom feeds.

Nothing here raises for one bad source: a missing file, an unreachable URL, a 404, a feed
that does not parse, a page with no main text, a binary or oversized file each become a
``Skipped`` entry with a one-line reason, and the rest of the digest goes on.

Windows: explicit files are always taken; folder and glob members only when modified
inside the window; feed entries only when published (or updated) inside it, and undated
entries are taken (a feed that dates nothing would otherwise give nothing).
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

from ..errors import BrieferError
from ..text.document import Document
from ..text.ingest import DEFAULT_MAX_BYTES, parse_text, read_source

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml"}
MAX_FEED_ENTRIES = 50
FETCH_THREADS = 4
_GLOB_CHARS = re.compile(r"[*?\[]")
_FEED_TYPES = ("rss", "atom", "application/xml", "text/xml")
_FEED_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml|<rss|<feed|<rdf:RDF)", re.I)


@dataclass
class Skipped:
    source: str
    reason: str


@dataclass
class Gathered:
    documents: list[Document]  # ids are assigned by the caller
    skipped: list[Skipped]
    sources: list[tuple[str, str, str | None]]  # (location, kind, error) for the state


class _Fetcher:
    """HTTP GET with a size cap; errors become one-line reasons."""

    def __init__(self, timeout: float, max_bytes: int):
        import httpx

        self.httpx = httpx
        self.max_bytes = max_bytes
        self.client = httpx.Client(timeout=timeout, follow_redirects=True,
                                   headers={"User-Agent": "briefer-digest/0.1 (+https://pypi.org/project/briefer)"})

    def get(self, url: str) -> tuple[bytes, str]:
        """(body, content type) or raises BrieferError with the reason."""
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise BrieferError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
                body = bytearray()
                for part in response.iter_bytes():
                    body += part
                    if len(body) > self.max_bytes:
                        raise BrieferError(f"larger than the {self.max_bytes / 2**20:g} MB input limit")
                return bytes(body), response.headers.get("content-type", "")
        except self.httpx.TimeoutException as exc:
            raise BrieferError("unreachable: timed out") from exc
        except self.httpx.HTTPError as exc:
            raise BrieferError(f"unreachable: {exc}") from exc

    def close(self) -> None:
        self.client.close()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def page_document(url: str, html: bytes) -> Document:
    """The main text of a web page (trafilatura), as a Document; raises if there is none."""
    import logging

    import trafilatura

    # briefer reports a page without main text itself, as a skipped source; trafilatura's
    # own warnings would reach stderr through logging's last-resort handler
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    markup = html.decode("utf-8", errors="replace")
    text = trafilatura.extract(markup, url=url, include_comments=False, include_tables=False,
                               favor_precision=True)
    if not text or not text.strip():
        raise BrieferError("no main text found on the page")
    metadata = trafilatura.extract_metadata(markup)
    title = metadata.title if metadata is not None and metadata.title else None
    body = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    doc = parse_text(body, fmt="txt", path=url, sha256=_sha(body))
    doc.title = doc.title or title
    return doc


def _looks_like_feed(url: str, body: bytes, content_type: str) -> bool:
    kind = content_type.lower()
    if "html" in kind:
        return False
    path = urlparse(url).path.lower()
    return (any(t in kind for t in _FEED_TYPES) or bool(_FEED_START.match(body))
            or path.endswith((".rss", ".xml", ".atom")) or path.rstrip("/").endswith(("/feed", "/rss")))


def _entry_time(entry) -> datetime | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime(*stamp[:6], tzinfo=timezone.utc) if stamp else None


def _entry_fallback(entry, link: str) -> Document | None:
    """The entry's own content (many feeds carry the full text) when its page fails."""
    content = entry.get("content") or []
    html = content[0].get("value") if content else entry.get("summary")
    if not html or len(html.split()) < 30:
        return None
    try:
        doc = parse_text(html, fmt="html", path=link, sha256=_sha(html))
    except BrieferError:
        return None
    doc.title = entry.get("title") or doc.title
    return doc


class _Gatherer:
    def __init__(self, since: datetime | None, until: datetime, max_bytes: int, timeout: float,
                 warn: Callable[[str], None] | None):
        self.since, self.until = since, until
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.warn = warn
        self._fetcher: _Fetcher | None = None
        self.result = Gathered([], [], [])

    @property
    def fetcher(self) -> _Fetcher:
        if self._fetcher is None:
            self._fetcher = _Fetcher(self.timeout, self.max_bytes)
        return self._fetcher

    def skip(self, source: str, reason: str) -> None:
        self.result.skipped.append(Skipped(source, reason))

    def in_window(self, moment: datetime | None) -> bool:
        if moment is None:
            return True
        return (self.since is None or moment >= self.since) and moment <= self.until

    # ------------------------------------------------------------ files

    def file(self, path: str) -> None:
        try:
            doc = read_source(path, max_bytes=self.max_bytes, warn=self.warn)
        except BrieferError as exc:
            self.skip(path, str(exc).removeprefix(f"{path} ").removeprefix(f"{path}: "))
            return
        self.result.documents.append(doc)

    def members(self, paths: list[str], source: str) -> None:
        """Folder or glob members: text files modified inside the window, in name order."""
        for path in sorted(paths):
            name = os.path.basename(path)
            if name.startswith(".") or not os.path.isfile(path):
                continue
            modified = datetime.fromtimestamp(os.stat(path).st_mtime, tz=timezone.utc)
            if not self.in_window(modified):
                continue
            if Path(path).suffix.lower() not in TEXT_SUFFIXES:
                self.skip(path, f"not a text, Markdown or HTML file ({Path(path).suffix or 'no suffix'})")
                continue
            self.file(path)
        self.result.sources.append((source, "folder" if os.path.isdir(source) else "glob", None))

    # ------------------------------------------------------------ the web

    def url(self, url: str) -> None:
        try:
            body, content_type = self.fetcher.get(url)
        except BrieferError as exc:
            self.skip(url, str(exc))
            self.result.sources.append((url, "url", str(exc)))
            return
        if _looks_like_feed(url, body, content_type):
            self.feed(url, body)
            return
        self.result.sources.append((url, "page", None))
        try:
            self.result.documents.append(page_document(url, body))
        except BrieferError as exc:
            self.skip(url, str(exc))

    def feed(self, url: str, body: bytes) -> None:
        import feedparser

        parsed = feedparser.parse(body)
        if not parsed.get("version") or (parsed.get("bozo") and not parsed.entries):
            problem = parsed.get("bozo_exception")
            reason = "not an RSS or Atom feed" + (f" ({str(problem).strip()})" if problem else "")
            self.skip(url, reason)
            self.result.sources.append((url, "feed", reason))
            return
        self.result.sources.append((url, "feed", None))
        entries = [e for e in parsed.entries if self.in_window(_entry_time(e))][:MAX_FEED_ENTRIES]
        links = [e.get("link") for e in entries]
        with ThreadPoolExecutor(FETCH_THREADS) as pool:  # pages are independent; keep feed order
            pages = list(pool.map(self._entry_page, links))
        for entry, link, page in zip(entries, links, pages):
            if isinstance(page, Document):
                page.title = page.title or entry.get("title")
                self.result.documents.append(page)
                continue
            fallback = _entry_fallback(entry, link or url)
            if fallback is not None:
                self.result.documents.append(fallback)
            else:
                self.skip(link or f"{url} (entry {entry.get('title', '?')!r})", page)

    def _entry_page(self, link: str | None) -> Document | str:
        if not link:
            return "the feed entry has no link"
        try:
            body, _ = self.fetcher.get(link)
            return page_document(link, body)
        except BrieferError as exc:
            return str(exc)

    # ------------------------------------------------------------ dispatch

    def source(self, source: str) -> None:
        if re.match(r"(?i)https?://", source):
            self.url(source)
        elif os.path.isdir(source):
            self.members([str(p) for p in Path(source).rglob("*")], source)
        elif _GLOB_CHARS.search(source) and not os.path.exists(source):
            matches = glob.glob(source, recursive=True)
            if not matches:
                self.skip(source, "no file matches this pattern")
            self.members(matches, source)
        else:
            self.file(source)
            self.result.sources.append((source, "file", None))


def gather(sources: list[str], *, since: datetime | None, until: datetime,
           max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = 20.0,
           warn: Callable[[str], None] | None = None) -> Gathered:
    """Every document the sources hold inside the window, in source order, each once
    (the same content from two places is kept at its first place)."""
    gatherer = _Gatherer(since, until, max_bytes, timeout, warn)
    try:
        for source in sources:
            gatherer.source(source)
    finally:
        if gatherer._fetcher is not None:
            gatherer._fetcher.close()
    unique, seen = [], set()
    for doc in gatherer.result.documents:
        if doc.sha256 not in seen:
            seen.add(doc.sha256)
            unique.append(doc)
    gatherer.result.documents = unique
    return gatherer.result
