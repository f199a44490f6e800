"""The one-page rule: the brief's body stays within a word budget.

Items are dropped whole, lowest priority first, never cut mid-sentence. Priority falls
with an item's rank inside its section and with the section's weight, so long sections
give up their tail before short ones lose their only item. The BLUF is never dropped.
"""

from __future__ import annotations

from .schema import BriefDraft

# section -> weight; a section's k-th item (0-based) has priority weight / (1 + k)
WEIGHTS = {"disputes": 1.0, "positions": 0.95, "next_steps": 0.9, "agreements": 0.85, "quotes": 0.6}


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


def fit_to_budget(draft: BriefDraft, max_words: int) -> tuple[BriefDraft, int]:
    """Drop items until the body fits ``max_words``; returns the draft and its word count."""
    candidates = []  # (priority, order, section, container, item)
    order = 0
    for side_index, side in enumerate(draft.sides):
        for rank, item in enumerate(side.positions):
            # a side's first position outranks every side's second one
            candidates.append((WEIGHTS["positions"] / (1 + rank) - side_index * 1e-3, order, side.positions, item))
            order += 1
    for section in ("disputes", "next_steps", "agreements", "quotes"):
        items = getattr(draft, section)
        for rank, item in enumerate(items):
            candidates.append((WEIGHTS[section] / (1 + rank), order, items, item))
            order += 1
    candidates.sort(key=lambda c: (c[0], -c[1]))
    words = body_words(draft)
    for _, _, container, item in candidates:
        if words <= max_words:
            break
        del container[next(i for i, x in enumerate(container) if x is item)]
        words = body_words(draft)
    draft.sides = [side for side in draft.sides if side.positions]
    return draft, body_words(draft)
