"""The lexical judge: no model. A claim's support is how much of its wording (words, word
pairs, word triples) the sources carry, half over the whole source and half in the single
best-matching sentence, lowered by each number the sources do not carry. Evidence is the
best window of up to three adjacent sentences; flags name numbers, dates, names, negations
and quotes the evidence does not carry as the claim does."""

from __future__ import annotations

import difflib
import re

from ..text.document import Document
from ..text.grounding import normalize
from ..text.words import STOP
from ..text.words import ngrams as _grams
from ..text.words import precision as _precision
from ..text.words import word_tokens as _tokens
from .models import Claim, ClaimResult, Evidence, Flag, Verdict

SUPPORTED_AT = 0.6  # lexical support from which a claim counts as supported
NEGATIONS = frozenset("not no never nothing none nobody neither nor without cannot t".split())  # "don't" -> don, t
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MONTHS = frozenset("january february march april may june july august september october november "
                    "december monday tuesday wednesday thursday friday saturday sunday".split())
_QUOTED = re.compile(r"[“\"]([^”\"]{8,}?)[”\"]")


NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve thirteen
fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
ninety hundred thousand million billion trillion dozen half""".split())


def is_number(token: str) -> bool:
    return token[0].isdigit() or token in NUMBER_WORDS


def number_key(token: str) -> str:
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
        self.numbers = {number_key(t) for t in everything if is_number(t)}
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
    window_numbers = {number_key(t) for t in window if is_number(t)}
    claim_numbers = {number_key(t) for t in tokens if is_number(t)}
    for token in dict.fromkeys(t for t in tokens if is_number(t)):
        if number_key(token) in window_numbers:
            continue
        where = "source" if number_key(token) not in index.numbers else "evidence"
        detail = f"{token} is not in the {where}"
        others = sorted(window_numbers - claim_numbers)
        if others:
            detail += f" (the evidence has {', '.join(others[:3])} instead)"
        flags.append(Flag(kind="number", detail=detail))
    for word in dict.fromkeys(_dates(claim.text)):
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


_AMBIGUOUS_MONTHS = frozenset({"may", "march"})  # also a modal verb, a verb and a noun
_BEFORE_DATES = frozenset("in on since until till by of from early late mid last next this".split())


def _dates(text: str) -> list[str]:
    """The month and day names a claim relies on. "may" and "march" count only where they
    can be nothing else: capitalised mid-sentence ("in May", "Theresa May"), or, in any
    case, after a preposition of time or beside a number ("on may 2", "2 march")."""
    words = re.findall(r"[A-Za-z]+|\d+", text)
    found = []
    for k, word in enumerate(words):
        if word.lower() not in _MONTHS:
            continue
        if word.lower() in _AMBIGUOUS_MONTHS:
            before = words[k - 1].lower() if k else ""
            beside = [w for w in (words[k - 1] if k else "", words[k + 1] if k + 1 < len(words) else "") if w]
            capitalised = word[0].isupper() and k > 0
            if not (capitalised or before in _BEFORE_DATES or any(w[0].isdigit() for w in beside)):
                continue
        found.append(word)
    return found


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

