"""The select task's offline half: what a model may pick from a chunk, and the engine's own picks.

In the select task a model does not write notes; it points at sentences. This module
reads a chunk's sentences with the extractive engine and offers, as *candidates*, the
sentences a pick can be turned into a grounded item from: sentences with an attributed
statement (or naming a side) for positions and disputes, sentences the engine reads a
next step in for next steps, and the side names found in the chunk. ``engine_picks`` is
the offline engine's answer to a select request (the ``mock`` backend uses it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..schema import Notes
from .extractive import extract_notes
from .gazetteer import sides_in
from .lexicon import Line

MAX_POSITION_CANDIDATES = 24
MAX_SIDES = 4
NONE = "none"


@dataclass
class Candidates:
    lines: list[Line]
    notes: Notes  # the engine's parse of the chunk
    sides: list[str] = field(default_factory=list)  # side names on offer (most named first)
    position_ids: list[str] = field(default_factory=list)
    step_ids: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return [line.id for line in self.lines]


def side_of(position) -> str:
    return position.side or position.actor


def find_candidates(lines: list[Line], title: str | None = None) -> Candidates:
    notes = extract_notes(lines, title)
    order = {line.id: i for i, line in enumerate(lines)}
    counts: Counter = Counter()
    for pos in notes.positions:
        counts[side_of(pos)] += 2
    named = {line.id: sides_in(line.text) for line in lines}
    for line in lines:
        for side in named[line.id]:
            counts[side] += 1
    sides = [name for name, _ in counts.most_common(MAX_SIDES) if name and name != NONE]
    chosen = {pos.evidence[-1] for pos in notes.positions if pos.evidence}
    for line in lines:  # sentences that name a side, in document order, while there is room
        if len(chosen) >= MAX_POSITION_CANDIDATES:
            break
        if line.id not in chosen and any(s in sides for s in named[line.id]):
            chosen.add(line.id)
    steps = {sid for step in notes.next_steps for sid in step.evidence[-1:]}
    return Candidates(lines=lines, notes=notes, sides=sides,
                      position_ids=sorted((i for i in chosen if i in order), key=order.get),
                      step_ids=sorted((i for i in steps if i in order), key=order.get))


def engine_picks(cand: Candidates) -> dict:
    """The offline engine's answer to a select request: the picks its own notes make."""
    by_line = {pos.evidence[-1]: side_of(pos) for pos in reversed(cand.notes.positions) if pos.evidence}
    answer: dict = {}
    if cand.lines:
        lead = cand.notes.key_points[0].evidence[0] if cand.notes.key_points else cand.lines[0].id
        answer["lead"] = lead if lead in cand.ids else cand.lines[0].id
    if cand.position_ids:
        answer["sides"] = {sid: (by_line.get(sid) if by_line.get(sid) in cand.sides else NONE)
                           for sid in cand.position_ids}
        disputes = []
        for dispute in cand.notes.disputes[:2]:
            ids = [i for s in dispute.stances for i in s.evidence[-1:] if i in cand.position_ids][:4]
            if ids:
                disputes.append({"topic": dispute.issue[:40], "ids": ids})
        answer["disputes"] = disputes
    if cand.step_ids:
        answer["next_steps"] = {sid: "yes" for sid in cand.step_ids}
    return answer
