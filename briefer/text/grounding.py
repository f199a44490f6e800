"""Grounding: model output is untrusted until every id and quote checks out.

Ids must name real source sentences. Quotes must occur in the source word for word (after
normalising whitespace, typographic quotes and case); a quote that does not is trimmed to
its longest verbatim run, or dropped. An item whose ids are all invalid is re-anchored to
the one sentence that clearly carries its words, or dropped. Every removal is counted.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from .document import Document, Sentence

# Typographic characters and their plain forms, one character for one (offsets are kept).
_FOLDS = (("“", '"'), ("”", '"'), ("„", '"'), ("‘", "'"), ("’", "'"), ("`", "'"),
          ("–", "-"), ("—", "-"), ("…", "."))
_WORD_RE = re.compile(r"\w+")
MIN_QUOTE_WORDS = 4
SHORT_QUOTE_WORDS = 2  # a speaker's own words for something, in the sentence cited


def _fold(text: str) -> str:
    # a str.replace per character present: far faster than str.translate with a table
    for typographic, plain in _FOLDS:
        if typographic in text:
            text = text.replace(typographic, plain)
    return text


def normalize(text: str) -> str:
    return " ".join(_fold(text).lower().split())


def _normalize_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """``normalize(text)`` plus a map back to ``text``: from each of ``starts`` on, a
    position of the output is ``shift`` characters further on in ``text``.

    The output differs from the (folded, lower-cased) text only where whitespace other
    than a single space is collapsed, so the map has a step per such run (paragraph
    breaks, double spaces), not per word. The runs are found from their odd characters
    (a whitespace character other than a space, found by a character-set search that
    skips plain text at C speed, and two spaces in a row) instead of a regex tried at
    every space; the output is the text between them joined by single spaces, the same
    string as ``" ".join(lowered.split())`` without making a string of every word.
    """
    lowered = _fold(text).lower()
    if len(lowered) != len(text):  # a rare character that lower-cases to two
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in _fold(text))
    n = len(lowered)
    body_end = len(lowered.rstrip())
    lead_end = n - len(lowered.lstrip()) if body_end else n
    runs = _irregular_runs(lowered, lead_end, body_end)
    starts, shifts = [0], [0]
    shift = lead_end  # leading whitespace goes
    if lead_end and lead_end < n:
        starts.append(0)
        shifts.append(shift)
    parts = []
    prev = lead_end
    for a, b in runs:  # each run becomes " "
        parts.append(lowered[prev:a])
        prev = b
        shift += b - a - 1
        starts.append(b - shift)
        shifts.append(shift)
    parts.append(lowered[prev:body_end])
    return " ".join(parts), starts, shifts


_ODD_SPACE = re.compile(r"[^\S ]")  # whitespace other than a plain space


def _irregular_runs(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The maximal whitespace runs of ``text[lo:hi]`` other than a single plain space,
    in order (``text[lo]`` and ``text[hi - 1]`` are not whitespace)."""
    marks = [m.start() for m in _ODD_SPACE.finditer(text, lo, hi)]
    at = text.find("  ", lo, hi)
    while at >= 0:
        marks.append(at)
        end = at + 2
        while end < hi and text[end] == " ":
            end += 1
        at = text.find("  ", end, hi)
    runs: list[tuple[int, int]] = []
    done = lo
    for at in sorted(marks):
        if at < done:
            continue  # inside the run before
        a = at
        while text[a - 1].isspace():  # text[lo] is not whitespace, so this stops at lo
            a -= 1
        b = at + 1
        while text[b].isspace():  # nor is text[hi - 1]
            b += 1
        runs.append((a, b))
        done = b
    return runs


@dataclass
class _DocIndex:
    doc: Document
    norm: str
    map_starts: list[int]  # see _normalize_with_map
    map_shifts: list[int]
    spans: list[tuple[int, int, str]]  # (start, end, sentence id) in doc.text, in order
    span_starts: list[int]

    def source_offset(self, position: int) -> int:
        """Where a (non-space) character of ``norm`` is in ``doc.text``."""
        return position + self.map_shifts[bisect.bisect_right(self.map_starts, position) - 1]

    def sentence_ids(self, start: int, end: int) -> list[str]:
        first = max(0, bisect.bisect_right(self.span_starts, start) - 1)
        ids = []
        for a, b, sid in self.spans[first:]:
            if a >= end:
                break
            if b > start:
                ids.append(sid)
        return ids


def _index(doc: Document) -> _DocIndex:
    spans = []
    cursor = 0
    for sentence in doc.sentences:
        start = doc.text.find(sentence.text, cursor)
        if start < 0:  # ingest guarantees substrings; stay safe if a caller does not
            start = doc.text.find(sentence.text)
        if start >= 0:
            spans.append((start, start + len(sentence.text), sentence.id))
            cursor = start + len(sentence.text)
    norm, map_starts, map_shifts = _normalize_with_map(doc.text)
    return _DocIndex(doc, norm, map_starts, map_shifts, spans, [a for a, _, _ in spans])


class Grounder:
    def __init__(self, docs: list[Document]):
        self.sentences: dict[str, Sentence] = {s.id: s for doc in docs for s in doc.sentences}
        self.dropped = 0
        self._docs = docs
        self._indexes: list[_DocIndex] | None = None
        self._word_sets: dict[str, set[str]] | None = None
        self._quotes: dict[str, tuple[str, list[str]] | None] = {}

    # The indexes are made when the first answer needs them, so that building them does
    # not hold back the first requests (a run sends those before any answer can come).
    @property
    def docs(self) -> list[_DocIndex]:
        if self._indexes is None:
            self._indexes = [_index(doc) for doc in self._docs]
        return self._indexes

    @cached_property
    def source_norm(self) -> str:
        """``normalize`` of all sources, one after the other."""
        return " ".join(entry.norm for entry in self.docs)

    @property
    def _words(self) -> dict[str, set[str]]:
        """Each sentence's words, for re-anchoring items without valid ids (rare)."""
        if self._word_sets is None:
            self._word_sets = {sid: set(_WORD_RE.findall(s.text.lower()))
                               for sid, s in self.sentences.items()}
        return self._word_sets

    # ------------------------------------------------------------ ids

    def valid_ids(self, ids: list[str]) -> list[str]:
        """Known ids in first-seen order, without repeats."""
        seen: list[str] = []
        for sid in ids:
            sid = str(sid).strip().strip("[]")
            if sid in self.sentences and sid not in seen:
                seen.append(sid)
        return seen

    def anchor(self, text: str, ids: list[str]) -> list[str] | None:
        """Valid evidence for an item: its own valid ids (unknown ones removed and
        counted), else the sentence that carries most of its words (at least 60%), else
        None: the caller drops the item and counts that."""
        valid = self.valid_ids(ids)
        if valid:
            self.dropped += sum(1 for sid in ids if str(sid).strip().strip("[]") not in self.sentences)
            return valid
        words = set(_WORD_RE.findall(text.lower()))
        if len(words) < 3:
            return None
        best_id, best = None, 0.0
        for sid, sentence_words in self._words.items():
            share = len(words & sentence_words) / len(words)
            if share > best:
                best_id, best = sid, share
        return [best_id] if best_id and best >= 0.6 else None

    # ------------------------------------------------------------ quotes

    def find_verbatim(self, quote: str, least: int = MIN_QUOTE_WORDS) -> tuple[str, list[str]] | None:
        """The exact source text of ``quote`` and the ids of the sentences it spans."""
        needle = normalize(quote).strip(" \"'")
        if len(needle.split()) < least:
            return None
        for entry in self.docs:
            at = entry.norm.find(needle)
            if at < 0:
                continue
            start = entry.source_offset(at)
            end = entry.source_offset(at + len(needle) - 1) + 1
            return entry.doc.text[start:end], entry.sentence_ids(start, end)
        return None

    def ground_quote(self, quote: str, ids: list[str]) -> tuple[str, list[str]] | None:
        """Verbatim quote (repaired to its longest verbatim run of words if need be)."""
        # Reduce rounds hand the same quotes back again and again: search each text once.
        if quote not in self._quotes:
            self._quotes[quote] = self._ground_quote(quote)
        found = self._quotes[quote]
        if found is None and SHORT_QUOTE_WORDS <= len(quote.split()) < MIN_QUOTE_WORDS:
            # a short quote ('a “fool's deal”') counts only inside the sentence it cites:
            # two words alone could be found anywhere
            short = self.find_verbatim(quote, least=SHORT_QUOTE_WORDS)
            found = short if short and set(short[1]) <= set(ids) else None
        return found and (found[0], list(found[1]))

    def _ground_quote(self, quote: str) -> tuple[str, list[str]] | None:
        found = self.find_verbatim(quote)
        if found:
            return found
        words = quote.split()
        for size in range(len(words) - 1, max(MIN_QUOTE_WORDS, (len(words) + 1) // 2) - 1, -1):
            for start in range(0, len(words) - size + 1):
                found = self.find_verbatim(" ".join(words[start:start + size]))
                if found:
                    return found
        return None

    def citations(self, ids: list[str]) -> dict[str, str]:
        return {sid: self.sentences[sid].text for sid in ids if sid in self.sentences}


def keep_grounded(grounder: Grounder, items: list, text_of) -> list:
    kept = []
    for item in items:
        evidence = grounder.anchor(text_of(item), item.evidence)
        if evidence is None:
            grounder.dropped += 1
            continue
        item.evidence = evidence
        kept.append(item)
    return kept


def _keep_quotes(grounder: Grounder, quotes: list) -> list:
    kept = []
    for quote in quotes:
        grounded = grounder.ground_quote(quote.text, quote.evidence)
        if grounded is None:
            grounder.dropped += 1
            continue
        quote.text, quote.evidence = grounded
        kept.append(quote)
    return kept


def ground_notes(notes, grounder: Grounder):
    """Notes with every id checked and every quote verbatim; failures dropped and counted."""
    notes.key_points = keep_grounded(grounder, notes.key_points, lambda p: p.text)
    notes.positions = keep_grounded(grounder, notes.positions, lambda p: p.text)
    notes.agreements = keep_grounded(grounder, notes.agreements, lambda p: p.text)
    notes.next_steps = keep_grounded(grounder, notes.next_steps, lambda s: f"{s.actor} {s.action}")
    notes.quotes = _keep_quotes(grounder, notes.quotes)
    notes.named = [p for p in notes.named if _names(grounder, p.text, p.evidence)]
    for actor in notes.actors:
        actor.evidence = grounder.valid_ids(actor.evidence)
    notes.disputes = _ground_disputes(grounder, notes.disputes)
    return notes


def _names(grounder: Grounder, name: str, ids: list[str]) -> list[str]:
    """The ids among ``ids`` whose sentence names ``name`` (a side shown only as named)."""
    needle = normalize(name).lower()
    return [sid for sid in grounder.valid_ids(ids) if needle in normalize(grounder.sentences[sid].text).lower()]


def _ground_disputes(grounder: Grounder, disputes: list) -> list:
    kept = []
    for dispute in disputes:
        dispute.stances = keep_grounded(grounder, dispute.stances, lambda s: s.text)
        if len(dispute.stances) >= 1:
            kept.append(dispute)
        else:
            grounder.dropped += 1
    return kept


def ground_draft(draft, grounder: Grounder):
    """The final brief draft, held to the same rules as notes."""
    # The BLUF is never dropped (a brief needs one) but cites only what supports it.
    draft.bluf_evidence = grounder.anchor(draft.bluf, draft.bluf_evidence) or []
    for side in draft.sides:
        side.positions = keep_grounded(grounder, side.positions, lambda p: p.text)
        side.evidence = [] if side.positions else _names(grounder, side.name, side.evidence)
    draft.sides = [side for side in draft.sides if side.positions or side.evidence]
    draft.agreements = keep_grounded(grounder, draft.agreements, lambda p: p.text)
    draft.next_steps = keep_grounded(grounder, draft.next_steps, lambda s: f"{s.actor} {s.action}")
    draft.quotes = _keep_quotes(grounder, draft.quotes)
    draft.disputes = _ground_disputes(grounder, draft.disputes)
    return draft
