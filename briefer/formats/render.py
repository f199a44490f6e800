"""Rendering a ``Brief``: Markdown, plain text and HTML through Jinja2 templates, JSON as is.

HTML has its own template environment with autoescape on: a brief carries source text,
and source text may hold markup, which must show as text. (PDF is ``paper``'s job.)"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from ..errors import UsageError
from ..schema import Brief

FORMATS = ("md", "json", "txt", "html")
# --paper: the CSS page size for each paper name
PAGE_SIZES = {"a4": "A4", "letter": "letter"}
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def cite(ids: list[str]) -> str:
    """Compact citation: ' [S3, S7]' (empty when there is nothing to cite)."""
    return f" [{', '.join(ids)}]" if ids else ""


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters["cite"] = cite
    return env


def dated_first(steps: list) -> list:
    """Next steps with a date first, earliest first; the rest keep their order."""
    return sorted(steps, key=lambda step: (step.date is None, step.date or ""))


def texts_and_evidence(brief: Brief) -> list[tuple[str, list[str]]]:
    """Every piece of text in the brief's body with the ids it cites."""
    pairs = [(brief.bluf, brief.bluf_evidence)]
    pairs += [(p.text, p.evidence) for side in brief.sides for p in side.positions]
    pairs += [(s.text, s.evidence) for d in brief.disputes for s in d.stances]
    pairs += [(item.text, item.evidence) for item in [*brief.agreements, *brief.quotes]]
    pairs += [(f"{n.actor} {n.action}", n.evidence) for n in brief.next_steps]
    return pairs


def shown_verbatim(brief: Brief) -> list[str]:
    """Ids of sentences that already stand word for word in the body (extractive briefs
    often quote a whole sentence): the footer names them instead of printing them twice."""
    def holds(text: str, sentence: str) -> bool:
        return bool(sentence) and " ".join(sentence.split()) in " ".join(text.split())

    shown = {i for text, ids in texts_and_evidence(brief) for i in ids if holds(text, brief.citations.get(i, ""))}
    return [i for i in brief.citations if i in shown]


def dropped_summary(labels: list[str]) -> str:
    """'2 quotes, 1 next step' from ``meta.dropped_for_page`` labels ('quote: ...')."""
    counts: dict[str, int] = {}
    for label in labels:
        kind = label.split(":")[0].split(" (")[0]
        counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items())


@cache  # the one-page fit renders the same templates several times
def _html_env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True, autoescape=True)
    env.filters["dated_first"] = dated_first
    env.filters["dropped_summary"] = dropped_summary
    return env


def check_paper(paper: str | None) -> str | None:
    if paper is not None and paper not in PAGE_SIZES:
        raise UsageError(f"unknown paper {paper!r} (choose {', '.join(PAGE_SIZES)})")
    return paper


def render_html(brief: Brief, paper: str | None = None) -> str:
    """A self-contained HTML page. With ``paper`` the print CSS asks for that page size;
    without it the printer's own paper is used."""
    page_size = PAGE_SIZES[check_paper(paper)] if paper else None
    template = _html_env().get_template("brief.html.j2")
    return template.render(brief=brief, engine=engine_label(brief), page_size=page_size,
                           shown=shown_verbatim(brief))


def engine_label(brief) -> str:
    """Who wrote it, for the colophon: a Brief's or a Digest's meta names the backend."""
    if brief.meta.backend == "mock":
        return "offline extractive engine"
    return f"{brief.meta.model} via {brief.meta.backend}"


def render(brief: Brief, fmt: str = "md") -> str:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")
    if fmt == "json":
        return brief.model_dump_json(indent=2) + "\n"
    if fmt == "html":
        return render_html(brief)
    template = _env().get_template(f"brief.{fmt}.j2")
    return template.render(brief=brief, engine=engine_label(brief))


DIGEST_FORMATS = ("md", "json", "html")


def render_digest(digest, fmt: str = "md") -> str:
    """A digest as Markdown, JSON or self-contained HTML (several pages allowed)."""
    if fmt not in DIGEST_FORMATS:
        raise UsageError(f"unknown digest format {fmt!r} (choose {', '.join(DIGEST_FORMATS)})")
    if fmt == "json":
        return digest.model_dump_json(indent=2) + "\n"
    env = _html_env() if fmt == "html" else _env()
    return env.get_template(f"digest.{fmt}.j2").render(d=digest, engine=engine_label(digest))


COMPARE_FORMATS = ("table", "md", "json")


def render_comparison(result, fmt: str = "md") -> str:
    """A comparison as a rich table (for a terminal), Markdown or JSON."""
    if fmt not in COMPARE_FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose {', '.join(COMPARE_FORMATS)})")
    if fmt == "json":
        return result.model_dump_json(indent=2) + "\n"
    if fmt == "md":
        return _env().get_template("compare.md.j2").render(c=result)
    return _comparison_table(result)


def _comparison_table(result) -> str:
    from rich.console import Console
    from rich.table import Table

    console = Console(record=True, width=120, force_terminal=True)
    table = Table(title=f"{result.summary}: faithfulness {result.faithfulness:.2f}, coverage {result.coverage:.2f}")
    for column in ("#", "verdict", "score", "claim", "evidence", "flags"):
        table.add_column(column, overflow="fold")
    colours = {"supported": "green", "unsupported": "yellow", "contradicted": "red"}
    for claim in result.claims:
        evidence = ", ".join(claim.evidence.ids) if claim.evidence else ""
        flags = "; ".join(f"{f.kind}: {f.detail}" + (f" {f.diff}" if f.diff else "") for f in claim.flags)
        table.add_row(str(claim.number), f"[{colours[claim.verdict]}]{claim.verdict}[/]", f"{claim.score:.2f}",
                      claim.text, evidence, flags)
    with console.capture() as capture:
        console.print(table)
        if result.missing:
            console.print("Missing from the summary (most important first):")
            for item in result.missing:
                console.print(f"  [{item.id}] {item.text} ({', '.join(item.reasons)})")
    return capture.get()
