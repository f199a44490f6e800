"""The offline engine as a backend: deterministic, no network.

It answers each request from the request's own text with the extractive
engine: source lines ``S3 ...`` for notes (or, for the select task, picks), the ``<notes>`` JSON for the brief step. For
tests it is scriptable: ``queue()`` raw answers (served first, in order) and read
``requests`` to see exactly what was asked.
"""

from __future__ import annotations

import json
import re

from ..llm.base import ChatRequest
from ..llm.scripted import ScriptedBackend
from ..schema import Notes
from ..text.words import ngrams, precision, word_tokens
from .compose import compose_brief, condense_notes
from .extractive import extract_notes
from .lexicon import Line
from .picks import engine_picks, find_candidates
from .stories import offline_digest

_LINE_RE = re.compile(r"^\[?((?:D\d+\.)?S\d+)\]? (.*)$")
_HEADING_RE = re.compile(r"^## (.+)$")
_TITLE_RE = re.compile(r"^Title: (.+)$", re.M)
_NOTES_RE = re.compile(r"<notes>\s*(.*?)\s*</notes>", re.S)
_BRIEFS_RE = re.compile(r"<briefs>\s*(.*?)\s*</briefs>", re.S)


def _source_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    heading: str | None = None
    in_source = False
    for raw in text.splitlines():
        if raw.strip() == "<source>":
            in_source = True
        elif raw.strip() == "</source>":
            in_source = False
        elif in_source and (m := _HEADING_RE.match(raw)):
            heading = m.group(1).strip()
        elif in_source and (m := _LINE_RE.match(raw)):
            if lines and lines[-1].id == m.group(1):  # parts of one long sentence
                lines[-1] = Line(m.group(1), lines[-1].text + " " + m.group(2), heading)
            else:
                lines.append(Line(m.group(1), m.group(2), heading))
    return lines


class MockBackend(ScriptedBackend):
    """The offline engine as a backend (``mock``): scriptable like any ScriptedBackend,
    and with nothing queued it answers from the request's own text."""

    name = "mock"

    def answer(self, request: ChatRequest) -> str:
        # The first user message carries the material; later ones are re-ask feedback.
        user = next(m["content"] for m in request.messages if m["role"] == "user")
        if request.task in ("brief", "reduce"):
            match = _NOTES_RE.search(user)
            notes = Notes.model_validate_json(match.group(1)) if match else Notes()
            if request.task == "reduce":
                return condense_notes(notes).model_dump_json()
            return json.dumps(compose_brief(notes), ensure_ascii=False)
        if request.task == "digest":
            match = _BRIEFS_RE.search(user)
            return json.dumps(offline_digest(json.loads(match.group(1)) if match else {"documents": []}))
        if request.task == "verify":
            claim = re.search(r"^Claim: (.*)$", user, re.M)
            lines = [(line.id, line.text) for line in _source_lines(user)]
            return json.dumps(offline_verdict(claim.group(1) if claim else "", lines))
        title = _TITLE_RE.search(user)
        if request.task == "select":
            return json.dumps(engine_picks(find_candidates(_source_lines(user), title.group(1) if title else None)),
                              ensure_ascii=False)
        notes = extract_notes(_source_lines(user), title.group(1) if title else None)
        return notes.model_dump_json()


def offline_verdict(claim: str, lines: list[tuple[str, str]]) -> dict:
    """The answer to a verify request: the claim's word pairs against the given sentences
    only (the lexical judge's local score)."""
    bigrams = ngrams(word_tokens(claim), 2)
    scored = [(precision(bigrams, set(ngrams(word_tokens(text), 2))), sid) for sid, text in lines]
    best, sid = max(scored, default=(0.0, None))
    if sid is None or best < 0.5:
        return {"verdict": "not_in_source", "evidence": []}
    return {"verdict": "supported", "evidence": [sid]}
