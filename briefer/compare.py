"""Checking a summary against its sources: which claims are supported, which carry wrong
numbers, dates, names, negations or quotes, and what important content is missing.

The lexical judge needs no model: a claim's support is how much of its wording (words,
word pairs, word triples) the sources carry, half over the whole source and half in the
single best-matching sentence, lowered by each number the sources do not carry. Evidence is
the best window of up to three adjacent sentences. ``judge="llm"`` asks the configured
backend through ``prompts/verify.j2`` instead, with every id it cites checked.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from .document import Document
from .errors import InputError, UsageError
from .grounding import normalize
from .ingest import load_sources, split_sentences
from .schema import Brief, SourceRef

Verdict = Literal["supported", "unsupported", "contradicted"]
SUPPORTED_AT = 0.6  # lexical support from which a claim counts as supported
STOP = frozenset("""a an the and or but of to in on at by for with from as that this is are was were be
been has have had it its he she they his her their i you we said says will would not no who which
what when where after before over up out about into than more also being""".split())
NEGATIONS = frozenset("not no never nothing none nobody neither nor without cannot t".split())  # "don't" -> don, t
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MONTHS = frozenset("january february march april may june july august september october november "
                    "december monday tuesday wednesday thursday friday saturday sunday".split())
_CITATION = re.compile(r"\s*\[(?:(?:D\d+\.)?S\d+(?:,\s*)?)+\]")
_QUOTED = re.compile(r"[“\"]([^”\"]{8,}?)[”\"]")


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


# ------------------------------------------------------------------ claims


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
            if len(_WORD.findall(sentence.lower())) >= 3:
                claims.append(Claim(sentence, hints))
    return claims


def claims_from_brief(brief: Brief) -> list[Claim]:
    claims = [Claim(brief.bluf, brief.bluf_evidence)]
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


# ------------------------------------------------------------------ the lexical judge


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _grams(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def _precision(items: list, pool: set) -> float:
    return sum(1 for x in items if x in pool) / len(items) if items else 1.0


NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve thirteen
fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
ninety hundred thousand million billion trillion dozen half""".split())


def _is_number(token: str) -> bool:
    return token[0].isdigit() or token in NUMBER_WORDS


def _number_key(token: str) -> str:
    return token.replace(",", "")


class SourceIndex:
    """The sources' sentences, their word n-grams, and the document-wide n-gram pools."""

    def __init__(self, docs: list[Document]):
        self.docs = docs
        self.sentences = [s for d in docs for s in d.sentences]
        self.tokens = [_tokens(s.text) for s in self.sentences]
        everything = [t for toks in self.tokens for t in toks]
        self.unigrams = set(everything)
        self.bigrams = set(_grams(everything, 2)) | {g for toks in self.tokens for g in _grams(toks, 2)}
        self.trigrams = {g for toks in self.tokens for g in _grams(toks, 3)}
        self.sentence_bigrams = [set(_grams(toks, 2)) for toks in self.tokens]
        self.numbers = {_number_key(t) for t in everything if _is_number(t)}
        self.lower_cased = sum(c.isupper() for d in docs for c in d.text) < 0.01 * sum(
            c.isalpha() for d in docs for c in d.text)
        self.norm_text = [normalize(d.text) for d in docs]

    def window(self, claim_words: set[str], best: int) -> list[int]:
        """Up to three adjacent sentences around ``best`` that cover the claim's words."""
        chosen = [best]
        covered = set(self.tokens[best]) & claim_words
        for step in (-1, 1):
            j = best + step
            if 0 <= j < len(self.sentences) and len(chosen) < 3:
                gain = (set(self.tokens[j]) & claim_words) - covered
                if len(gain) >= 2:
                    chosen.append(j)
                    covered |= gain
        return sorted(chosen)


def score_claim(claim: Claim, index: SourceIndex, number: int) -> ClaimResult:
    tokens = _tokens(claim.text)
    content = [t for t in tokens if t not in STOP]
    bigrams, trigrams = _grams(tokens, 2), _grams(tokens, 3)
    overall = (_precision(content, index.unigrams) + _precision(bigrams, index.bigrams)
               + _precision(trigrams, index.trigrams)) / 3
    hinted = [i for i, s in enumerate(index.sentences) if s.id in claim.hint_ids]
    best, local = None, 0.0
    for i in dict.fromkeys(hinted + list(range(len(index.sentences)))):
        value = _precision(bigrams, index.sentence_bigrams[i]) if bigrams else _precision(content, set(index.tokens[i]))
        if value > local:
            best, local = i, value
    flags = _flags(claim, tokens, index, best)
    # digits the source never has: the one flag that reliably marks an unfaithful claim
    numbers_missing = sum(1 for f in flags if f.kind == "number" and f.detail[:1].isdigit()
                          and "not in the source" in f.detail)
    score = max(0.0, min(1.0, 0.5 * overall + 0.5 * local - 0.3 * numbers_missing))
    evidence = None
    if best is not None:
        ids = index.window(set(content), best)
        evidence = Evidence(ids=[index.sentences[i].id for i in ids],
                            text=" ".join(index.sentences[i].text for i in ids))
    # the claim lines up with a passage that says otherwise: a flipped negation, another number
    contradicting = any(f.kind == "negation" or "instead" in f.detail for f in flags)
    if contradicting and local >= 0.5:
        verdict: Verdict = "contradicted"
    elif score >= SUPPORTED_AT and not flags:
        verdict = "supported"
    else:
        verdict = "unsupported"
    return ClaimResult(number=number, text=claim.text, verdict=verdict, score=round(score, 4),
                       evidence=evidence, flags=flags, hint_ids=claim.hint_ids)


def _flags(claim: Claim, tokens: list[str], index: SourceIndex, best: int | None) -> list[Flag]:
    flags: list[Flag] = []
    window = set()
    if best is not None:
        for i in index.window(set(tokens), best):
            window |= set(index.tokens[i])
    window_numbers = {_number_key(t) for t in window if _is_number(t)}
    claim_numbers = {_number_key(t) for t in tokens if _is_number(t)}
    for token in dict.fromkeys(t for t in tokens if _is_number(t)):
        if _number_key(token) in window_numbers:
            continue
        where = "source" if _number_key(token) not in index.numbers else "evidence"
        detail = f"{token} is not in the {where}"
        others = sorted(window_numbers - claim_numbers)
        if others:
            detail += f" (the evidence has {', '.join(others[:3])} instead)"
        flags.append(Flag(kind="number", detail=detail))
    for word in dict.fromkeys(w for w in re.findall(r"[A-Za-z]+", claim.text) if w.lower() in _MONTHS):
        if word.lower() not in window:
            flags.append(Flag(kind="date", detail=f"{word} is not in the evidence"))
    context = set(window)
    if best is not None and index.tokens[best][:1] and index.tokens[best][0] in _PRONOUNS:
        for i in range(max(0, best - 2), best):  # "Wang said ... He said": the name stands earlier
            context |= set(index.tokens[i])
    for name in _names(claim.text):
        unknown = [w for w in name.split() if w.lower() not in index.unigrams]
        if unknown:
            flags.append(Flag(kind="entity", detail=f"{' '.join(unknown)} is not in the source"))
        elif not {w.lower() for w in name.split()} & context:
            flags.append(Flag(kind="entity", detail=f"{name} is not in the evidence"))
    if best is not None:
        best_tokens = index.tokens[best]
        claim_set = set(tokens) - STOP
        claim_neg = any(t in NEGATIONS for t in tokens)
        # a negation counts only where it stands among the claim's own words
        source_neg = any(t in NEGATIONS and len(set(best_tokens[max(0, k - 3):k + 4]) & claim_set) >= 2
                         for k, t in enumerate(best_tokens))
        if claim_neg != source_neg and _precision(_grams(tokens, 2), index.sentence_bigrams[best]) >= 0.5:
            said = "a negation the evidence does not have" if claim_neg else "no negation, but the evidence has one"
            flags.append(Flag(kind="negation", detail=f"the claim has {said}"))
    for quote in _QUOTED.findall(claim.text):
        flag = _check_quote(quote, index)
        if flag:
            flags.append(flag)
    return flags


_PRONOUNS = frozenset("he she they it we i his her their".split())
_COMMON_CAPITALISED = frozenset("""the in on at a an but and or so if while as when after before he she it
this that these those they we i you his her their our its there here speaking according however
meanwhile also then yet still mr mrs ms dr""".split()) | _MONTHS


def _names(text: str) -> list[str]:
    """Runs of capitalised words: the names a claim relies on (none in lower-cased text)."""
    names = []
    for match in re.finditer(r"\b[A-Z][\w’'-]*(?:\s+(?:of\s+)?[A-Z][\w’'-]*)*", text):
        words = [w for w in re.findall(r"[A-Za-z]+", match.group(0)) if w.lower() not in _COMMON_CAPITALISED]
        words = [w for w in words if w.lower() not in ("s", "of")]
        if words:
            names.append(" ".join(words))
    return list(dict.fromkeys(names))


def _check_quote(quote: str, index: SourceIndex) -> Flag | None:
    needle = normalize(quote).strip(" ,.")
    if len(needle.split()) < 3 or any(needle in text for text in index.norm_text):
        return None
    words = quote.split()
    best_i = max(range(len(index.sentences)),
                 key=lambda i: len(set(_tokens(quote)) & set(index.tokens[i])), default=None)
    if best_i is None:
        return Flag(kind="quote", detail="the quote is not in the source")
    source_words = index.sentences[best_i].text.split()

    def bare(word: str) -> str:
        return normalize(word).strip("\"'.,;:!?()")

    matcher = difflib.SequenceMatcher(a=[bare(w) for w in source_words], b=[bare(w) for w in words], autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    start = blocks[0].a - blocks[0].b if blocks else 0  # the passage the quote lines up with
    start = max(0, start)
    last = blocks[-1] if blocks else None
    end = min(len(source_words), last.a + last.size + (len(words) - last.b - last.size)) if last else len(source_words)
    passage = source_words[start:end]
    diff = []
    aligned = difflib.SequenceMatcher(a=[bare(w) for w in passage], b=[bare(w) for w in words], autojunk=False)
    for op, a1, a2, b1, b2 in aligned.get_opcodes():
        if op == "equal":
            diff.append(" ".join(words[b1:b2]))
            continue
        if a2 > a1:
            diff.append("[-" + " ".join(passage[a1:a2]) + "-]")
        if b2 > b1:
            diff.append("{+" + " ".join(words[b1:b2]) + "+}")
    closest = " ".join(passage).strip("“”\"'‘’ ,")
    return Flag(kind="quote", detail=f"the quote is not verbatim in the source ({index.sentences[best_i].id})",
                closest=closest, diff=" ".join(diff))


# ------------------------------------------------------------------ coverage

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
        if _NUMBER.search(sentence.text):
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


# ------------------------------------------------------------------ entry point


def compare_claims(claims: list[Claim], docs: list[Document], judge: str = "lexical", backend=None,
                   label: str = "summary") -> Comparison:
    if judge not in ("lexical", "llm"):
        raise UsageError(f"unknown judge {judge!r} (choose lexical, llm)")
    index = SourceIndex(docs)
    results = [score_claim(claim, index, n) for n, claim in enumerate(claims, 1)]
    if judge == "llm":
        from .verify import judge_with_model

        results = judge_with_model(results, index, backend)
    cover, missing = coverage(index, results)
    verdicts = Counter(r.verdict for r in results)
    return Comparison(
        summary=label, sources=[SourceRef(id=d.id, path=d.path, sha256=d.sha256) for d in docs], judge=judge,
        faithfulness=round(sum(r.score for r in results) / len(results), 4), coverage=cover,
        counts=Counts(claims=len(results), supported=verdicts["supported"], unsupported=verdicts["unsupported"],
                      contradicted=verdicts["contradicted"], flagged=sum(1 for r in results if r.flags)),
        claims=results, missing=missing)


def compare(summary: str | Path, sources: list[str | Path] | str | Path, *, judge: str = "lexical",
            backend="auto", notice=None, **settings) -> Comparison:
    """Check the summary file against the source files."""
    paths = [str(sources)] if isinstance(sources, (str, Path)) else [str(s) for s in sources]
    if not paths:
        raise UsageError("no source given")
    claims, label = read_summary(str(summary))
    docs = load_sources(paths, warn=notice)
    model_backend = None
    if judge == "llm":
        from .backends import make_backend
        from .cache import ResponseCache
        from .config import load_settings

        config = load_settings(**settings)
        model_backend = backend if not isinstance(backend, str) else make_backend(
            backend, settings=config, notice=notice, cache=ResponseCache() if config.wants_llm() else None)
    return compare_claims(claims, docs, judge, model_backend, label)


def offline_verdict(claim: str, lines: list[tuple[str, str]]) -> dict:
    """The offline engine's answer to a verify request: the lexical judgement of the claim
    against the given sentences only."""
    tokens = _tokens(claim)
    bigrams = _grams(tokens, 2)
    scored = [(_precision(bigrams, set(_grams(_tokens(text), 2))), sid) for sid, text in lines]
    best, sid = max(scored, default=(0.0, None))
    if sid is None or best < 0.5:
        return {"verdict": "not_in_source", "evidence": []}
    return {"verdict": "supported", "evidence": [sid]}
