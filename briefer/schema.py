"""Pydantic models at the pipeline's boundaries.

``Notes`` is what a model returns for one chunk (and what merged/reduced notes look like);
``BriefDraft`` is what the model returns for the final brief step; ``Brief`` is the public,
versioned JSON contract documented in the README (``schema_version`` "1").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_VERSION = "1"
Certainty = Literal["scheduled", "expected", "possible", "demanded"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Point(_Model):
    text: str
    evidence: list[str]


class Actor(_Model):
    name: str
    side: str | None = None
    aliases: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)


class Position(_Model):
    actor: str
    side: str | None = None
    text: str
    evidence: list[str]


class Stance(_Model):
    side: str
    text: str
    evidence: list[str]


class Dispute(_Model):
    issue: str
    stances: list[Stance]


class NextStep(_Model):
    actor: str
    action: str
    timing: str | None = None
    date: str | None = None  # YYYY-MM-DD
    certainty: Certainty
    evidence: list[str]

    @field_validator("date", mode="before")
    @classmethod
    def _repair_date(cls, value):
        """Keep a YYYY-MM-DD date ('2023-03-18 14:59' -> '2023-03-18'); anything else is no
        date, not a reason to ask the model again."""
        match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value) if isinstance(value, str) else None
        return match.group(1) if match else None


class Quote(_Model):
    speaker: str
    text: str
    evidence: list[str]


class Notes(_Model):
    """Structured notes for one chunk, or for several chunks after merging."""

    key_points: list[Point] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    disputes: list[Dispute] = Field(default_factory=list)
    agreements: list[Point] = Field(default_factory=list)
    next_steps: list[NextStep] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    # parties the text names often but who state nothing of their own (a defendant, the
    # other party to a talks): the name as ``text``, the sentences that name it
    named: list[Point] = Field(default_factory=list)


def notes_json(notes: Notes) -> str:
    """Notes as sent back to a model (reduce and brief steps): compact, without empty
    fields or the actors' evidence lists, which the later steps do not need."""
    return notes.model_dump_json(exclude_defaults=True, exclude={"actors": {"__all__": {"evidence"}}})


class Side(_Model):
    name: str
    actors: list[str] = Field(default_factory=list)
    positions: list[Point] = Field(default_factory=list)
    # a side with no position of its own in the text: the sentences that name it
    evidence: list[str] = Field(default_factory=list)


class BriefDraft(_Model):
    """What the model writes in the final step; the pipeline adds citations, sources, meta."""

    bluf: str
    bluf_evidence: list[str] = Field(default_factory=list)
    sides: list[Side] = Field(default_factory=list)
    agreements: list[Point] = Field(default_factory=list)
    disputes: list[Dispute] = Field(default_factory=list)
    next_steps: list[NextStep] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)


class SourceRef(_Model):
    id: str
    path: str
    sha256: str


class CheckScores(_Model):
    """``brief --check``: the brief compared with its own sources (lexical judge)."""

    faithfulness: float
    coverage: float
    supported: int
    unsupported: int
    contradicted: int


class Meta(_Model):
    backend: str
    model: str | None = None
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    chunks: int = 0
    dropped_ungrounded: int = 0
    elapsed_s: float = 0.0
    words: int = 0
    cache_hits: int = 0  # answers reused from the response cache (not in llm_calls or tokens)
    structured_output: str | None = None  # json_schema | json_object | text, for model servers
    cost_usd: float | None = None  # estimated from the price table; None when the price is unknown
    check: CheckScores | None = None  # only with --check
    # items dropped so the brief fits one printed page (--format pdf, or html with --paper)
    dropped_for_page: list[str] = Field(default_factory=list)
    map_task: str | None = None  # notes (the model writes notes) or select (it picks sentence ids)
    model_picks: int | None = None  # select: picks of the model's that became notes items
    picks_dropped: int = 0  # select: picks dropped by the checks (no reading of the sentence, a label not in it)
    shared_prefix_tokens: int | None = None  # per map call: prompt tokens every map call shares (cacheable)


class Brief(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    title: str
    as_of: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    bluf: str
    bluf_evidence: list[str] = Field(default_factory=list)
    sides: list[Side] = Field(default_factory=list)
    agreements: list[Point] = Field(default_factory=list)
    disputes: list[Dispute] = Field(default_factory=list)
    next_steps: list[NextStep] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    citations: dict[str, str] = Field(default_factory=dict)
    sources: list[SourceRef] = Field(default_factory=list)
    meta: Meta


# ---------------------------------------------------------------- digests


class StoryDraft(_Model):
    headline: str
    summary: str
    evidence: list[str]
    points: list[Point] = Field(default_factory=list)


class DigestDraft(_Model):
    """What the model returns for the cross-document step: stories, most important first."""

    stories: list[StoryDraft]


class Story(StoryDraft):
    sources: list[str]  # document ids ("D2"), from the evidence
    new: bool  # carries a document the job's previous digest did not have


class DigestDocument(_Model):
    id: str
    location: str  # path or URL
    title: str | None = None
    sha256: str
    brief: Literal["new", "reused"]  # briefed in this run, or taken from the state


class SkippedSource(_Model):
    source: str
    reason: str


class DigestMeta(_Model):
    backend: str
    model: str | None = None
    llm_calls: int = 0  # requests that reached a model in this run (state and cache hits excluded)
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    documents: int = 0
    briefed: int = 0
    reused: int = 0
    skipped: int = 0
    stories: int = 0
    dropped_ungrounded: int = 0
    elapsed_s: float = 0.0
    cost_usd: float | None = None
    run_id: int | None = None


class Digest(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    kind: Literal["digest"] = "digest"
    job: str
    title: str
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    since: str | None = None  # the window, ISO 8601
    until: str
    stories: list[Story] = Field(default_factory=list)
    documents: list[DigestDocument] = Field(default_factory=list)
    skipped: list[SkippedSource] = Field(default_factory=list)
    citations: dict[str, str] = Field(default_factory=dict)
    meta: DigestMeta


@lru_cache(maxsize=None)  # generating a schema costs ~10 ms; every model call needs one
def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the shape OpenAI's strict ``json_schema`` mode accepts.

    Strict mode wants every property required, ``additionalProperties: false`` and no
    defaults; optional fields stay nullable through ``anyOf [..., null]``.
    """
    schema = model.model_json_schema()

    def tighten(node: Any) -> Any:
        if isinstance(node, dict):
            # The schema goes with every call: no docstrings, titles or defaults. "pattern"
            # stays with pydantic, which validates it anyway.
            node = {k: tighten(v) for k, v in node.items()
                    if k not in ("default", "title", "pattern", "description")}
            options = node.get("anyOf")
            if options and all(set(o) == {"type"} for o in options):  # nullable scalar
                node = {k: v for k, v in node.items() if k != "anyOf"}
                node["type"] = [o["type"] for o in options]
            if node.get("type") == "object" and "properties" in node:
                node["required"] = list(node["properties"])
                node["additionalProperties"] = False
            return node
        if isinstance(node, list):
            return [tighten(v) for v in node]
        return node

    return tighten(schema)
