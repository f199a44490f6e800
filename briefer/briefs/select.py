"""The select task: a model picks sentence ids; the picks become grounded notes.

A small model cannot be trusted to write notes whose words and ids match the source, but
it can point at sentences. For each chunk the offline engine offers candidates
(``briefer.offline.picks``); the answer model built here constrains every id to them (an
``enum`` in the JSON schema, which llama.cpp turns into a grammar) and caps every list.
``notes_from_picks`` turns the picks into ``Notes``: every text a reader sees is a cited
sentence or the engine's verbatim span of it, and every label the model wrote (a side
name, a dispute topic) must occur in the sentences it cites, or it is replaced by the
engine's reading of those sentences, or the item is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..offline.disputes import label_issue
from ..offline.gazetteer import side_words, sides_in
from ..offline.lexicon import content_words
from ..offline.picks import NONE, Candidates, side_of
from ..schema import Actor, Dispute, Notes, Point, Position, Stance

MAX_DISPUTES = 2
MAX_DISPUTE_IDS = 4
TOPIC_CHARS = 40


@dataclass
class PickCounts:
    used: int = 0  # picks that became an item
    dropped: int = 0  # picks that failed a check (no reading of the sentence, a label not in it)

    def add(self, other: "PickCounts") -> None:
        self.used += other.used
        self.dropped += other.dropped


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class YesNo(str, Enum):
    yes = "yes"
    no = "no"


def picks_model(cand: Candidates) -> type[BaseModel]:
    """The answer model for one chunk: ids from the chunk's candidates only, lists capped."""
    fields: dict = {}
    if cand.ids:
        fields["lead"] = (Literal[tuple(cand.ids)], ...)
    if cand.position_ids:
        # an Enum, not a Literal: the schema names the choices once ($defs) and refers to them
        side = Enum("Side", {f"v{i}": name for i, name in enumerate([*cand.sides, NONE])}, type=str)
        sides = create_model("Sides", __base__=_Answer,
                             **{f"s{i}": (side, Field(alias=sid)) for i, sid in enumerate(cand.position_ids)})
        fields["sides"] = (sides, ...)
    if cand.step_ids:
        # one yes/no per candidate: a small model answers every one, where a free list comes back empty
        steps = create_model("Steps", __base__=_Answer,
                             **{f"n{i}": (YesNo, Field(alias=sid)) for i, sid in enumerate(cand.step_ids)})
        fields["next_steps"] = (steps, ...)
    if cand.position_ids:
        picked = create_model("PickedDispute", __base__=_Answer,
                              topic=(str, Field(max_length=TOPIC_CHARS)),
                              ids=(list[Literal[tuple(cand.position_ids)]], Field(max_length=MAX_DISPUTE_IDS)))
        fields["disputes"] = (list[picked], Field(max_length=MAX_DISPUTES))
    return create_model("Picks", __base__=_Answer, **fields)


def _mentions(label: str, texts: list[str]) -> bool:
    """The label, or a word whose canonical side it is, occurs in the texts."""
    joined = " ".join(texts)
    low = joined.lower()
    if re.search(r"(?<!\w)" + re.escape(label.lower()) + r"(?!\w)", low):
        return True
    if label in sides_in(joined):
        return True
    return any(re.search(r"(?<!\w)" + re.escape(w.lower()) + r"(?!\w)", low) for w in side_words(label) if len(w) > 2)


_NAMEY = re.compile(r"\b(?:[A-Z][\w’'\-]*|\d[\d,.:/\-]*)")


def topic_checks(topic: str, texts: list[str]) -> bool:
    """A topic label stands when it has content and every name, number and date in it
    (capitalised words after the first, digits) occurs in the cited sentences."""
    words = content_words(topic)
    if not words or len(topic.split()) > 6:
        return False
    low = " ".join(texts).lower()
    if not any(w in low for w in words):
        return False
    names = [m.group(0) for m in _NAMEY.finditer(topic)][1 if topic[:1].isupper() else 0:]
    return all(n.lower().strip(".,") in low for n in names)


def reads_alone(text: str) -> bool:
    """A sentence that can open a bottom line: not a bare quotation, not a fragment."""
    return len(text.split()) >= 10 and text.lstrip()[:1] not in "“\"‘'(" and not text.rstrip().endswith("?")


def notes_from_picks(picks: BaseModel, cand: Candidates) -> tuple[Notes, PickCounts]:
    counts = PickCounts()
    text_of = {line.id: line.text for line in cand.lines}
    engine = cand.notes
    rank = {id(p): i for i, p in enumerate(engine.positions)}
    by_line: dict[str, Position] = {}
    for pos in engine.positions:
        if pos.evidence:
            by_line.setdefault(pos.evidence[-1], pos)

    positions: list[Position] = []
    sides = getattr(picks, "sides", None)
    picked_sides = sides.model_dump(by_alias=True, mode="json") if sides is not None else {}
    for sid, side in picked_sides.items():
        if side == NONE:
            continue
        pos = by_line.get(sid)
        cited = [text_of[i] for i in (pos.evidence if pos else [sid]) if i in text_of]
        if pos is not None:
            # who speaks is read from the sentence; the model's side fills in where the
            # engine found none, if the sentence names it
            final = pos.side or (side if _mentions(side, cited) else None)
            positions.append(Position(actor=pos.actor, side=final, text=pos.text, evidence=list(pos.evidence)))
            counts.used += 1
        elif sides_in(text_of[sid])[:1] == [side]:
            # no speaker the engine could read: the side must be the first the sentence names
            # (its subject, as a rule), not any side it mentions
            positions.append(Position(actor=side, side=side, text=text_of[sid].strip(), evidence=[sid]))
            counts.used += 1
        else:
            counts.dropped += 1
    order = {line.id: i for i, line in enumerate(cand.lines)}
    positions.sort(key=lambda p: (rank.get(id(by_line.get(p.evidence[-1])), len(rank)), order.get(p.evidence[-1], 0)))
    kept = {p.evidence[-1]: p for p in positions}

    next_steps = []
    steps = getattr(picks, "next_steps", None)
    for sid in [k for k, v in (steps.model_dump(by_alias=True, mode="json") if steps is not None else {}).items() if v == "yes"]:
        found = [s for s in engine.next_steps if s.evidence and s.evidence[-1] == sid]
        if found:
            next_steps += found
            counts.used += 1
        else:
            counts.dropped += 1

    disputes: list[Dispute] = []
    texts = [line.text for line in cand.lines]
    for picked in getattr(picks, "disputes", None) or []:
        stances: dict[str, Stance] = {}
        for sid in picked.ids:
            pos = kept.get(sid)
            if pos is None or side_of(pos) in stances:
                continue
            stances[side_of(pos)] = Stance(side=side_of(pos), text=pos.text, evidence=list(pos.evidence))
        if len(stances) < 2:
            counts.dropped += 1
            continue
        cited = [text_of[i] for s in stances.values() for i in s.evidence if i in text_of]
        topic = " ".join(picked.topic.split()).strip(" .,:;")
        if not topic_checks(topic, cited):
            known = next((d.issue for d in engine.disputes
                          if {i for s in d.stances for i in s.evidence} & {i for s in stances.values() for i in s.evidence}),
                         None)
            common = Counter(w for text in cited for w in set(content_words(text))
                             if not sides_in(w)).most_common(1)
            topic = known or (label_issue(common[0][0], texts) if common else None)
        if not topic:
            counts.dropped += 1
            continue
        disputes.append(Dispute(issue=topic, stances=list(stances.values())))
        counts.used += 1

    lead = getattr(picks, "lead", None)
    if lead in text_of and not reads_alone(text_of[lead]):
        counts.dropped += 1
        lead = None
    key_points = [Point(text=text_of[lead], evidence=[lead])] if lead in text_of else []
    if key_points:
        counts.used += 1
    key_points += [k for k in engine.key_points if k.evidence != [lead]][:2]
    speakers = {p.actor for p in positions} | {s.actor for s in next_steps}
    actors = [a for a in engine.actors if a.name in speakers]
    for pos in positions:
        if not any(a.name == pos.actor for a in actors):
            actors.append(Actor(name=pos.actor, side=pos.side, evidence=list(pos.evidence)))
    quotes = [q for q in engine.quotes if q.evidence and q.evidence[-1] in kept]
    agreements = [a for a in engine.agreements if a.evidence and a.evidence[-1] in kept]
    return Notes(key_points=key_points, actors=actors, positions=positions, disputes=disputes,
                 agreements=agreements, next_steps=next_steps, quotes=quotes), counts
