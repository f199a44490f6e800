"""Rendering a ``Brief``: Markdown and plain text through Jinja2 templates, JSON as is."""

from __future__ import annotations

from pathlib import Path

import jinja2

from .errors import UsageError
from .schema import Brief

FORMATS = ("md", "json", "txt")
_TEMPLATES = Path(__file__).resolve().parent / "templates"


def cite(ids: list[str]) -> str:
    """Compact citation: ' [S3, S7]' (empty when there is nothing to cite)."""
    return f" [{', '.join(ids)}]" if ids else ""


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters["cite"] = cite
    return env


def engine_label(brief: Brief) -> str:
    if brief.meta.backend == "mock":
        return "offline extractive engine"
    return f"{brief.meta.model} via {brief.meta.backend}"


def render(brief: Brief, fmt: str = "md") -> str:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")
    if fmt == "json":
        return brief.model_dump_json(indent=2) + "\n"
    template = _env().get_template(f"brief.{fmt}.j2")
    return template.render(brief=brief, engine=engine_label(brief))


def render_digest(digest, fmt: str = "md") -> str:
    """A digest as Markdown or JSON."""
    if fmt == "json":
        return digest.model_dump_json(indent=2) + "\n"
    if fmt != "md":
        raise UsageError(f"unknown digest format {fmt!r} (choose md, json)")
    engine = "offline extractive engine" if digest.meta.backend == "mock" else f"{digest.meta.model} via {digest.meta.backend}"
    return _env().get_template("digest.md.j2").render(d=digest, engine=engine)


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
