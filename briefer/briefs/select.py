"""The select task: a model picks sentence ids; the picks become grounded notes.

A small model cannot be trusted to write notes whose words and ids match the source, but
it can point at sentences. For each chunk a fast scan offers candidates
(``briefer.offline.picks``: no reading by the engine before the call); ``PicksSpec``
constrains every id to them (an ``enum`` in the JSON schema, which llama.cpp turns into a
grammar), caps every list and checks the answer. ``notes_from_picks`` turns the picks into
``Notes`` with the engine's reading of the chunk, made then: every text a reader sees is a
cited sentence or the engine's verbatim span of it, and every label the model wrote (a
side name, a dispute topic) must occur in the sentences it cites, or it is replaced by the
engine's reading of those sentences, or the item is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..offline.disputes import label_issue
from ..offline.gazetteer import side_words, sides_in
from ..offline.lexicon import content_words
from ..offline.picks import NONE, OTHER, Candidates, side_of
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
    """The answer model for one chunk as pydantic classes: ids from the chunk's candidates
    only, lists capped. Building it costs ~10 ms a chunk (and its JSON schema as much
    again), so requests use ``PicksSpec``, which writes the same schema and checks the
    same rules directly; this model is the reference the tests hold it to."""
    fields: dict = {}
    if cand.ids:
        fields["lead"] = (Literal[tuple(cand.ids)], ...)
    if cand.position_ids:
        # an Enum, not a Literal: the schema names the choices once ($defs) and refers to them
        side = Enum("Side", {f"v{i}": name for i, name in enumerate([*cand.sides, OTHER, NONE])}, type=str)
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


@dataclass
class PickedDispute:
    topic: str
    ids: list[str]


@dataclass
class Picks:
    """A model's validated answer for one chunk."""

    lead: str | None = None
    sides: dict[str, str] = field(default_factory=dict)  # candidate id -> side name or "none"
    next_steps: dict[str, str] = field(default_factory=dict)  # candidate id -> "yes" / "no"
    disputes: list[PickedDispute] = field(default_factory=list)


def _choices(values: list[str]) -> str:
    shown = ", ".join(repr(v) for v in values[:6])
    return shown + (f" or one of {len(values) - 6} more" if len(values) > 6 else "")


class PicksSpec:
    """The answer format of one chunk: its JSON schema (ids from the chunk's candidates
    only, as ``enum``s, which llama.cpp turns into a grammar; lists capped) and the check
    of an answer against it. Both written directly: the same schema and the same rules as
    ``strict_json_schema(picks_model(cand))`` and its validation, in ~0.1 ms a chunk."""

    schema_name = "picks"

    def __init__(self, cand: Candidates):
        self.cand = cand
        self.json_schema = self._schema()

    def _schema(self) -> dict:
        cand = self.cand
        defs: dict = {}
        props: dict = {}
        if cand.ids:
            props["lead"] = {"enum": list(cand.ids), "type": "string"}
        if cand.position_ids:
            defs["PickedDispute"] = {
                "properties": {"topic": {"maxLength": TOPIC_CHARS, "type": "string"},
                               "ids": {"items": {"enum": list(cand.position_ids), "type": "string"},
                                       "maxItems": MAX_DISPUTE_IDS, "type": "array"}},
                "required": ["topic", "ids"], "type": "object", "additionalProperties": False}
            defs["Side"] = {"enum": [*cand.sides, OTHER, NONE], "type": "string"}
            defs["Sides"] = _keyed(cand.position_ids, "#/$defs/Side")
            props["sides"] = {"$ref": "#/$defs/Sides"}
        if cand.step_ids:
            defs["Steps"] = _keyed(cand.step_ids, "#/$defs/YesNo")
            defs["YesNo"] = {"enum": ["yes", "no"], "type": "string"}
            props["next_steps"] = {"$ref": "#/$defs/Steps"}
        if cand.position_ids:
            props["disputes"] = {"items": {"$ref": "#/$defs/PickedDispute"}, "maxItems": MAX_DISPUTES,
                                 "type": "array"}
        schema: dict = {"$defs": defs} if defs else {}
        schema.update(properties=props, required=list(props), type="object", additionalProperties=False)
        return schema

    def model_validate(self, data) -> Picks:
        """The answer as ``Picks``, or ValueError naming the first problems (a re-ask shows them)."""
        cand = self.cand
        problems: list[str] = []
        if not isinstance(data, dict):
            raise ValueError("the answer is not a JSON object")
        picks = Picks()
        if cand.ids:
            lead = data.get("lead")
            if "lead" not in data:
                problems.append("lead: Field required")
            elif lead not in set(cand.ids):
                problems.append(f"lead: Input should be {_choices(cand.ids)}")
            else:
                picks.lead = lead
        if cand.position_ids:
            picks.sides = _keyed_answer(data, "sides", cand.position_ids, [*cand.sides, OTHER, NONE], problems)
            raw = data.get("disputes")
            if "disputes" not in data:
                problems.append("disputes: Field required")
            elif not isinstance(raw, list):
                problems.append("disputes: Input should be a valid list")
            elif len(raw) > MAX_DISPUTES:
                problems.append(f"disputes: List should have at most {MAX_DISPUTES} items")
            else:
                allowed = set(cand.position_ids)
                for n, item in enumerate(raw):
                    if not isinstance(item, dict):
                        problems.append(f"disputes.{n}: Input should be an object")
                        continue
                    topic, ids = item.get("topic"), item.get("ids")
                    if not isinstance(topic, str):
                        problems.append(f"disputes.{n}.topic: Input should be a valid string")
                    elif len(topic) > TOPIC_CHARS:
                        problems.append(f"disputes.{n}.topic: String should have at most {TOPIC_CHARS} characters")
                    if not isinstance(ids, list):
                        problems.append(f"disputes.{n}.ids: Input should be a valid list")
                    elif len(ids) > MAX_DISPUTE_IDS:
                        problems.append(f"disputes.{n}.ids: List should have at most {MAX_DISPUTE_IDS} items")
                    elif any(i not in allowed for i in ids):
                        problems.append(f"disputes.{n}.ids: Input should be {_choices(cand.position_ids)}")
                    elif isinstance(topic, str) and len(topic) <= TOPIC_CHARS:
                        picks.disputes.append(PickedDispute(topic=topic, ids=list(ids)))
        if cand.step_ids:
            picks.next_steps = _keyed_answer(data, "next_steps", cand.step_ids, ["yes", "no"], problems)
        if problems:
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise ValueError("; ".join(problems[:3]) + more)
        return picks


def _keyed(ids: list[str], ref: str) -> dict:
    return {"properties": {sid: {"$ref": ref} for sid in ids}, "required": list(ids), "type": "object",
            "additionalProperties": False}


def _keyed_answer(data: dict, key: str, ids: list[str], choices: list[str], problems: list[str]) -> dict[str, str]:
    """An object with one of ``choices`` for each of ``ids`` (other keys are ignored)."""
    value = data.get(key)
    if key not in data:
        problems.append(f"{key}: Field required")
        return {}
    if not isinstance(value, dict):
        problems.append(f"{key}: Input should be an object")
        return {}
    allowed = set(choices)
    out: dict[str, str] = {}
    for sid in ids:
        if sid not in value:
            problems.append(f"{key}.{sid}: Field required")
        elif value[sid] not in allowed:
            problems.append(f"{key}.{sid}: Input should be {_choices(choices)}")
        else:
            out[sid] = value[sid]
    return out


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


def notes_from_picks(picks: Picks, cand: Candidates) -> tuple[Notes, PickCounts]:
    counts = PickCounts()
    text_of = {line.id: line.text for line in cand.lines}
    engine = cand.notes
    rank = {id(p): i for i, p in enumerate(engine.positions)}
    by_line: dict[str, Position] = {}
    for pos in engine.positions:
        if pos.evidence:
            by_line.setdefault(pos.evidence[-1], pos)

    positions: list[Position] = []
    for sid, side in picks.sides.items():
        if side == NONE:
            continue
        pos = by_line.get(sid)
        cited = [text_of[i] for i in (pos.evidence if pos else [sid]) if i in text_of]
        if pos is not None:
            # who speaks is read from the sentence; the model's side fills in where the
            # engine found none, if the sentence names it ("other": a party not on offer)
            final = pos.side or (side if side != OTHER and _mentions(side, cited) else None)
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
    for sid in [k for k, v in picks.next_steps.items() if v == "yes"]:
        found = [s for s in engine.next_steps if s.evidence and s.evidence[-1] == sid]
        if found:
            next_steps += found
            counts.used += 1
        else:
            counts.dropped += 1

    disputes: list[Dispute] = []
    texts = [line.text for line in cand.lines]
    for picked in picks.disputes:
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

    lead = picks.lead
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
                 agreements=agreements, next_steps=next_steps, quotes=quotes,
                 named=engine.named), counts  # who the text names, read by the engine, checked by name
