"""The one-page rule: the brief's body stays within a word budget.

Items are dropped whole, lowest priority first, never cut mid-sentence. Priority falls
with an item's rank inside its section and with the section's weight, so long sections
give up their tail before short ones lose their only item. The BLUF is never dropped.
``drop_order`` is that ranking; the one-page fit of a PDF (``paper``) drops along it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..offline.interviews import PRESS
from ..schema import BriefDraft

# section -> weight; a section's k-th item (0-based) has priority weight / (1 + k)
WEIGHTS = {"disputes": 1.0, "positions": 0.95, "next_steps": 0.9, "agreements": 0.85, "quotes": 0.6,
           "named": 0.35}  # a side named, with no position of its own: one line, the first to go


def _words(text: str | None) -> int:
    return len(text.split()) if text else 0


def item_words(section: str, item) -> int:
    if section == "disputes":
        return _words(item.issue) + sum(_words(s.side) + _words(s.text) for s in item.stances)
    if section == "next_steps":
        return _words(item.actor) + _words(item.action) + _words(item.timing)
    if section == "quotes":
        return _words(item.text) + _words(item.speaker)
    return _words(item.text)


def body_words(draft: BriefDraft) -> int:
    total = _words(draft.bluf)
    for side in draft.sides:
        total += _words(side.name) + sum(_words(a) for a in side.actors)
        total += sum(item_words("positions", p) for p in side.positions)
    for section in ("disputes", "next_steps", "agreements", "quotes"):
        total += sum(item_words(section, item) for item in getattr(draft, section))
    return total


@dataclass
class Droppable:
    """One item the brief can lose, with where it sits so it can be removed."""

    section: str
    container: list
    item: object
    side: object = None  # for positions: the side that holds it
    _at: int = field(default=-1, init=False, repr=False)  # where it stood when dropped
    _named_side: bool = field(default=False, init=False, repr=False)  # its drop left its side named

    def label(self) -> str:
        """A short description for ``meta``: 'quote: Wang Yi “We have never accepted ...”'."""
        item = self.item
        if self.section == "disputes":
            text = item.issue
        elif self.section == "next_steps":
            text = f"{item.actor}: {item.action}"
        elif self.section == "quotes":
            text = f"{item.speaker} “{item.text}”"
        elif self.section == "named":
            text = item.name
        else:
            text = item.text
        words = text.split()
        short = " ".join(words[:8]) + (" ..." if len(words) > 8 else "")
        kind = _SINGULAR[self.section] + (f" ({self.side.name})" if self.side is not None else "")
        return f"{kind}: {short}"

    def drop(self) -> None:
        self._at = next(i for i, x in enumerate(self.container) if x is self.item)
        del self.container[self._at]
        self._named_side = False
        if self.section == "positions" and not self.container and not self.side.evidence:
            # a side that loses its last point to the page stays named, citing it (a line)
            self.side.evidence = list(self.item.evidence[-1:])
            self._named_side = True

    def restore(self) -> None:
        """Undo ``drop`` (the last one made: later drops must be restored first)."""
        self.container.insert(self._at, self.item)
        if self._named_side:
            self.side.evidence = []


_SINGULAR = {"disputes": "dispute", "positions": "position", "next_steps": "next step",
             "agreements": "agreement", "quotes": "quote", "named": "named party"}


def drop_order(draft) -> list[Droppable]:
    """Every droppable item of ``draft`` (a ``BriefDraft`` or a ``Brief``), lowest priority
    first. The word budget and the one-page fit (``paper``) both drop along this order."""
    candidates = []  # (priority, order, droppable)
    order = 0
    named = [side for side in draft.sides if not side.positions]
    for rank, side in enumerate(named):
        candidates.append((WEIGHTS["named"] / (1 + rank), order, Droppable("named", draft.sides, side)))
        order += 1
    for side_index, side in enumerate(draft.sides):
        # (the reporters' questions are the answers' context: the first to go, as a side named is)
        weight = WEIGHTS["named"] if side.name == PRESS else WEIGHTS["positions"]
        for rank, item in enumerate(side.positions):
            # a side's first position outranks every side's second one
            priority = weight / (1 + rank) - side_index * 1e-3
            candidates.append((priority, order, Droppable("positions", side.positions, item, side)))
            order += 1
    for section in ("disputes", "next_steps", "agreements", "quotes"):
        items = getattr(draft, section)
        for rank, item in enumerate(items):
            candidates.append((WEIGHTS[section] / (1 + rank), order, Droppable(section, items, item)))
            order += 1
    candidates.sort(key=lambda c: (c[0], -c[1]))
    return [droppable for _, _, droppable in candidates]


def drop_empty_sides(draft) -> None:
    draft.sides = [side for side in draft.sides if side.positions or side.evidence]


def fit_to_budget(draft: BriefDraft, max_words: int) -> tuple[BriefDraft, int]:
    """Drop items until the body fits ``max_words``; returns the draft and its word count.
    Dropping whole items frees more words than needed: then the dropped items that fit
    the room left come back, the most wanted first (a party's name, a short step)."""
    words = body_words(draft)
    dropped: list[Droppable] = []
    for droppable in drop_order(draft):
        if words <= max_words:
            break
        droppable.drop()
        dropped.append(droppable)
        words = body_words(draft)
    kept_out: list[Droppable] = []
    for droppable in reversed(dropped):
        # (each restored to the place it left: the drops after it undone first, then redone)
        for later in kept_out:
            later.restore()
        droppable.restore()
        for later in reversed(kept_out):
            later.drop()
        if body_words(draft) > max_words:
            droppable.drop()
            kept_out.append(droppable)
    drop_empty_sides(draft)
    return draft, body_words(draft)
