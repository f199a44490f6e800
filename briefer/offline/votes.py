"""Recorded votes: who voted against, and what each dissenter preferred.

Boards, committees and councils record their votes in one sentence: 'Voting against this
action were Stephen I. Miran, who preferred to lower the target range by 1/2 percentage
point; and Austan D. Goolsbee and Jeffrey R. Schmid, who preferred no change.' Each
dissenter (or group of them) is a side with that preference as its position, and the
dissents together are the dispute over the decision.
"""

from __future__ import annotations

import re

from ..schema import Dispute, Position, Stance
from .lexicon import Line

_AGAINST = re.compile(r"^\W*voting against (?:this|the) (?:[\w-]+\s+){0,3}?(?:action|motion|resolution|decision|"
                      r"proposal|measure)s? (?:was|were)\s+(?P<rest>.+)$", re.I)
_WHO_PREFERRED = re.compile(r"^\s*(?:and\s+)?(?P<who>[^,;]{3,120}?),\s+who\s+(?:preferred|favou?red|wanted|"
                            r"would have preferred|supported|argued)\b", re.I)


def dissents(line: Line) -> list[Position]:
    """The dissents a vote record holds, each the dissenter's (or dissenters') position."""
    match = _AGAINST.match(line.text) if "oting against" in line.text else None
    if match is None:
        return []
    found = []
    for part in re.split(r";\s*", match.group("rest")):
        if who := _WHO_PREFERRED.match(part):
            name = re.sub(r"\s+", " ", who.group("who")).strip()
            said = re.sub(r"^\s*and\s+", "", part).strip().rstrip(".") + "."  # 'Stephen I. Miran, who preferred ...'
            found.append(Position(actor=name, side=name, text=f"Voted against: {said}", evidence=[line.id]))
    return found


def split_vote(positions: list[Position]) -> Dispute | None:
    """The dissents against one decision, as one dispute: each dissenter's preference."""
    if not positions:
        return None
    return Dispute(issue="The vote", stances=[Stance(side=p.side, text=p.text, evidence=p.evidence) for p in positions])
