"""Token-bounded chunking of a Document's sentences.

A chunk is sent to the model as one line per piece, ``S3 sentence text`` (see
``render_lines``), so the token limit applies to exactly that string.

How a document is cut:

1. A document whose rendering fits ``max_tokens`` is one chunk.
2. Otherwise it is split hierarchically into *units*: a section that fits is one unit; a
   section that does not is split into its paragraphs; a paragraph that does not fit into
   its sentences; a sentence whose line alone is over the limit is cut at word boundaries
   into parts (a single word over the limit is cut by characters).
3. Units are packed greedily into chunks. Each chunk after the first may start with the
   trailing whole pieces of the previous chunk (``overlap_tokens``).
4. Every chunk's exact token count is recorded (and checked against the limit).

Token counts come from the lines: the cl100k/o200k pre-tokenisers never merge across a
newline followed by a letter, nor across the space after an id, so a chunk's tokens are
the sum of its lines' tokens, and a line's are its id's plus its text's. Each distinct
text is encoded once (repeated sentences cost a lookup). The per-line counts include the
line's newline, which makes summed counts a (tight) upper estimate; a chunk's count, with
its last line counted without the newline, is exact.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import ne, or_
from typing import Iterable, NamedTuple

import tiktoken

from ..errors import BrieferError, UsageError
from .document import Document
from .tokens import get_encoding

__all__ = ["Piece", "Chunk", "render_lines", "chunk_document", "MIN_MAX_TOKENS"]

MIN_MAX_TOKENS = 32


class Piece(NamedTuple):  # a NamedTuple: made once per sentence, so cheap to make
    """A sentence, or a part of a sentence longer than the limit."""

    sentence_id: str
    text: str
    part: int = 0  # 0 for whole sentences; 1, 2, ... for the parts of a cut sentence


@dataclass(frozen=True)
class Chunk:
    index: int  # 0-based
    doc_id: str
    pieces: tuple[Piece, ...]
    tokens: int  # exact token count of render_lines(pieces)
    overlap: int  # how many leading pieces repeat the end of the previous chunk

    @property
    def sentence_ids(self) -> list[str]:
        """Ids of the sentences in this chunk, each once, in order."""
        return list(dict.fromkeys(p.sentence_id for p in self.pieces))

    def render(self) -> str:
        return render_lines(self.pieces)


def _collapse(text: str) -> str:
    """``" ".join(text.split())``, without splitting a text that has no whitespace but
    single spaces between its words (most sentences): printable text holds no whitespace
    other than the space."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def _line(sentence_id: str, text: str) -> str:
    collapsed = _collapse(text)
    return f"{sentence_id} {collapsed}" if collapsed else sentence_id


def render_lines(pieces: Iterable[Piece]) -> str:
    """``S1 text\\nS2 text``: one line per piece behind its id, whitespace runs collapsed.

    A bare id costs one token less than a bracketed one (``[S1]``) and is as clear at the
    start of a line; answers may cite either form."""
    return "\n".join(_line(p.sentence_id, p.text) for p in pieces)


_DIGITS_TO_ZERO = str.maketrans("123456789", "000000000")
_DIGIT_GROUPS_SINGLE: dict[str, bool] = {}


def _digit_groups_are_tokens(enc: tiktoken.Encoding) -> bool:
    """Whether the encoding cuts digit runs into groups of up to 3 and has every such
    group as one token (cl100k, o200k): then "S1234" costs what "S0000" costs."""
    known = _DIGIT_GROUPS_SINGLE.get(enc.name)
    if known is None:
        known = r"\p{N}{1,3}" in getattr(enc, "_pat_str", "") and all(
            len(enc.encode_ordinary(str(n).zfill(width))) == 1
            for width in (1, 2, 3) for n in range(10**width)
        )
        _DIGIT_GROUPS_SINGLE[enc.name] = known
    return known


class _LineCosts:
    """Tokens of ``S12 text`` lines, memoised.

    No pre-token spans the space after an id, so a line costs its id's tokens plus its
    text's. Texts repeat (boilerplate, quoted paragraphs, re-sent articles), so each
    distinct text is encoded once; ids differ only in their digits, so where digit groups
    are single tokens each id shape is encoded once.
    """

    def __init__(self, enc: tiktoken.Encoding):
        self.encode = enc.encode_ordinary
        self.by_shape = _digit_groups_are_tokens(enc)
        self.ids: dict[str, int] = {}
        self.texts: dict[str, int] = {}  # raw text -> tokens of " text\n" (-1: no text)
        self.ends: dict[str, int] = {}  # raw text -> tokens of " text" (no newline)

    def id_tokens(self, sentence_id: str) -> int:
        key = sentence_id.translate(_DIGITS_TO_ZERO) if self.by_shape else sentence_id
        cost = self.ids.get(key)
        if cost is None:
            cost = self.ids[key] = len(self.encode(key))
        return cost

    def in_chunk(self, sentence_id: str, raw_text: str) -> int:
        """Tokens of the line followed by a newline."""
        tokens = self.texts.get(raw_text)
        if tokens is None:
            text = _collapse(raw_text)
            tokens = self.texts[raw_text] = len(self.encode(f" {text}\n")) if text else -1
        if tokens < 0:  # a line with no text: its id alone
            return len(self.encode(f"{sentence_id}\n"))
        return self.id_tokens(sentence_id) + tokens

    def last(self, sentence_id: str, raw_text: str) -> int:
        """Exact tokens of the line at the end of a chunk (no newline after it)."""
        tokens = self.ends.get(raw_text)
        if tokens is None:
            text = _collapse(raw_text)
            tokens = self.ends[raw_text] = len(self.encode(f" {text}")) if text else 0
        return self.id_tokens(sentence_id) + tokens


def _validate(max_tokens: int, overlap_tokens: int) -> None:
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool):
        raise UsageError(f"max_tokens must be an integer, got {max_tokens!r}")
    if not isinstance(overlap_tokens, int) or isinstance(overlap_tokens, bool):
        raise UsageError(f"overlap_tokens must be an integer, got {overlap_tokens!r}")
    if max_tokens < MIN_MAX_TOKENS:
        raise UsageError(f"max_tokens must be at least {MIN_MAX_TOKENS}, got {max_tokens}")
    if overlap_tokens < 0:
        raise UsageError(f"overlap_tokens must not be negative, got {overlap_tokens}")
    if overlap_tokens * 2 >= max_tokens:
        raise UsageError(
            f"overlap_tokens ({overlap_tokens}) must be less than half of max_tokens "
            f"({max_tokens})"
        )


class _Cutter:
    """Cuts one over-long sentence into parts whose lines each fit the limit exactly."""

    def __init__(self, enc: tiktoken.Encoding, max_tokens: int):
        self.enc = enc
        self.max = max_tokens

    def count(self, text: str) -> int:
        return len(self.enc.encode_ordinary(text))

    def _chars_in(self, tokens: list[int]) -> int:
        """Complete characters decoded from ``tokens`` (a cut inside a character drops it)."""
        return len(self.enc.decode_bytes(tokens).decode("utf-8", "ignore"))

    def cut(self, sentence_id: str, text: str) -> list[tuple[Piece, int, int]]:
        """The parts, each with its tokens in a chunk (line and newline) and exactly."""
        prefix = sentence_id
        budget = self.max - self.count(prefix)  # tokens left for " word word ..."
        if budget < 8:
            raise UsageError(
                f"max_tokens={self.max} is too small for sentence id {sentence_id!r}"
            )
        words = text.split()
        word_tokens: dict[str, int] = {}  # words repeat; count each distinct one once
        for w in words:
            if w not in word_tokens:
                word_tokens[w] = self.count(" " + w)
        wt = [word_tokens[w] for w in words]
        segments: dict[str, list[str]] = {}
        parts: list[tuple[str, int]] = []  # (text, exact tokens of its line)
        i, n = 0, len(words)
        while i < n:
            if wt[i] > budget:
                segs = segments.get(words[i])
                if segs is None:
                    segs = segments[words[i]] = self._segments(prefix, words[i], budget)
                parts.extend((seg, self.count(f"{prefix} {seg}")) for seg in segs[:-1])
                words[i] = segs[-1]
                wt[i] = min(budget, self.count(" " + segs[-1]))
                continue
            j, total = i, 0
            while j < n and total + wt[j] <= budget:
                total += wt[j]
                j += 1
            while True:  # word counts add up exactly in practice; check anyway
                part = " ".join(words[i:j])
                line_tokens = self.count(f"{prefix} {part}")
                if line_tokens <= self.max or j - i == 1:
                    break
                j -= 1
            if line_tokens > self.max:  # one word whose line is over: cut it by characters
                wt[i] = budget + 1
                continue
            parts.append((part, line_tokens))
            i = j
        out = []
        for k, (part, line_tokens) in enumerate(parts, 1):
            # exact in a chunk too: a newline can merge into the line's last pre-token
            # (" -/\n" is one token where " -/" is two), so the line with it may cost less
            cost = self.count(f"{prefix} {part}\n")
            out.append((Piece(sentence_id, part, k), cost, line_tokens))
        return out

    def _segments(self, prefix: str, word: str, budget: int) -> list[str]:
        """Cut ``word`` by characters so that each ``prefix + " " + segment`` fits."""
        segs: list[str] = []
        pos, length = 0, len(word)
        window = max(256, 8 * budget)
        while pos < length:
            end = min(length, pos + window)
            toks = self.enc.encode_ordinary(" " + word[pos:end])
            if len(toks) <= budget:
                if end < length:
                    window *= 2  # the window holds fewer tokens than fit: look further
                    continue
                cut = length
            else:
                cut = pos + self._chars_in(toks[:budget]) - 1  # minus the leading space
            while True:
                cut = max(cut, pos + 1)
                seg = word[pos:cut]
                over = self.count(f"{prefix} {seg}") - self.max
                if over <= 0:
                    break
                if cut == pos + 1:
                    raise UsageError(
                        f"max_tokens={self.max} cannot hold even one character of "
                        f"sentence {prefix}"
                    )
                toks = self.enc.encode_ordinary(" " + seg)
                cut = pos + self._chars_in(toks[: max(1, len(toks) - over)]) - 1
            segs.append(seg)
            pos = cut
        return segs


def _cut_long_sentences(sentences, pieces, costs, line_costs, cutter):
    """The records again, with every sentence whose line is over the limit cut into parts."""
    limit = cutter.max
    new_pieces: list[Piece] = []
    new_costs: list[int] = []
    first_rec: list[int] = []
    part_last: dict[int, int] = {}
    for s, piece, cost in zip(sentences, pieces, costs):
        first_rec.append(len(new_pieces))
        if cost > limit and line_costs.last(s.id, s.text) > limit:
            for part, part_cost, exact in cutter.cut(s.id, s.text):
                part_last[len(new_pieces)] = exact
                new_pieces.append(part)
                new_costs.append(part_cost)
        else:
            new_pieces.append(piece)
            new_costs.append(cost)
    first_rec.append(len(new_pieces))
    return new_pieces, new_costs, first_rec, part_last


def _boundaries(sections: list, paragraphs: list) -> tuple[list[int], list[int]]:
    """Indices where a new section starts, and where a new paragraph (or section) does."""
    n = len(sections)
    new_section = list(map(ne, sections[1:], sections[:-1]))
    new_paragraph = list(map(or_, new_section, map(ne, paragraphs[1:], paragraphs[:-1])))
    return (list(compress(range(1, n), new_section)), list(compress(range(1, n), new_paragraph)))


def chunk_document(
    doc: Document,
    *,
    max_tokens: int = 2000,
    overlap_tokens: int = 0,
    model: str | None = None,
) -> list[Chunk]:
    """Split ``doc`` into chunks whose rendering never exceeds ``max_tokens`` tokens."""
    _validate(max_tokens, overlap_tokens)
    enc = get_encoding(model)
    sentences = doc.sentences
    if not sentences:
        return []
    line_costs = _LineCosts(enc)
    # Records, one per piece (a sentence, or a part of a cut one), in document order,
    # with their tokens followed by a newline, and per sentence its first record.
    costs = [line_costs.in_chunk(s.id, s.text) for s in sentences]
    pieces = [Piece(s.id, s.text) for s in sentences]
    first_rec = list(range(len(sentences) + 1))
    part_last: dict[int, int] = {}  # record -> exact tokens, for the parts of cut sentences
    if max(costs) > max_tokens:
        pieces, costs, first_rec, part_last = _cut_long_sentences(
            sentences, pieces, costs, line_costs, _Cutter(enc, max_tokens))
    before = list(accumulate(costs, initial=0))  # tokens of the records before each one

    def last_cost(k: int) -> int:
        exact = part_last.get(k)
        return exact if exact is not None else line_costs.last(pieces[k].sentence_id, pieces[k].text)

    def count(a: int, b: int) -> int:  # exact tokens of records a..b-1 as one chunk
        return before[b - 1] - before[a] + last_cost(b - 1)

    n = len(sentences)
    whole = count(0, len(pieces))
    if whole <= max_tokens:
        return [Chunk(0, doc.id, tuple(pieces), whole, 0)]

    # Units, as record ranges: sections that fit, else their paragraphs that fit, else
    # their sentences, else the parts of a cut sentence.
    section_starts, paragraph_starts = _boundaries([s.section for s in sentences],
                                                   [s.paragraph for s in sentences])
    ends: list[int] = []  # each unit's end record; a unit starts where the previous ends

    def add_split(a: int, b: int, finer) -> None:
        """Sentences a..b-1 as one unit if they fit, else as ``finer`` units."""
        if before[first_rec[b]] - before[first_rec[a]] <= max_tokens:
            ends.append(first_rec[b])
            return
        finer(a, b)

    def sentences_of(a: int, b: int) -> None:
        ends.extend(range(first_rec[a] + 1, first_rec[b] + 1))

    def paragraphs_of(a: int, b: int) -> None:
        cuts = paragraph_starts[bisect_right(paragraph_starts, a):bisect_left(paragraph_starts, b)]
        for pa, pb in zip([a, *cuts], [*cuts, b]):
            add_split(pa, pb, sentences_of)

    for sa, sb in zip([0, *section_starts], [*section_starts, n]):
        add_split(sa, sb, paragraphs_of)
    return _pack(doc.id, pieces, before, ends, count, max_tokens, overlap_tokens)


def _pack(doc_id: str, pieces: list[Piece], before: list[int], ends: list[int], count,
          max_tokens: int, overlap_tokens: int) -> list[Chunk]:
    """Units packed greedily into chunks; each chunk after the first may start with the
    trailing whole records of the previous one (at most ``overlap_tokens``)."""
    chunks: list[Chunk] = []
    start = 0  # first record of the next unit
    prev_start = 0  # first record of the previous chunk
    i = 0
    while i < len(ends):
        first_end = ends[i]
        chunk_start = start
        if overlap_tokens and chunks:
            # the trailing records of the previous chunk within overlap_tokens ...
            while chunk_start > prev_start and before[start] - before[chunk_start - 1] <= overlap_tokens:
                chunk_start -= 1
            # ... as long as the first unit still fits after them
            while chunk_start < start and before[first_end] - before[chunk_start] > max_tokens:
                chunk_start += 1
        end = first_end
        i += 1
        while i < len(ends) and before[ends[i]] - before[chunk_start] <= max_tokens:
            end = ends[i]
            i += 1
        tokens = count(chunk_start, end)
        if tokens > max_tokens:  # the costs are upper bounds and parts are cut to fit
            raise BrieferError(f"internal error: chunk {len(chunks) + 1} of {doc_id} has "
                               f"{tokens} tokens, over the limit of {max_tokens}")
        chunks.append(Chunk(len(chunks), doc_id, tuple(pieces[chunk_start:end]), tokens,
                            start - chunk_start))
        prev_start, start = chunk_start, end
    return chunks
