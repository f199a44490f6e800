"""One page on paper: the HTML brief laid out by WeasyPrint, fitted to one A4 or Letter page.

A brief that would run over one page loses whole items, lowest priority first, in the
word budget's order (``budget.drop_order``), until it fits; ``meta.dropped_for_page``
says what went. Text is never shrunk: the print CSS has a fixed type scale.

WeasyPrint is an optional extra (``pip install 'briefer[pdf]'``), imported only here and
only when a page is laid out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..briefs.budget import body_words, drop_empty_sides, drop_order
from ..errors import UsageError
from ..schema import Brief
from .render import check_paper, render_html, texts_and_evidence

INSTALL_HINT = "pip install 'briefer[pdf]'"
PAPER_NAMES = {"a4": "A4", "letter": "Letter"}


def require_weasyprint() -> Any:
    """The weasyprint module, or a one-line usage error saying how to get it."""
    try:
        import weasyprint.urls  # URLFetcher: WeasyPrint 68 or later
    except ImportError as exc:
        raise UsageError(f"PDF output needs WeasyPrint: {INSTALL_HINT}") from exc
    except OSError as exc:  # installed, but Pango or another system library is missing
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(f"WeasyPrint cannot load its system libraries (Pango): {first_line}") from exc
    return weasyprint


@dataclass
class PageFit:
    """A brief as it fits the page: the trimmed brief, its layout and its page count."""

    brief: Brief
    document: Any  # weasyprint.Document
    paper: str

    @property
    def pages(self) -> int:
        return len(self.document.pages)

    def pdf(self) -> bytes:
        return self.document.write_pdf()


def without_lowest(brief: Brief, count: int) -> Brief:
    """A copy of ``brief`` without its ``count`` lowest-priority items, its citations and
    word count brought in line, and the dropped items named in ``meta.dropped_for_page``."""
    trimmed = brief.model_copy(deep=True)
    dropped = drop_order(trimmed)[:count]
    for droppable in dropped:
        droppable.drop()
    drop_empty_sides(trimmed)
    cited = {i for _, ids in texts_and_evidence(trimmed) for i in ids}
    trimmed.citations = {i: text for i, text in trimmed.citations.items() if i in cited}
    trimmed.meta.words = body_words(trimmed)
    trimmed.meta.dropped_for_page = brief.meta.dropped_for_page + [d.label() for d in dropped]
    return trimmed


def fit_to_page(brief: Brief, paper: str = "a4", notice: Callable[[str], None] | None = None) -> PageFit:
    """Lay ``brief`` out on ``paper``, dropping the fewest lowest-priority items that make
    it one page. Dropping more items does not add pages, so the fewest is searched for
    (1, 2, 4, ... dropped, then bisection): a handful of layouts, not one per item. What
    is returned was laid out and counted, so a one-page result is one page regardless."""
    check_paper(paper)
    weasyprint = require_weasyprint()
    # The page needs nothing from outside; fetching nothing at all means even markup that
    # slipped past escaping could not read a local file or call a server.
    fetch_nothing = weasyprint.urls.URLFetcher(allowed_protocols=())

    def lay_out(count: int) -> PageFit:
        trimmed = without_lowest(brief, count) if count else brief.model_copy(deep=True)
        html = weasyprint.HTML(string=render_html(trimmed, paper), url_fetcher=fetch_nothing)
        return PageFit(trimmed, html.render(), paper)

    best = lay_out(0)
    if best.pages == 1:
        return best
    total = len(drop_order(brief))
    not_enough, fits = 0, None  # dropping not_enough items leaves more than one page; dropping fits makes one
    count = 1
    while count < total:
        attempt = lay_out(count)
        if attempt.pages == 1:
            fits, best = count, attempt
            break
        not_enough, count = count, count * 2
    if fits is None:
        best = lay_out(total)
        if best.pages > 1:
            if notice:
                notice(f"briefer: the brief takes {best.pages} {PAPER_NAMES[paper]} pages "
                       "even without its optional items")
            return best
        fits = total
    while fits - not_enough > 1:
        middle = (not_enough + fits) // 2
        attempt = lay_out(middle)
        if attempt.pages == 1:
            fits, best = middle, attempt
        else:
            not_enough = middle
    if notice:
        notice(f"briefer: dropped {fits} item{'s' if fits != 1 else ''} to fit one {PAPER_NAMES[paper]} page: "
               + "; ".join(best.brief.meta.dropped_for_page[len(brief.meta.dropped_for_page):]))
    return best


def render_pdf(brief: Brief, paper: str = "a4") -> bytes:
    """The brief as a one-page PDF (see ``fit_to_page``)."""
    return fit_to_page(brief, paper).pdf()
