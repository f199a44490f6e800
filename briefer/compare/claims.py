"""Claims to check: the sentences and list items of a text or Markdown summary, or the
items of a briefer JSON brief (their cited ids are hints, never trusted)."""

from __future__ import annotations

import json
import re

from pydantic import ValidationError

from ..errors import InputError
from ..schema import Brief
from ..text.ingest import load_sources, split_sentences
from ..text.words import word_tokens
from .models import Claim

_CITATION = re.compile(r"\s*\[(?:(?:D\d+\.)?S\d+(?:,\s*)?)+\]")


def claims_from_text(text: str) -> list[Claim]:
    """Sentences and list items of a plain-text or Markdown summary; headings, rules and
    the brief's footer are not claims; citation marks become hints."""
    claims: list[Claim] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or re.fullmatch(r"[-*_=]{3,}", line) or \
                (line.startswith("*") and line.endswith("*") and " words · " in line):
            continue
        line = re.sub(r"^(?:[-*+]|\d+[.)]|>)\s+", "", line)
        line = re.sub(r"\*\*([^*]+)\*\*:?|\*([^*]+)\*:?", lambda m: (m.group(1) or m.group(2)) + (":" if m.group(0).endswith(":") else ""), line)
        line = re.sub(r"^(?:Bottom line|BOTTOM LINE):\s*", "", line)
        hints = re.findall(r"(?:D\d+\.)?S\d+", " ".join(_CITATION.findall(line)))
        line = _CITATION.sub("", line).strip()
        for start, end in split_sentences(line):
            sentence = line[start:end].strip()
            if len(word_tokens(sentence)) >= 3:
                claims.append(Claim(sentence, hints))
    return claims


def claims_from_brief(brief: Brief) -> list[Claim]:
    # the bottom line may be several sentences, each resting on its own cited sentence
    claims = [Claim(brief.bluf[a:b], brief.bluf_evidence) for a, b in split_sentences(brief.bluf)]
    for side in brief.sides:
        claims += [Claim(p.text, p.evidence) for p in side.positions]
    for dispute in brief.disputes:
        claims += [Claim(s.text, s.evidence) for s in dispute.stances]
    claims += [Claim(a.text, a.evidence) for a in brief.agreements]
    claims += [Claim(f"{n.actor} {n.action}" + (f" {n.timing}" if n.timing else ""), n.evidence)
               for n in brief.next_steps]
    claims += [Claim(f"{q.speaker} said “{q.text}”", q.evidence) for q in brief.quotes]
    return claims


def read_summary(path: str) -> tuple[list[Claim], str]:
    """Claims of the summary at ``path`` ("-" for stdin) and a label for it."""
    doc = load_sources([path])[0]
    text = doc.text
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        if not isinstance(data, dict) or "schema_version" not in data:
            raise InputError(f"{path} is JSON but not a briefer brief (no schema_version)")
        try:
            brief = Brief.model_validate(data)
        except ValidationError as exc:
            raise InputError(f"{path} is not a valid briefer brief: {exc.errors()[0]['msg']}") from exc
        claims = claims_from_brief(brief)
    else:
        claims = claims_from_text(text)
    if not claims:
        raise InputError(f"{path} has no claims to check")
    return claims, path

