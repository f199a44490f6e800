"""What a comparison reports: per-claim verdicts with evidence and flags, the important
source content no claim covers, and the overall scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from ..schema import SourceRef

Verdict = Literal["supported", "unsupported", "contradicted"]


class Flag(BaseModel):
    kind: Literal["number", "date", "entity", "negation", "quote"]
    detail: str
    closest: str | None = None  # for quotes: the closest source passage
    diff: str | None = None  # for quotes: word diff, "[-source words-] {+summary words+}"


class Evidence(BaseModel):
    ids: list[str]
    text: str


class ClaimResult(BaseModel):
    number: int
    text: str
    verdict: Verdict
    score: float
    evidence: Evidence | None = None
    flags: list[Flag] = Field(default_factory=list)
    hint_ids: list[str] = Field(default_factory=list)


class Missing(BaseModel):
    id: str
    text: str
    importance: float
    reasons: list[str]


class Counts(BaseModel):
    claims: int
    supported: int
    unsupported: int
    contradicted: int
    flagged: int


class Comparison(BaseModel):
    summary: str
    sources: list[SourceRef]
    judge: str
    faithfulness: float  # mean claim support in [0, 1]
    coverage: float  # share of the sources' important content the claims cover
    counts: Counts
    claims: list[ClaimResult]
    missing: list[Missing]


@dataclass
class Claim:
    text: str
    hint_ids: list[str]

