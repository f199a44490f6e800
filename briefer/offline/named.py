"""Parties a text is about who say nothing of their own in it.

A prosecutor's release names the defendant company in every paragraph; a readout of talks
between two countries may quote only one. An analyst still lists them among the sides.
A party counts when the text names it in two sentences or more, or among the parties its
first sentence opens on or lists together: a
country the gazetteer knows, or a body the text names itself (``actions.find_parties``;
not a court, which hears a case rather than taking a side in it). It is shown by name,
with the first sentences that name it as shown.
"""

from __future__ import annotations

import re
from collections import Counter

from ..schema import Point
from .actions import Party
from .gazetteer import joint_subject, listed_together, side_mentions
from .lexicon import Line, regex
from .speakers import title_case

MOST_NAMED = 3  # a page has room for a few more sides, not a roll-call
_COMPANY = re.compile(r",?\s+(?:co|inc|corp|corporation|ltd|llc|plc)\.?$", re.I)
# a body named again by its kind alone: 'the Security Council ...', then 'the Council ...'
_SHORT_FORM = re.compile(r"\s(?:Council|Board|Committee|Commission|Assembly)$")
_VENUE = re.compile(r"^(?:court|tribunal)\b|\b(?:court|tribunal|register)$", re.I)


def _words_in(name: str, text: str) -> bool:
    if name.isascii() and text.isascii() and name.lower() not in text.lower():
        return False  # (ASCII: re.IGNORECASE matches no more than the lower-cased text holds)
    return regex(r"(?<![\w])" + re.escape(name) + r"(?![\w])", re.I).search(text) is not None


# 'Coordination armed groups' is named in 'the Coordination and Plateforme armed groups' too
_SHARED_KIND = re.compile(r"^(?P<head>.+?)\s+(?P<kind>(?:armed|rebel|militant|opposition)\s+(?:groups?|movements?|"
                          r"factions?|forces)|rebels|militias?)$", re.I)


def _named_in(name: str, text: str) -> bool:
    if _words_in(name, text):
        return True
    if (shared := _SHARED_KIND.match(name)) is None or shared.group("head").lower() not in text.lower():
        return False
    head, kind, other = re.escape(shared.group("head")), re.escape(shared.group("kind")), r"[\w’'\-]+"
    return re.search(rf"(?<![\w]){head}\s+(?:and|or)\s+{other}\s+{kind}(?![\w])|"
                     rf"{other}\s+(?:and|or)\s+{head}\s+{kind}(?![\w])", text, re.I) is not None


def overlaps(name: str, other: str) -> bool:
    """One name holds the other as whole words ('DRC and Rwanda', 'Rwanda'; not 'Sudan',
    'Sudanese Armed Forces')."""
    return _words_in(name, other) or _words_in(other, name)


def named_parties(lines: list[Line], parties: list[Party], spoken: list[str], lower: bool) -> list[Point]:
    """The most named parties that are not among the ``spoken`` names (sides, actors and
    their aliases), most named first, each with the first three sentences naming it."""
    # a company by its name alone: 'The Kroger Co.' is 'Kroger' in every later sentence
    bodies = {_COMPANY.sub("", p.name): p for p in parties
              if p.side == p.name and len(p.name) > 3 and not _VENUE.search(p.name)}
    mentions: dict[str, list[str]] = {}  # side or body -> sentence ids
    written: dict[str, Counter] = {}  # side or body -> its names as written
    for line in lines:
        # 'the Security Council adopted ...', then 'the Council failed to adopt ...': the same body
        named_bodies = [(name, name) for name in bodies if _named_in(name, line.text)
                        or _SHORT_FORM.search(name) and _named_in("the " + name.rsplit(" ", 1)[1], line.text)]
        # 'Sudanese' in 'Sudanese Armed Forces' names the army, not the state
        found = [(side, as_written) for side, as_written in side_mentions(line.text)
                 if not any(_words_in(as_written, body) for body, _ in named_bodies)] + named_bodies
        for key, as_written in found:
            ids = mentions.setdefault(key, [])
            if line.id not in ids:
                ids.append(line.id)
            written.setdefault(key, Counter())[as_written] += 1
    # a heading or subtitle that names a party counts as one more mention ('Schemed to Bribe
    # the President of Chad, President and Foreign Minister of Uganda'), though it is not cited
    headed = Counter(side for heading in dict.fromkeys(line.heading for line in lines) if heading
                     for side in {side for side, _ in side_mentions(heading)})
    # the parties a text opens on together are what it is about, named again or not
    opening = set(joint_subject(lines[0].text) or listed_together(lines[0].text)) if lines else set()
    by_id = {line.id: line.text for line in lines}
    named: list[Point] = []
    # (the most named first; being among the parties the first sentence names together counts once more)
    for key, ids in sorted(mentions.items(), key=lambda kv: -len(kv[1]) - (kv[0] in opening)):
        if len(ids) + headed[key] < 2 and key not in opening:
            continue  # named once: a venue ('in Munich, Germany'), an aside
        if any(overlaps(key, s) for s in spoken) or any(overlaps(key, p.text) for p in named):
            continue  # a side already ('DRC and Rwanda' holds Rwanda), or part of one named
        # shown as the text names it: its own name if the text writes it, else its commonest
        name = key if any(_words_in(key, by_id[i]) for i in ids) else written[key].most_common(1)[0][0]
        cited = [i for i in ids if _named_in(name, by_id[i])]
        named.append(Point(text=title_case(name, lower), evidence=cited[:3]))
    return named[:max(MOST_NAMED, len(opening))]
