"""A deterministic backend that needs no network.

By default it answers each request from the request's own text with the extractive
engine: source lines ``S3 ...`` for notes, the ``<notes>`` JSON for the brief step. For
tests it is scriptable: ``queue()`` raw answers (served first, in order) and read
``requests`` to see exactly what was asked.
"""

from __future__ import annotations

import json
import re

from ..extractive import Line, compose_brief, condense_notes, extract_notes
from ..schema import Notes
from .base import Backend, ChatRequest, ChatResponse

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


def _words(messages: list[dict[str, str]]) -> int:
    return sum(len(m["content"].split()) for m in messages)


class MockBackend(Backend):
    name = "mock"

    def __init__(self, responses: list[str] | None = None):
        self.model = None
        self.responses: list[str] = list(responses or [])
        self.requests: list[ChatRequest] = []
        self.answers: list[str] = []

    def queue(self, *responses: str) -> "MockBackend":
        self.responses.extend(responses)
        return self

    def complete(self, request: ChatRequest) -> ChatResponse:
        self.requests.append(request)
        if self.responses:
            content = self.responses.pop(0)
        else:
            content = self._answer(request)
        self.answers.append(content)
        # Word counts stand in for tokens: the offline engine has no tokenizer of its own.
        return ChatResponse(content=content, prompt_tokens=_words(request.messages),
                            completion_tokens=len(content.split()))

    def _answer(self, request: ChatRequest) -> str:
        # The first user message carries the material; later ones are re-ask feedback.
        user = next(m["content"] for m in request.messages if m["role"] == "user")
        if request.task in ("brief", "reduce"):
            match = _NOTES_RE.search(user)
            notes = Notes.model_validate_json(match.group(1)) if match else Notes()
            if request.task == "reduce":
                return condense_notes(notes).model_dump_json()
            return json.dumps(compose_brief(notes), ensure_ascii=False)
        if request.task == "digest":
            from ..stories import offline_digest

            match = _BRIEFS_RE.search(user)
            return json.dumps(offline_digest(json.loads(match.group(1)) if match else {"documents": []}))
        if request.task == "verify":
            from ..compare import offline_verdict

            claim = re.search(r"^Claim: (.*)$", user, re.M)
            lines = [(line.id, line.text) for line in _source_lines(user)]
            return json.dumps(offline_verdict(claim.group(1) if claim else "", lines))
        title = _TITLE_RE.search(user)
        notes = extract_notes(_source_lines(user), title.group(1) if title else None)
        return notes.model_dump_json()
