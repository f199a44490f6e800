"""The offline brief step: merged notes in, the brief a model would return out (sides,
disputes, steps, quotes, and a bottom line that says where each side stands)."""

from __future__ import annotations

import re
from collections import Counter

from ..schema import Notes, Point
from .disputes import find_disputes, label_issue
from .agreements import refers_to_group
from .gazetteer import joint_subject, side_words
from .interviews import PRESS
from .lexicon import ANNOUNCED_UNNAMED
from .named import overlaps
from .speakers import ANALYSTS, is_role
from .statements import DATELINE, FILLER, head_clause, shorten
from .voices import strip_label

# ---------------------------------------------------------------- the brief step

_CERTAINTY_ORDER = {"scheduled": 0, "expected": 1, "demanded": 2, "possible": 3}


def _sentence_case(text: str) -> str:
    text = re.sub(r"^\((.*)\)$", r"\1", DATELINE.sub("", text).strip())  # '(The MOU was signed.)'
    text = re.sub(r"^[-•*]\s+", "", text)  # a list item's bullet
    return text[:1].upper() + text[1:]


def compose_brief(notes: Notes) -> dict:
    """The final brief from merged notes, as the JSON a model would return."""
    from ..schema import BriefDraft, Side

    bluf_points = notes.key_points[:1]
    if bluf_points and len(notes.key_points) > 1 and (len(bluf_points[0].text.split()) < 14 or all(
            re.search(r"\bhereby\b", p.text, re.I) for p in notes.key_points[:2])  # an act's two operative parts
            or ANNOUNCED_UNNAMED.search(bluf_points[0].text)  # what was announced, then about whom
            # the parties, then what they did as a group ('The participants decided ...')
            or refers_to_group(notes.key_points[1].text) and joint_subject(bluf_points[0].text)):
        bluf_points = notes.key_points[:2]
    lead = " ".join(_sentence_case(DATELINE.sub("", FILLER.sub("", strip_label(p.text, p.text.islower()))))
                    for p in bluf_points)  # (not 'MONTGOMERY, Ala. – ': where, not what)
    bluf = lead or "No statements found."
    sides: dict[str, Side] = {}
    counts: Counter = Counter()
    fuller = _fuller_names({p.side or p.actor for p in notes.positions})
    for pos in notes.positions:
        name = fuller.get(pos.side or pos.actor, pos.side or pos.actor)
        side = sides.setdefault(name, Side(name=name))
        counts[name] += 1
        if pos.actor not in side.actors and pos.actor != name:
            side.actors.append(pos.actor)
        if not any(p.evidence == pos.evidence for p in side.positions):
            side.positions.append(Point(text=pos.text, evidence=pos.evidence))
    # the parties first, most positions first; the reporters asking, experts and commentators after them
    ordered = sorted(sides.values(), key=lambda s: (s.name == ANALYSTS, s.name == PRESS, -counts[s.name]))
    ordered = [s for s in ordered if s.name != ANALYSTS][:5] + [s for s in ordered if s.name == ANALYSTS]
    # the notes' own disputes that two sides hold (read with each sentence's context), then
    # those the merged positions show
    disputes = [d for d in notes.disputes if len({s.side for s in d.stances}) > 1 and
                not any(s.side == PRESS for s in d.stances)][:4]
    shown = {i for d in disputes for s in d.stances for i in s.evidence}
    for dispute in find_disputes(notes.positions, names=[a.name for a in notes.actors],
                                 hints=[k.text for k in notes.key_points[:1]]):
        if len(disputes) < 4 and not shown & {i for s in dispute.stances for i in s.evidence}:
            disputes.append(dispute)
            shown |= {i for s in dispute.stances for i in s.evidence}
    for charge in [d for d in notes.disputes if len({s.side for s in d.stances}) == 1
                   or any(s.side == PRESS for s in d.stances)]:
        # one side's charge, unanswered in the text (its first statement: merged notes may
        # hold two), or a question the speaker refused or denied
        if charge.stances[0].side != PRESS and len({s.side for s in charge.stances}) == 1:
            charge.stances = charge.stances[:1]
        accuser, charged = charge.stances[0].side, charge.issue.rsplit(" against ", 1)[-1]
        if any(accuser in sides_in_dispute and any(s != accuser and s in charged for s in sides_in_dispute)
               for sides_in_dispute in ({s.side for s in d.stances} for d in disputes)):
            continue  # the two already face each other in a dispute with both stances
        if len(disputes) < 4 and not shown & {i for s in charge.stances for i in s.evidence}:
            disputes.append(charge)
            shown |= {i for s in charge.stances for i in s.evidence}
    in_disputes = {s.evidence[-1] for d in disputes for s in d.stances}
    for side in ordered:
        # a stance shown under Disputes need not be repeated (nor with the sentence it
        # answers before it), if the side keeps a point
        rest = [p for p in side.positions if p.evidence[-1] not in in_disputes]
        if rest:
            side.positions = rest
        side.actors = [a for a in side.actors
                       if re.sub(r"^the\s+", "", a, flags=re.I).lower() != side.name.lower()]
        side.actors = [a for a in side.actors if not is_role(a)] or side.actors
        if side.name == PRESS:
            side.positions = side.positions[:3]  # the questions are the answers' context: a few
    texts = [k.text for k in notes.key_points] + [p.text for p in notes.positions]
    for dispute in disputes:
        if dispute.issue.islower() and " " not in dispute.issue:
            # the label the notes gave this topic (made with the title in view), else a new one
            known = next((d.issue for d in notes.disputes if dispute.issue in d.issue.lower()), None)
            dispute.issue = known or label_issue(dispute.issue, texts)
    lead_ids = [i for p in bluf_points for i in p.evidence]
    if len(lead_ids) < 3:  # a lead citing three sentences is a bottom line already (a court's holding)
        bluf, bluf_ids = _with_sides(bluf, lead_ids, [s for s in ordered if s.positions], disputes,
                                     notes.agreements)
    else:
        bluf_ids = lead_ids
    # what a meeting produced: an agreement that says what (not 'made progress on a number of
    # key issues') and stands alone (not 'They welcomed ...')
    fresh = [a for a in notes.agreements if not set(a.evidence) & set(bluf_ids) and len(a.text.split()) <= 40
             and not re.match(r"\W*(?:they|it|this|these|those)\b", a.text, re.I)]
    outcome = next((a for a in fresh if len(a.text.split()) >= 12), fresh[0] if fresh else None)
    if len(lead_ids) < 3 and len(bluf_ids) <= 2 and outcome:
        # a meeting's readout: what the meeting produced (before where the sides stand)
        bluf = f"{lead} {_sentence_case(outcome.text)}{bluf[len(lead):]}"  # the lead, the outcome, the stances
        bluf_ids = lead_ids + outcome.evidence + [i for i in bluf_ids if i not in lead_ids]
    steps = sorted(notes.next_steps, key=lambda s: _CERTAINTY_ORDER[s.certainty])
    # a quote says what the brief does not already show: not the words of an agreement or a
    # step the page gives ('appoint respective high-level teams ...'); a whole utterance
    # before a phrase, then about 18 words
    given = [" ".join(t.lower().split()) for t in [*(s.action for s in steps), *(a.text for a in notes.agreements)]]

    def repeats(quote: str) -> bool:
        words = " ".join(quote.lower().split())
        return any(words in t or (len(t) > 20 and t in words) for t in given)

    quotes = sorted(notes.quotes, key=lambda q: (repeats(q.text), not (q.text[:1].isupper() or q.text.islower()),
                                                 abs(len(q.text.split()) - 18)))
    for item in [p for side in ordered for p in side.positions] + [st for d in disputes for st in d.stances]:
        item.text = shorten(item.text)  # a page holds more items; the footer cites each sentence whole
    cited = bluf_ids + [i for item in [*(p for s in ordered for p in s.positions), *(st for d in disputes for st in d.stances),
                                       *steps, *quotes, *notes.agreements] for i in item.evidence]
    ordered += _named_sides(notes, ordered, cited)
    draft = BriefDraft(
        bluf=bluf,
        bluf_evidence=bluf_ids,
        sides=ordered,
        agreements=notes.agreements,
        disputes=disputes,
        next_steps=steps,
        quotes=quotes,
    )
    return draft.model_dump()


def _fuller_names(names: set[str]) -> dict[str, str]:
    """'Joint Steering Group' -> 'AUKUS Joint Steering Group': a side named by the last two
    words or more of another side's name is that side, named in short."""
    return {name: max(longer, key=len) for name in names if len(name.split()) >= 2
            and (longer := [other for other in names if other.endswith(" " + name)])}


def _named_sides(notes: Notes, sides: list, cited: list[str]) -> list:
    """Sides for the parties the text names but who say nothing in it, after the ones
    that speak (up to six parties in all), each citing one sentence that names it: one
    the brief cites already if there is one (every sentence cited is printed below it)."""
    from ..schema import Side

    taken = [n for s in sides for n in (s.name, *s.actors)]
    room = max(0, 6 - len([s for s in sides if s.name != ANALYSTS]))
    named = [p for p in notes.named if not any(overlaps(p.text, t) for t in taken)]
    return [Side(name=p.text, evidence=[next((i for i in p.evidence if i in cited), p.evidence[0])])
            for p in named[:room] if p.evidence]


def _with_sides(lead: str, ids: list[str], sides: list, disputes: list,
                agreements: list | None = None) -> tuple[str, list[str]]:
    """The bottom line: what happened (the lead), then where each of the two main sides
    stands, in a sentence of its own that names it: its stance in the first dispute, else
    its first position that does; where one party speaks alone, what it would not say or
    its most telling positions, unless the parties mostly speak as one (a joint statement)."""
    stands = []
    for side in [s for s in sides if s.name != PRESS][:2]:  # the parties, not the reporters asking
        names = [side.name, *(a.split()[-1] for a in side.actors), *side_words(side.name)]
        names = [n for n in names if len(n) > 2]
        stance = next((s for d in disputes[:1] for s in d.stances if s.side == side.name), None)
        points = [p for p in ([stance] if stance else []) + list(side.positions) if not set(p.evidence) & set(ids)]
        clause = next(((c, p.evidence) for p in points if (c := head_clause(p.text, names))), None) \
            or next(((c, p.evidence) for p in points if (c := _own_words(p.text, side.name))), None)
        if clause:
            stands.append(clause)
    parties = [s for s in sides if s.name != PRESS]
    agreements = agreements or []
    if len(stands) < 2 and len(parties) == 1 and len(agreements) >= 2 \
            and len(agreements) > len(parties[0].positions):
        return lead, ids  # the parties mostly speak as one: what they agreed follows the lead
    if len(stands) < 2 and len(parties) == 1:
        # one party speaking (a press conference, a statement): what it would not say or
        # charges, from the first dispute the lead does not already give
        stance = next((st for d in disputes for st in d.stances if st.side == parties[0].name
                       and not set(st.evidence) & set(ids) and len(st.text.split()) <= 35), None)
        # else its two most telling positions that the lead does not give already
        told = [p for p in parties[0].positions if not set(p.evidence) & set(ids) and len(lead.split()) <= 40
                and len(p.evidence) == 1 and 8 <= len(p.text.split()) <= 35 and not re.search(r"[“”\"]", p.text)]
        stands = [(_sentence_case(p.text), p.evidence) for p in ([stance] if stance else told[:2])]
    elif len(stands) < 2:
        return lead, ids
    return " ".join([lead] + [clause for clause, _ in stands]), \
        ids + [e for _, evidence in stands for e in evidence if e not in ids]


_FIRST_PERSON = re.compile(r"^(?:we|i|our)\b", re.I)


def _own_words(text: str, side: str) -> str | None:
    """A side's stance in its own first person, quoted after its name ('Company: “We are
    investing significantly in ...”'): a statement that never names its author in the third
    person still says where it stands."""
    text = FILLER.sub("", text).strip()
    if not _FIRST_PERSON.match(text) or not 6 <= len(text.split()) <= 32 or re.search(r"[“”\"]", text):
        return None
    return f"{side}: “{text[:1].upper()}{text[1:]}”"


def condense_notes(notes: Notes) -> Notes:
    """The offline reduce step: keep the better half of each list (they come ranked)."""
    def half(items: list) -> list:
        return items[: max(1, (len(items) + 1) // 2)]

    return Notes(key_points=half(notes.key_points), actors=notes.actors,
                 positions=half(notes.positions), disputes=half(notes.disputes),
                 agreements=half(notes.agreements), next_steps=half(notes.next_steps),
                 quotes=half(notes.quotes), named=notes.named)
