"""Merging notes from several chunks into one set, without losing or doubling items.

Actors met under several names ("Wang Yi", "Wang", "China's top diplomat") become one
when the source supports it: the other name must occur in the source, and a bare surname
joins the single full name that carries it.
"""

from __future__ import annotations

from ..schema import Actor, Dispute, Notes, Point
from ..text.grounding import normalize


class _Names:
    """Union-find over lower-cased actor names."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _merge_actors(actors: list[Actor], source_norm: str) -> tuple[list[Actor], dict[str, str]]:
    names = _Names()
    for actor in actors:
        key = actor.name.lower()
        names.find(key)
        for alias in actor.aliases:
            if normalize(alias) in source_norm:  # only names the source itself uses
                names.union(key, alias.lower())
    carriers_of: dict[str, set[str]] = {}  # 'wang' -> full names that carry it
    for key in names.parent:
        if " " in key:
            for word in key.split():
                carriers_of.setdefault(word, set()).add(key)
    for key in [k for k in names.parent if " " not in k]:
        roots = {names.find(full) for full in carriers_of.get(key, ())}
        if len(roots) == 1:
            names.union(roots.pop(), key)
    groups: dict[str, list[Actor]] = {}
    for actor in actors:
        groups.setdefault(names.find(actor.name.lower()), []).append(actor)
    merged: list[Actor] = []
    canonical: dict[str, str] = {}
    root_name: dict[str, str] = {}
    for root, members in groups.items():
        best = max(members, key=lambda a: (len(a.name.split()), len(a.evidence)))
        actor = Actor(name=best.name, side=next((a.side for a in members if a.side), None))
        root_name[root] = best.name
        seen_aliases, seen_ids = {best.name}, set()
        for member in members:
            for alias in [member.name, *member.aliases]:
                canonical[alias.lower()] = best.name
                if alias not in seen_aliases:
                    seen_aliases.add(alias)
                    actor.aliases.append(alias)
            for sid in member.evidence:
                if sid not in seen_ids:
                    seen_ids.add(sid)
                    actor.evidence.append(sid)
        merged.append(actor)
    for key in names.parent:  # aliases that joined through union but never led an actor
        canonical.setdefault(key, root_name.get(names.find(key), key))
    return merged, canonical


def _unique(items: list, key) -> list:
    seen: set = set()
    out = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def merge_notes(parts: list[Notes], source_norm: str) -> Notes:
    """One set of notes from several; ``source_norm`` is ``normalize(source text)``,
    computed once by the caller (it can be large)."""
    actors, canonical = _merge_actors([a for p in parts for a in p.actors], source_norm)
    side_of = {a.name: a.side for a in actors}

    def name(raw: str) -> str:
        return canonical.get(raw.lower(), raw)

    merged = Notes(actors=actors)
    for part in parts:
        merged.key_points += part.key_points
        merged.agreements += part.agreements
        for party in part.named:
            same = next((n for n in merged.named if normalize(n.text) == normalize(party.text)), None)
            if same is None:
                merged.named.append(Point(text=party.text, evidence=list(party.evidence)))
            else:
                same.evidence += [i for i in party.evidence if i not in same.evidence]
        for pos in part.positions:
            pos.actor = name(pos.actor)
            pos.side = pos.side or side_of.get(pos.actor)
            merged.positions.append(pos)
        for quote in part.quotes:
            quote.speaker = name(quote.speaker)
            merged.quotes.append(quote)
        for step in part.next_steps:
            step.actor = name(step.actor)
            merged.next_steps.append(step)
        for dispute in part.disputes:
            same = next((d for d in merged.disputes if normalize(d.issue) == normalize(dispute.issue)), None)
            if same is None:
                merged.disputes.append(Dispute(issue=dispute.issue, stances=list(dispute.stances)))
            else:
                same.stances += dispute.stances
    evidence_key = lambda item: tuple(item.evidence)  # noqa: E731
    merged.key_points = _unique(merged.key_points, evidence_key)
    merged.agreements = _unique(merged.agreements, evidence_key)
    merged.positions = _unique(merged.positions, lambda p: (p.actor, tuple(p.evidence), normalize(p.text)))
    merged.quotes = _unique(merged.quotes, lambda q: normalize(q.text))
    merged.next_steps = _unique(merged.next_steps, lambda s: (normalize(s.actor), normalize(s.action)))
    for dispute in merged.disputes:
        dispute.stances = _unique(dispute.stances, lambda s: (s.side, tuple(s.evidence)))
    return merged
