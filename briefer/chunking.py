"""Token-bounded chunking of a Document's sentences.

A chunk is sent to the model as one line per piece, ``[S3] sentence text`` (see
``render_lines``), so the token limit applies to exactly that string.

How a document is cut:

1. A document whose rendering fits ``max_tokens`` is one chunk.
2. Otherwise it is split hierarchically into *units*: a section that fits is one unit; a
   section that does not is split into its paragraphs; a paragraph that does not fit into
   its sentences; a sentence whose line alone is over the limit is cut at word boundaries
   into parts (a single word over the limit is cut by characters).
3. Units are packed greedily into chunks. Each chunk after the first may start with the
   trailing whole pieces of the previous chunk (``overlap_tokens``).
4. Every chunk's rendering is encoded once and its true token count checked against the
   limit; a chunk that is over is repaired (less overlap, fewer units, smaller units).

Token counts for packing come from a single encoding of the whole rendered document: the
cl100k/o200k pre-tokenisers never merge across a newline followed by ``[``, so the token
stream splits exactly at the line ends. The per-line counts include the line's newline,
which makes summed counts a (tight) upper estimate; the final check is always exact.
"""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import compress
from typing import Iterable, NamedTuple

import tiktoken

from .document import Document
from .errors import BrieferError, UsageError
from .tokens import get_encoding

__all__ = ["Piece", "Chunk", "render_lines", "chunk_document", "MIN_MAX_TOKENS"]

MIN_MAX_TOKENS = 32


@dataclass(frozen=True)
class Piece:
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


def _line(sentence_id: str, text: str) -> str:
    collapsed = " ".join(text.split())
    return f"[{sentence_id}] {collapsed}" if collapsed else f"[{sentence_id}]"


def render_lines(pieces: Iterable[Piece]) -> str:
    """``[S1] text\\n[S2] text``: one line per piece, whitespace runs collapsed."""
    return "\n".join(_line(p.sentence_id, p.text) for p in pieces)


class _Rec(NamedTuple):
    piece: Piece
    line: str  # _line(piece.sentence_id, piece.text)
    cost: int  # estimated tokens of the line within a chunk (line plus its newline)


class _Unit(NamedTuple):
    recs: tuple[_Rec, ...]
    cost: int


_NEWLINE_IDS: dict[str, frozenset[int]] = {}


def _newline_token_ids(enc: tiktoken.Encoding) -> frozenset[int]:
    """Ids of the ordinary tokens whose bytes end with a newline."""
    ids = _NEWLINE_IDS.get(enc.name)
    if ids is None:
        ids = frozenset(
            enc.encode_single_token(b) for b in enc.token_byte_values() if b.endswith(b"\n")
        )
        _NEWLINE_IDS[enc.name] = ids
    return ids


def _line_costs(enc: tiktoken.Encoding, lines: list[str], tokens: list[int]) -> list[int]:
    """Tokens of each ``line + "\\n"``, from the encoding of ``"\\n".join(lines)``."""
    nl = _newline_token_ids(enc)
    ends = list(compress(range(len(tokens)), map(nl.__contains__, tokens)))
    if len(ends) != len(lines) - 1:  # not expected; count line by line instead
        return [len(t) for t in enc.encode_ordinary_batch([ln + "\n" for ln in lines])]
    costs = []
    prev = -1
    for e in ends:
        costs.append(e - prev)
        prev = e
    costs.append(len(tokens) - prev)  # the last line, plus one for a newline
    return costs


_PARALLEL_MIN_CHARS = 256_000  # below this, thread start-up costs more than it saves
_BLOCK_CHARS = 64_000


def _encode_many(enc: tiktoken.Encoding, texts: list[str]) -> list[list[int]]:
    """``[enc.encode_ordinary(t) for t in texts]``, on several threads for large inputs.

    tiktoken releases the GIL while encoding; the texts are handed out in a few
    contiguous groups of similar size so that per-task overhead stays small.
    """
    threads = min(8, os.cpu_count() or 1)
    total = sum(map(len, texts))
    if threads < 2 or len(texts) < 2 or total < _PARALLEL_MIN_CHARS:
        return [enc.encode_ordinary(t) for t in texts]
    groups: list[list[str]] = [[]]
    size, target = 0, total / (threads * 2)
    for t in texts:
        if size >= target:
            groups.append([])
            size = 0
        groups[-1].append(t)
        size += len(t)

    def work(group: list[str]) -> list[list[int]]:
        return [enc.encode_ordinary(t) for t in group]

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return [tokens for result in pool.map(work, groups) for tokens in result]


def _encode_lines(enc: tiktoken.Encoding, lines: list[str]) -> list[int]:
    """The encoding of ``"\\n".join(lines)``, done in line-aligned blocks.

    A block ends with a line's newline, and no pre-token spans a newline followed by
    ``[``, so the blocks' encodings concatenate to the encoding of the whole text.
    """
    blocks: list[str] = []
    group: list[str] = []
    size = 0
    for line in lines:
        group.append(line)
        size += len(line) + 1
        if size >= _BLOCK_CHARS:
            blocks.append("\n".join(group) + "\n")
            group, size = [], 0
    if group:
        blocks.append("\n".join(group))
    else:
        blocks[-1] = blocks[-1][:-1]
    if len(blocks) == 1:
        return enc.encode_ordinary(blocks[0])
    tokens: list[int] = []
    for part in _encode_many(enc, blocks):
        tokens.extend(part)
    return tokens


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

    def cut(self, sentence_id: str, text: str) -> list[_Rec]:
        prefix = f"[{sentence_id}]"
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
        recs = []
        for k, (part, line_tokens) in enumerate(parts, 1):
            line = f"{prefix} {part}"
            cost = max(line_tokens, self.count(line + "\n"))
            recs.append(_Rec(Piece(sentence_id, part, k), line, cost))
        return recs

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


def _runs(keys: list, start: int, stop: int) -> list[tuple[int, int]]:
    """Maximal [a, b) ranges within [start, stop) where ``keys`` stays the same."""
    runs = []
    a = start
    for i in range(start + 1, stop):
        if keys[i] != keys[i - 1]:
            runs.append((a, i))
            a = i
    if stop > start:
        runs.append((a, stop))
    return runs


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
    encode = enc.encode_ordinary

    lines = [_line(s.id, s.text) for s in sentences]
    all_tokens = _encode_lines(enc, lines)
    if len(all_tokens) <= max_tokens:
        pieces = tuple(Piece(s.id, s.text) for s in sentences)
        return [Chunk(0, doc.id, pieces, len(all_tokens), 0)]

    costs = _line_costs(enc, lines, all_tokens)
    del all_tokens
    cutter = _Cutter(enc, max_tokens)

    # Per sentence: its records (one, or the parts of a cut sentence) and their total cost.
    sent_recs: list[tuple[_Rec, ...]] = []
    sent_cost: list[int] = []
    for s, line, cost in zip(sentences, lines, costs):
        if cost > max_tokens:
            exact = len(encode(line))
            if exact > max_tokens:
                recs = tuple(cutter.cut(s.id, s.text))
                sent_recs.append(recs)
                sent_cost.append(sum(r.cost for r in recs))
                continue
        sent_recs.append((_Rec(Piece(s.id, s.text), line, cost),))
        sent_cost.append(cost)

    prefix = [0]
    for c in sent_cost:
        prefix.append(prefix[-1] + c)

    def fits(a: int, b: int) -> bool:
        return prefix[b] - prefix[a] <= max_tokens

    def unit(a: int, b: int) -> _Unit:
        recs = tuple(r for i in range(a, b) for r in sent_recs[i])
        return _Unit(recs, prefix[b] - prefix[a])

    # Hierarchical units: sections, else paragraphs, else sentences, else parts.
    section_keys = [s.section for s in sentences]
    paragraph_keys = [(s.section, s.paragraph) for s in sentences]
    units: list[_Unit] = []
    for sa, sb in _runs(section_keys, 0, len(sentences)):
        if fits(sa, sb):
            units.append(unit(sa, sb))
            continue
        for pa, pb in _runs(paragraph_keys, sa, sb):
            if fits(pa, pb):
                units.append(unit(pa, pb))
                continue
            for i in range(pa, pb):
                recs = sent_recs[i]
                if len(recs) == 1:
                    units.append(_Unit(recs, sent_cost[i]))
                else:
                    units.extend(_Unit((r,), r.cost) for r in recs)

    return _pack(doc.id, units, enc, cutter, max_tokens, overlap_tokens)


def _take(
    pending: deque[_Unit],
    prev: tuple[_Rec, ...],
    max_tokens: int,
    overlap_tokens: int,
    overlap_cap: int | None = None,
    unit_cap: int | None = None,
) -> tuple[list[_Rec], list[_Unit]]:
    """Greedily take the next chunk's overlap records and units off ``pending``."""
    overlap: list[_Rec] = []
    cost = 0
    if overlap_tokens and prev:
        for r in reversed(prev):
            if cost + r.cost > overlap_tokens:
                break
            cost += r.cost
            overlap.append(r)
        overlap.reverse()
        if overlap_cap is not None and len(overlap) > overlap_cap:
            overlap = overlap[len(overlap) - overlap_cap :] if overlap_cap else []
            cost = sum(r.cost for r in overlap)
    first_cost = pending[0].cost
    while overlap and cost + first_cost > max_tokens:
        cost -= overlap.pop(0).cost
    taken: list[_Unit] = []
    while pending and (unit_cap is None or len(taken) < unit_cap):
        u = pending[0]
        if taken and cost + u.cost > max_tokens:
            break
        taken.append(pending.popleft())
        cost += u.cost
    return overlap, taken


def _records(overlap: list[_Rec], taken: list[_Unit]) -> tuple[_Rec, ...]:
    return tuple(overlap) + tuple(r for u in taken for r in u.recs)


def _text(recs: tuple[_Rec, ...]) -> str:
    return "\n".join(r.line for r in recs)


def _pack(
    doc_id: str,
    units: list[_Unit],
    enc: tiktoken.Encoding,
    cutter: _Cutter,
    max_tokens: int,
    overlap_tokens: int,
) -> list[Chunk]:
    # Plan every chunk from the line costs, then count each exactly. No pre-token spans a
    # newline followed by "[", so a chunk's tokens are its lines' tokens with their
    # newlines (known from the one encoding of the whole document) plus the last line's
    # tokens without one: one short encode per chunk instead of the whole text again.
    # Only if a chunk turns out to be over the limit are it and the chunks after it
    # rebuilt one at a time with repairs.
    pending = deque(units)
    plan: list[tuple[tuple[_Rec, ...], int, int]] = []  # (records, overlap, first unit)
    prev: tuple[_Rec, ...] = ()
    while pending:
        start = len(units) - len(pending)
        overlap, taken = _take(pending, prev, max_tokens, overlap_tokens)
        prev = _records(overlap, taken)
        plan.append((prev, len(overlap), start))
    counts = [sum(r.cost for r in recs[:-1]) + len(enc.encode_ordinary(recs[-1].line))
              for recs, _, _ in plan]
    chunks: list[Chunk] = []
    for (recs, n_overlap, start), n_tokens in zip(plan, counts):
        if n_tokens > max_tokens:
            prev = chunks and plan[len(chunks) - 1][0] or ()
            _pack_checked(
                chunks, deque(units[start:]), prev, doc_id, enc, cutter, max_tokens,
                overlap_tokens,
            )
            break
        pieces = tuple(r.piece for r in recs)
        chunks.append(Chunk(len(chunks), doc_id, pieces, n_tokens, n_overlap))
    return chunks


def _pack_checked(
    chunks: list[Chunk],
    pending: deque[_Unit],
    prev: tuple[_Rec, ...],
    doc_id: str,
    enc: tiktoken.Encoding,
    cutter: _Cutter,
    max_tokens: int,
    overlap_tokens: int,
) -> None:
    """Append chunks for ``pending`` to ``chunks``, checking and repairing each one."""
    while pending:
        overlap_cap: int | None = None  # lowered while repairing a chunk that is over
        unit_cap: int | None = None
        while True:
            overlap, taken = _take(
                pending, prev, max_tokens, overlap_tokens, overlap_cap, unit_cap
            )
            recs = _records(overlap, taken)
            n_tokens = len(enc.encode_ordinary(_text(recs)))
            if n_tokens <= max_tokens:
                pieces = tuple(r.piece for r in recs)
                chunks.append(Chunk(len(chunks), doc_id, pieces, n_tokens, len(overlap)))
                prev = recs
                break
            # Over the limit (the estimate was off): repair, smallest change first.
            pending.extendleft(reversed(taken))
            if overlap:
                overlap_cap = len(overlap) - 1
                continue
            if len(taken) > 1:
                unit_cap = len(taken) - 1
                continue
            u = pending.popleft()
            unit_cap = None
            if len(u.recs) > 1:
                pending.extendleft(_Unit((r,), r.cost) for r in reversed(u.recs))
                continue
            piece = u.recs[0].piece
            if piece.part:  # parts are made to fit exactly, so this cannot happen
                raise BrieferError(
                    f"internal error: part {piece.part} of sentence {piece.sentence_id} "
                    f"is over {max_tokens} tokens"
                )
            parts = cutter.cut(piece.sentence_id, piece.text)
            pending.extendleft(_Unit((r,), r.cost) for r in reversed(parts))
