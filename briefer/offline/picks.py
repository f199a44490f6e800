"""The select task's offline half: what a model may pick from a chunk, and the engine's own picks.

In the select task a model does not write notes; it points at sentences. Before the call,
``find_candidates`` scans a chunk's sentences with a few fast patterns (no reading by the
extractive engine, ~7 ms a 2000-token chunk even after its speedups) and offers, as
*candidates*: for positions and disputes, sentences that report what someone said (a
speech verb, a quotation, "according to", a charge, a transcript turn) or name a side,
those first, the most telling first where they do not all fit; for next steps, sentences
with a plan or future cue followed by an action ("will visit", "is expected to ...",
"talks resume on ..."), every sentence the engine could read a step in
(``steps.may_state_step``); and the side names the chunk mentions most (the gazetteer's,
and, where a chunk names fewer than two, who its statements are attributed to), with
"other" for a party not among them.

The engine reads the chunk only after the model answered, and only when the picks are
turned into notes (``Candidates.notes``, computed on first use): who speaks, for which
side, and the verbatim span of the statement. ``engine_picks`` is the offline engine's
answer to a select request (the ``mock`` backend uses it).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from ..schema import Notes
from .extractive import extract_notes
from .gazetteer import _trie_pattern, sides_in
from .lexicon import SPEECH_VERBS, Line
from .rulings import leaves_to, remands
from .steps import CUE_WORDS, DATED_WORDS, may_state_step
from .voices import transcript_label

MAX_POSITION_CANDIDATES = 24
MAX_STEP_CANDIDATES = 16
MAX_SIDES = 4
NONE = "none"
OTHER = "other"  # a party the side names on offer leave out: who speaks is read from the sentence

# One pass per sentence over its lower-cased text, one trie pattern (a large alternation
# otherwise costs tens of microseconds a sentence) for three kinds of words: speech verbs,
# "according to" and charges (a statement; charges and court records speak for the
# prosecution, extractive._CHARGED), and the words without which no next-step cue
# (steps.NEXT_CUES, _DATED_EVENT) can match: the exact cues are tried only where one is.
_SAY, _STEP, _DATED, _STANCE, _HEDGE = 1, 2, 4, 16, 32
# and, for ranking statements as the engine does (extractive._telling): a stance (must,
# reject, warn ...) and a hedge ('we'll see', 'I don't know')
_STANCE_WORDS = ("must|should|will not|won’t|won't|cannot|can’t|can't|unacceptable|illegal|never|goal|goals|aim|"
                 "aims|objective|objectives|priority|priorities|has to|have to|need to|needs to|not going to|"
                 "not playing").split("|")
_STANCE_STEMS = {"insist": "s ed ing ence", "demand": "s ed ing", "refus": "e es ed ing al", "reject": "s ed ing ion",
                 "oppos": "e es ed ing ition", "support": "s ed ing er ers", "condemn": "s ed ing ation",
                 "urg": "e es ed ing",
                 "warn": "s ed ing ings", "accus": "e es ed ing ation ations", "violat": "e es ed ing ion ions",
                 "threat": " s en ens ened ening", "breach": " es ed", "deplor": "e es ed", "protest": " s ed ing",
                 "agree": " s d ing ment ments", "commit": " s ted ting ment ments", "concern": " s ed ing"}
_STANCE_WORDS += [stem + end for stem, ends in _STANCE_STEMS.items() for end in (ends.split(" ") if ends.startswith(" ")
                                                                                  else ends.split())]
_HEDGE_WORDS = ["we’ll see", "we'll see", "we will see", "i’m not sure", "i'm not sure", "i don’t know", "i don't know",
                "i don’t think", "i don't think", "i haven’t", "i haven't", "inaudible", "that’s what", "that's what"]
_CUE_KIND: dict[str, int] = {}
for _kind, _words in ((_SAY, [*SPEECH_VERBS.split("|"), "according to",
                              *"charged indicted arraigned extradited convicted sentenced faces face".split()]),
                      (_STEP, CUE_WORDS), (_DATED, DATED_WORDS),
                      (_STANCE, _STANCE_WORDS), (_HEDGE, _HEDGE_WORDS)):
    for _word in _words:
        _CUE_KIND[_word] = _CUE_KIND.get(_word, 0) | _kind
for _entry in [e for e in _CUE_KIND if " " in e]:  # 'will not' is a stance and holds 'will'
    for _word in _entry.split():
        _CUE_KIND[_entry] |= _CUE_KIND.get(_word, 0) & (_SAY | _STEP | _DATED)
# Every entry begins and ends with a word character, so a match of r"\b(entry)\b" starts
# just after a non-word character (or at the start): the pattern opens with that character
# instead, matched on " " + text (the same matches, in the same order), which lets the
# regex engine skip ahead to the non-word characters instead of trying every position.
if not all(re.match(r"\w", w) and re.search(r"\w\Z", w) for w in _CUE_KIND):  # pragma: no cover
    raise RuntimeError("picks: a cue entry begins or ends with a non-word character")
_CUE_RE = re.compile(r"\W(" + _trie_pattern(_CUE_KIND) + r")\b")
# 'Luis Suarez said', 'Police said', 'The BBC reported': who a statement is attributed to,
# read only where a chunk names fewer than two sides of the gazetteer.
_SUBJECT_RE = re.compile(r"(?:^|[,;:]\s+|\b(?:and|but)\s+)((?:[A-Z][\w’'\-]*\.?\s+){0,2}[A-Z][\w’'\-]+)\s+"
                         r"(?:said|says|told|added|reported|announced|wrote|stated|pleaded|warned|insisted)\b")
_UPPER_RE = re.compile(r"[A-Z]")
_DIGIT_RE = re.compile(r"\d")
_NOT_A_NAME = frozenset("he she it they we i you this that these those there the a an his her their its "
                        "but and or so then however meanwhile officials".split())


@dataclass
class Candidates:
    lines: list[Line]
    title: str | None = None
    sides: list[str] = field(default_factory=list)  # side names on offer (most named first)
    position_ids: list[str] = field(default_factory=list)
    step_ids: list[str] = field(default_factory=list)
    lower: bool | None = None  # the chunk is lower-cased text (None: not known yet)

    @property
    def ids(self) -> list[str]:
        return [line.id for line in self.lines]

    @cached_property
    def notes(self) -> Notes:
        """The engine's reading of the whole chunk (who speaks, for which side, the spans),
        made when the picks are turned into notes, not before the call."""
        return extract_notes(self.lines, self.title)


def side_of(position) -> str:
    return position.side or position.actor


def _subject(text: str) -> str | None:
    match = _SUBJECT_RE.search(text)
    if not match:
        return None
    words = match.group(1).split()
    while words and words[0].lower() in _NOT_A_NAME:
        words.pop(0)
    return " ".join(words) if words and words[0][:1].isupper() else None


def find_candidates(lines: list[Line], title: str | None = None) -> Candidates:
    said: list[bool] = []
    named: list[list[str]] = []
    flags: list[int] = []
    steps: list[str] = []
    counts: Counter = Counter()
    asked: set[int] = set()  # sentences of a transcript's questions: nobody's position
    speaker: str | None = None
    turn = False  # in a transcript turn of a speaker: every sentence is theirs
    in_question = False
    voice: list[str | None] = []  # whose sentence it is, as far as a scan tells: the turn's speaker
    joined = "".join(line.text for line in lines)
    lower = _count_upper(joined) < 0.005 * len(joined)  # lower-cased text: no names to read
    cue_kind = _CUE_KIND
    cue_words = _CUE_RE.findall
    for n, line in enumerate(lines):
        text = line.text
        label = transcript_label(text, lower) if ":" in text[:48] or text[:2] in ("Q ", "q ") else None
        if label:
            in_question, turn = label[1], not label[1]
            speaker = label[0]
        if in_question:
            asked.add(n)
        cues = 0
        for word in cue_words(" " + text.lower()):
            cues |= cue_kind[word]
        says = bool(cues & _SAY) or "“" in text or '"' in text or "‘" in text or (turn and not in_question)
        sides = sides_in(text)
        said.append(says)
        named.append(sides)
        flags.append(cues)
        voice.append(speaker if turn else sides[0] if sides else None)
        for side in sides:
            counts[side] += 1
        if says and sides:
            counts[sides[0]] += 1  # a statement of that side, as a rule: its subject
        if cues & (_STEP | _DATED) and may_state_step(text) or "emanded" in text and remands(text) \
                or leaves_to(text):  # remanded, Remanded; 'leaves for the District Court to ...'
            steps.append(line.id)
    if len([s for s in counts if s]) < 2 and not lower:
        # few sides of the gazetteer: who the statements are attributed to may be the sides
        for line, says in zip(lines, said):
            if says and (who := _subject(line.text)) and not sides_in(who):
                counts[who] += 2
    sides = [name for name, _ in counts.most_common(MAX_SIDES) if name and name != NONE]
    offered = set(sides)
    # statements first (attributed, quoted), then sentences naming a side on offer, then
    # any other sentence that can state a position: at most MAX_POSITION_CANDIDATES, in order
    kind = {}
    for i, line in enumerate(lines):
        if i not in asked:
            k = 0 if said[i] else 1 if named[i] and not offered.isdisjoint(named[i]) else \
                2 if _can_state(line.text) else None
            if k is not None:
                kind[i] = k
    chosen = sorted(kind)
    if len(chosen) > MAX_POSITION_CANDIDATES:
        # the kinds in order; within the kind that does not fit whole, the sentences that
        # tell a reader most first (a stance, a side named, a number; not a hedge, not a
        # few words), taken in turn from each voice (a transcript's speakers, the side a
        # sentence names first), as the engine ranks its statements
        sizes = Counter(kind.values())
        room, cut = MAX_POSITION_CANDIDATES, 0
        while sizes[cut] <= room:
            room -= sizes[cut]
            cut += 1
        rest = [i for i in chosen if kind[i] == cut]
        score = {i: _telling(lines[i].text, named[i], flags[i]) for i in rest}
        place: dict[int, int] = {}
        for group in {voice[i] for i in rest}:
            members = sorted((i for i in rest if voice[i] == group), key=lambda i: (-score[i], i))
            place.update((i, n) for n, i in enumerate(members))
        rest.sort(key=lambda i: (place[i], -score[i], i))
        chosen = sorted([i for i in chosen if kind[i] < cut] + rest[:room])
    if len(steps) > MAX_STEP_CANDIDATES:
        keep = set(steps[:MAX_STEP_CANDIDATES])
        steps = [sid for sid in steps if sid in keep]
    return Candidates(lines=lines, title=title, sides=sides, position_ids=[lines[i].id for i in chosen],
                      step_ids=steps, lower=lower)


_ASCII_UPPER = bytes(range(65, 91))


def _count_upper(text: str) -> int:
    """How many of A-Z ``text`` holds (for ASCII text by deleting them from its bytes)."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data) - len(data.translate(None, _ASCII_UPPER))
    return len(_UPPER_RE.findall(text))


def _telling(text: str, sides: list[str], cues: int) -> float:
    words = len(text.split())
    score = 0.8 * bool(cues & _STANCE) + 0.6 * bool(sides) + 0.4 * bool(_DIGIT_RE.search(text))
    return score - 1.5 * bool(cues & _HEDGE) - (words < 10) - 0.5 * (words > 45)


def _can_state(text: str) -> bool:
    """Long enough to state a position, and not a question."""
    return len(text.split()) >= 8 and not text.rstrip().endswith("?")


def engine_picks(cand: Candidates) -> dict:
    """The offline engine's answer to a select request: the picks its own notes make."""
    by_line = {pos.evidence[-1]: side_of(pos) for pos in reversed(cand.notes.positions) if pos.evidence}
    answer: dict = {}
    if cand.lines:
        lead = cand.notes.key_points[0].evidence[0] if cand.notes.key_points else cand.lines[0].id
        answer["lead"] = lead if lead in cand.ids else cand.lines[0].id
    if cand.position_ids:
        # the parties as the engine reads them: who speaks most (two a statement) and is
        # named most (one a sentence), the first MAX_SIDES; the others' statements are background
        counts: Counter = Counter()
        for pos in cand.notes.positions:
            counts[side_of(pos)] += 2
        for line in cand.lines:
            for side in sides_in(line.text):
                counts[side] += 1
        parties = {name for name, _ in counts.most_common(MAX_SIDES)}
        answer["sides"] = {sid: (NONE if by_line.get(sid) not in parties else by_line[sid]
                                 if by_line[sid] in cand.sides else OTHER) for sid in cand.position_ids}
        disputes = []
        for dispute in cand.notes.disputes[:2]:
            ids = [i for s in dispute.stances for i in s.evidence[-1:] if i in cand.position_ids][:4]
            if ids:
                disputes.append({"topic": dispute.issue[:40], "ids": ids})
        answer["disputes"] = disputes
    if cand.step_ids:
        steps = {sid for step in cand.notes.next_steps for sid in step.evidence[-1:]}
        answer["next_steps"] = {sid: "yes" if sid in steps else "no" for sid in cand.step_ids}
    return answer
