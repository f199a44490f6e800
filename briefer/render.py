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
