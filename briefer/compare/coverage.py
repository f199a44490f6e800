"""Coverage: the sources' important sentences (attributed statements, numbers, plans and
dates, the lead, sentences many others relate to) and which of them no claim covers."""

from __future__ import annotations

import re
from collections import Counter

from ..text.words import STOP
from ..text.words import word_tokens as _tokens
from .lexical import NUMBER, SourceIndex
from .models import ClaimResult, Missing

_ATTRIBUTION = re.compile(r"\b(said|says|told|warned|urged|announced|stated|added|according to)\b", re.I)
_PLAN = re.compile(r"\b(will|would|expected to|plans? to|scheduled|next (?:week|month|year)|deadline)\b", re.I)


def importance(index: SourceIndex) -> list[tuple[float, list[str], int]]:
    df: Counter = Counter(w for toks in index.tokens for w in set(toks) if w not in STOP)
    ranked = []
    for i, sentence in enumerate(index.sentences):
        words = {w for w in index.tokens[i] if w not in STOP}
        reasons, value = [], 0.0
        if _ATTRIBUTION.search(sentence.text):
            reasons.append("attributed statement")
            value += 1.0
        if NUMBER.search(sentence.text):
            reasons.append("numbers")
            value += 0.5
        if _PLAN.search(sentence.text):
            reasons.append("plan or date")
            value += 0.75
        related = sum(1 for w in words if df[w] > 1) / (1 + len(words)) ** 0.5
        if related > 1.5:
            reasons.append("central")
        value += related / 3
        if i == 0:
            reasons.append("lead")
            value += 1.0
        ranked.append((value, reasons, i))
    return sorted(ranked, key=lambda r: (-r[0], r[2]))


def coverage(index: SourceIndex, results: list[ClaimResult], limit: int = 10) -> tuple[float, list[Missing]]:
    cited = {i for r in results if r.evidence for i in r.evidence.ids}
    claim_words = [set(_tokens(r.text)) - STOP for r in results]
    top = importance(index)[: max(3, min(limit, len(index.sentences) // 3))]
    total = sum(v for v, _, _ in top) or 1.0
    covered, missing = 0.0, []
    for value, reasons, i in top:
        sentence = index.sentences[i]
        words = set(index.tokens[i]) - STOP
        hit = sentence.id in cited or any(len(words & cw) >= 0.5 * len(words) for cw in claim_words if words)
        if hit:
            covered += value
        else:
            missing.append(Missing(id=sentence.id, text=sentence.text, importance=round(value, 3), reasons=reasons))
    return round(covered / total, 4), missing

