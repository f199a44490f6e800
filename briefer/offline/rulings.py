"""Court decisions: who the parties are, what the court held, and what happens next.

A decision (an opinion, or the syllabus that sums one up) has its own shape: a caption
('LANGE v. CALIFORNIA'), the history of the case below ('The Superior Court denied ...',
'The Court of Appeals reversed'), the holding ('Held: ...', 'We hold that ...'), the
reasons, the arguments the court answers ('The amicus contends ... . The Court
disagrees.'), a disposition ('Vacated and remanded.') and who joined whom. A brief of
one names the petitioner and the respondent (the courts below on the respondent's side:
the courts below as a side of their own), the court's holding first, each
argument against the court's answer, and the remand as the next step. Rules about
judicial writing in general, never about one case; they work on lower-cased text too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..schema import Actor, Dispute, NextStep, Notes, Point, Position, Quote, Stance
from .lexicon import Line, content_words, is_lower_cased
from .statements import DATELINE

_HOLDING = re.compile(r"^\s*held\s*:\s*|\b(?:we|the court)\s+(?:hold|holds|now hold)\s+that\b", re.I)
# 'Vacated and remanded.', '957 F. 3d 1149, reversed.', 'The judgment of the Court of Appeals is affirmed.'
_DISPOSITION = re.compile(r"^\s*(?:the\s+judgments?\b[^.]{0,120}?\b(?:is|are)\s+|\d+\s+[\w. ]{1,20}?\s\d+(?:\s*\(\w+\))?,\s+)?"
                          r"(affirmed|reversed|vacated|dismissed)\b", re.I)
_REMAND = re.compile(r"\bremanded\b", re.I)
_CAPTION = re.compile(r"^\s*(.+?),?\s+v\.\s+(.+?)\s*$", re.I)
# 'Riley v. California, 573 U. S. 373, 382.', 'See ...', 'Id., at 42–43.', 'Pp. 3–16.'
_CITATION = re.compile(r"^\W*(?:see|see also|cf\.|id\.|ibid\.|pp?\.\s*\d)|\b\d+\s+(?:U\.\s?S\.|F\.\s?(?:2d|3d|4th)|"
                       r"S\.\s?Ct\.)\s+\d+", re.I)
_VOTE = re.compile(r"\bdelivered the opinion of the court\b|\bfiled an? (?:\w+\s+){0,2}opinion\b|"
                   r"\b(?:concurring|dissenting|dissented|concurred)\b", re.I)
_ARGUES = re.compile(r"\b(?:contends?|contended|argues?|argued|arguing|maintains?|maintained|asserts?|asserted|"
                     r"urges?|urged|insists?|insisted|claims?|claimed|moved to|sought|seeks|asks?|asked|"
                     r"appealed|challenges?|challenged|petitioned|sued)\b", re.I)
_REJECTS = re.compile(r"^\W*(?:the court|we|this court)\s+(?:disagrees?|rejects?|cannot agree|is not persuaded|"
                      r"are not persuaded|declines?)\b|\b(?:that|this|the)\s+(?:argument|contention|claim)\s+"
                      r"(?:fails|is unpersuasive|is mistaken|lacks merit)\b", re.I)
# a court as a sentence's subject: 'The California Court of Appeal also affirmed.'
_COURT_SUBJECT = re.compile(
    r"^\W*(?:\(\w{1,3}\)\s+)?(?:(?:and|but|then|later|also|thereafter|in turn),?\s+)?(?:a\s+(?:divided\s+)?panel\s+of\s+)?"
    r"(?:the|a)\s+((?:(?!the\b|a\b|court\b)[\w.’'-]+\s+){0,3}?(?:court|circuit)\b(?:\s+of\s+(?:criminal\s+)?appeals?\b)?"
    r"(?:\s+for\s+the\s+(?:[\w-]+\s+){1,3}?circuit\b)?)(?!’s|'s)", re.I)
_IT_SUBJECT = re.compile(r"^\W*(?:(?:and|but|then|also),?\s+)?it\s+(?:also\s+)?\w+ed\b|,\s+the\s+court\s+"
                         r"(?:held|concluded|ruled|found|reasoned|stated|explained),", re.I)
# 'The California Supreme Court denied review.': the path of the case, not a decision on it
_PROCEDURE = re.compile(r"\b(?:denied|granted)\s+(?:review|certiorari|rehearing|leave to appeal)\b", re.I)
BELOW = "Courts below"
_PARTY_WORDS = frozenset("petitioner petitioners respondent respondents".split())
_GENERIC_PARTY = re.compile(r"^\W*(?:\(\w{1,3}\)\s+)?(?:(?:and|but|also),?\s+)?(?:the\s+)?"
                            r"(amic(?:us|i)(?:\s+curiae)?|solicitor general|government|state|united states|"
                            r"petitioners?|respondents?)\b", re.I)
_SMALL = frozenset("of the and for in on at to a an v. et al.".split())
# 'Petitioners are former students of ...': what the text calls a party after that
_IS_A = re.compile(r"^\W*(petitioners?|respondents?)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?"
                   r"([a-z]+s?)\s+(?:of|at|in|from|who|whose|with)\b", re.I)
# 'Both Uzuegbunam and Bradford sued certain college officials charged with ...'
_SUED = re.compile(r"\b(?:sued|brought suit against|filed suit against)\s+(?:the\s+|certain\s+|several\s+)?"
                   r"((?:[a-z]+\s+)?[a-z]+s)\b")
# 'The Court ... leaves for the District Court to determine whether ...'
_LEFT_TO = re.compile(r"\bleaves?\s+(?:it\s+)?(?:for|to)\s+the\s+((?:[\w-]+\s+){0,3}?court)\s+(?:on remand\s+)?"
                      r"to\s+(\w+\b[^.;]*)", re.I)
_PARTIES_AGREED = re.compile(r"^\W*(?:the\s+parties|both\s+parties|the\s+two\s+sides)\s+(?:now\s+)?agree[ds]?\b"
                             r"[^,;]*", re.I)
_DISSENT = re.compile(r"^\W*([A-Z][A-Za-z’'-]+|[a-z][a-z’'-]+),\s+(?:c\.\s*)?j\.,\s+filed\s+a\s+dissenting\s+opinion",
                      re.I)


@dataclass
class _Case:
    petitioner: str
    respondent: str
    court: str  # the court deciding: 'Supreme Court' or 'Court'
    actors: dict[str, Actor] = field(default_factory=dict)
    positions: list[Position] = field(default_factory=list)

    def say(self, actor: str, side: str, text: str, evidence: list[str]) -> Position:
        record = self.actors.setdefault(actor, Actor(name=actor, side=side))
        record.evidence += [i for i in evidence if i not in record.evidence]
        position = Position(actor=actor, side=side, text=text, evidence=evidence)
        self.positions.append(position)
        return position


def _cap(text: str) -> str:
    """'LANGE' -> 'Lange', 'UNITED STATES' -> 'United States', 'fcc' -> 'Fcc'; an
    upper-case caption's short words (FCC, INC) stay as they are."""
    words = []
    for i, word in enumerate(text.split()):
        low = word.lower()
        if low in _SMALL and i:
            words.append(low)
        elif word.isupper() and len(word.strip(".,")) <= 3:
            words.append(word)
        else:
            words.append(low[:1].upper() + low[1:])
    return " ".join(words)


def _caption(title: str | None, lines: list[Line]) -> tuple[str, str] | None:
    for text in [title or ""] + [line.heading or "" for line in lines[:1]]:
        match = _CAPTION.match(text)
        if match and len(text.split()) <= 14 and not text.rstrip().endswith("?"):
            left, right = (re.split(r",|\bet al\b", part, maxsplit=1, flags=re.I)[0].strip()
                           for part in match.groups())
            if left and right:
                return _cap(left), _cap(right)
    return None


def _named_after(role: str, lines: list[Line]) -> str | None:
    """'... petitioner Arthur Lange’s garage' -> 'Arthur Lange' (capitalised names only)."""
    pattern = re.compile(rf"\b{role}s?\s+((?:[A-Z][\w.’'-]*\s+){{0,3}}[A-Z][\w’'-]+)")
    for line in lines:
        if match := pattern.search(line.text):
            return re.sub(r"[’']s$", "", match.group(1))
    return None


def _key(name: str) -> str:
    return name.split()[-1].lower() if name.split() else ""


def is_ruling(lines: list[Line], title: str | None = None) -> bool:
    """A court decision: it states a holding and either disposes of the case or has a caption."""
    return any(_HOLDING.search(line.text) for line in lines) and (
        any(_disposition(line.text) for line in lines) or _caption(title, lines) is not None)


def _disposition(text: str) -> bool:
    return len(text.split()) <= 30 and _DISPOSITION.match(text) is not None


def remands(text: str) -> bool:
    """'Vacated and remanded.': a disposition that sends the case back, a next step."""
    return "remanded" in text.lower() and _disposition(text)


def leaves_to(text: str) -> bool:
    """'... leaves for the District Court to determine whether ...': a next step of a ruling."""
    return "eave" in text and _LEFT_TO.search(text) is not None


def _court_name(match: re.Match, lower: bool) -> str:
    name = re.sub(r"\s+", " ", match.group(1)).strip()
    return _cap(name) if lower or name.isupper() else name[:1].upper() + name[1:]


def ruling_notes(lines: list[Line], title: str | None = None) -> Notes:
    """Notes of a court decision: parties, holding, answered arguments, disposition, vote."""
    lower = is_lower_cased(lines)
    caption = _caption(title, lines)
    everything = " ".join(line.text for line in lines) + " " + (title or "")
    # no caption: the parties by their role, in the number the text gives it ('Petitioners are ...')
    petitioner, respondent = caption or (
        _named_after("petitioner", lines) or ("Petitioners" if re.search(r"\bpetitioners\b", everything, re.I)
                                              else "Petitioner"),
        _named_after("respondent", lines) or ("Respondents" if re.search(r"\brespondents\b", everything, re.I)
                                              else "Respondent"))
    court = "Supreme Court" if re.search(r"\bcertiorari\b|\bsupreme court of the united states\b", everything, re.I) \
        else "Court"
    case = _Case(_cap(petitioner) if lower else petitioner, _cap(respondent) if lower else respondent, court)
    sides = {_key(case.petitioner): case.petitioner, _key(case.respondent): case.respondent,
             "petitioner": case.petitioner, "petitioners": case.petitioner,
             "respondent": case.respondent, "respondents": case.respondent}
    aliases = _aliases(lines[:12], case)
    held_at = next(i for i, line in enumerate(lines) if _HOLDING.search(line.text))
    end = next((i for i in range(held_at + 1, len(lines)) if _disposition(lines[i].text)), len(lines))
    notes = Notes()
    last_court: str | None = None
    below: list[Position] = []  # what the courts below decided
    for line in lines[:held_at]:
        text = DATELINE.sub("", line.text).strip()
        if _CITATION.search(text) and len(text.split()) < 16:
            continue
        if match := _COURT_SUBJECT.match(text):
            last_court = _court_name(match, lower)
            if last_court.lower() in ("court", court.lower()):
                continue  # the deciding court granting review: not the case below
            if len(text.split()) >= 8 and not _PROCEDURE.search(text):
                below.append(case.say(last_court, BELOW, text, [line.id]))
        elif last_court and _IT_SUBJECT.search(text):
            # 'It concluded that ...': the court just named ('The Court of Appeal concluded ...')
            text = re.sub(r"^(\W*(?:(?:and|but|then|also),?\s+)?)it\b", lambda m: f"{m.group(1)}the {last_court}",
                          text, count=1, flags=re.I)
            below.append(case.say(last_court, BELOW, text[:1].upper() + text[1:], [line.id]))
        elif (party := _party_of(text, sides) or _alias_of(text, aliases)) and _ARGUES.search(text):
            case.say(party, party, text, [line.id])
        if match := _PARTIES_AGREED.match(text):
            # 'The parties agreed that the policy change rendered ... moot, but disputed ...'
            notes.agreements.append(Point(text=match.group(0).strip() + ".", evidence=[line.id]))
    holding = lines[held_at]
    held_text = _HOLDING.sub("", holding.text, count=1).strip() if re.match(r"\s*held\s*:", holding.text, re.I) \
        else holding.text.strip()
    held_text = held_text[:1].upper() + held_text[1:]
    held = case.say(court, court, held_text, [holding.id])
    contention: Position | None = None
    reasons: list[tuple[float, Position]] = []
    held_words = set(content_words(held_text))
    for index, line in enumerate(lines[held_at + 1: end]):
        text = re.sub(r"^\(\w{1,3}\)\s+", "", line.text).strip()  # '(a) ...': the syllabus's parts
        if _REJECTS.search(text) and contention is not None:
            answer = text if len(text.split()) >= 8 else f"{text} {held_text}"
            evidence = [line.id] if len(text.split()) >= 8 else [line.id, holding.id]
            notes.disputes.append(Dispute(issue=_issue(contention), stances=[
                Stance(side=contention.side or contention.actor, text=contention.text, evidence=contention.evidence),
                Stance(side=court, text=answer, evidence=evidence)]))
            contention = None
            continue
        if _CITATION.search(text) and len(text.split()) < 16 or len(text.split()) < 4:
            continue
        party = _party_of(text, sides)
        if party and _ARGUES.search(text[:80]):
            contention = case.say(party, party, text, [line.id])
            continue
        opener = line.text.lstrip().startswith("(")
        overlap = len(set(content_words(text)) & held_words) / (1 + len(held_words))
        reasons.append((2 * opener + overlap - 0.01 * index, Position(actor=court, side=court, text=text,
                                                                       evidence=[line.id])))
    reasons.sort(key=lambda r: -r[0])
    for _, reason in reasons[:3]:
        case.say(court, court, reason.text, reason.evidence)
    mine = [p for p in case.positions if p.side == case.petitioner]
    ruled = next((p for p in reversed(below) if re.search(r"\b(?:held|holds|holding|concluded|ruled|found)\b", p.text, re.I)),
                 None)
    if mine and ruled:  # what the petitioner argued against what the court below decided
        notes.disputes.insert(0, Dispute(issue="The decision below", stances=[
            Stance(side=case.petitioner, text=mine[0].text, evidence=mine[0].evidence),
            Stance(side=BELOW, text=ruled.text, evidence=ruled.evidence)]))
    lead = [held]
    if lines[0] is not holding and len(lines[0].text.split()) <= 30 and not _CITATION.search(lines[0].text):
        lead.insert(0, Position(actor="", text=DATELINE.sub("", lines[0].text).strip(), evidence=[lines[0].id]))
    bluf = " ".join([lead[0].text] if len(lead) == 1 else [lead[0].text, f"The {court} held: {held_text}"])
    evidence = [i for p in lead for i in p.evidence]
    if end < len(lines):
        disposition = lines[end]
        bluf = f"{bluf} {disposition.text.strip()[:1].upper()}{disposition.text.strip()[1:]}"
        evidence.append(disposition.id)
        if _REMAND.search(disposition.text):
            sent_to = next((p for p in reversed(below) if not re.search(r"\bdenied review\b", p.text, re.I)), None)
            notes.next_steps.append(NextStep(
                actor=sent_to.actor if sent_to else "The lower courts",
                action="take the case up again in line with this decision (vacated and remanded)"
                if "vacat" in disposition.text.lower() else "take the case up again in line with this decision",
                certainty="expected", evidence=(sent_to.evidence if sent_to else []) + [disposition.id]))
        votes = [line for line in lines[end + 1:] if _VOTE.search(line.text)]
        if votes:
            notes.agreements.append(Point(text=votes[0].text.strip(), evidence=[line.id for line in votes]))
        for vote in votes:  # 'ROBERTS, C. J., filed a dissenting opinion.': the dissent is a side
            if match := _DISSENT.match(vote.text):
                case.say(_cap(match.group(1)), "Dissent", vote.text.strip(), [vote.id])
    for line in lines[held_at:]:
        if match := _LEFT_TO.search(line.text):
            # '... and leaves for the District Court to determine whether Bradford has ...'
            notes.next_steps.insert(0, NextStep(actor=_cap(match.group(1)) if lower else match.group(1)[:1].upper()
                                                + match.group(1)[1:], action=match.group(2).strip(),
                                                certainty="expected", evidence=[line.id]))
            break
    notes.key_points = [Point(text=bluf, evidence=evidence)]
    notes.quotes = [Quote(speaker=court, text=held_text, evidence=[holding.id])]
    notes.positions = case.positions
    for party in (case.petitioner, case.respondent):  # a party that argues nothing here is still a party
        naming = [line.id for line in lines if re.search(rf"\b{re.escape(_key(party))}\b", line.text, re.I)]
        if party not in ("Petitioner", "Respondent", "Petitioners", "Respondents") and naming \
                and not any(p.side == party for p in case.positions):
            notes.named.append(Point(text=party, evidence=naming[:3]))
    notes.actors = list(case.actors.values())
    return notes


def _aliases(lines: list[Line], case: _Case) -> dict[str, str]:
    """What the text calls each party ('the students', 'the college officials'), from
    'Petitioners are former students of ...' and '... sued certain college officials ...'."""
    found: dict[str, str] = {}
    for line in lines:
        if match := _IS_A.match(line.text):
            party = case.petitioner if match.group(1).lower().startswith("petitioner") else case.respondent
            found.setdefault(match.group(2).lower(), party)
        if (match := _SUED.search(line.text)) and not any(w in found for w in match.group(1).split()):
            for alias in {match.group(1).lower(), match.group(1).split()[-1].lower()}:  # 'county treasurers', 'treasurers'
                found.setdefault(alias, case.respondent)
    return found


def _alias_of(text: str, aliases: dict[str, str]) -> str | None:
    """The party a sentence opens with by its alias: 'The college officials ultimately ...'."""
    head = " ".join(re.sub(r"^\W*(?:(?:and|but|also),?\s+)?(?:the\s+|both\s+)?", "", text, flags=re.I).lower().split()[:3])
    return next((party for alias, party in aliases.items() if re.match(re.escape(alias) + r"\b", head)), None)


def _party_of(text: str, sides: dict[str, str]) -> str | None:
    """The party a sentence's subject is: 'Lange moved ...', 'Petitioner argues ...',
    'The amicus contends ...' (a side of its own)."""
    head = re.sub(r"^\W*(?:\(\w{1,3}\)\s+)?(?:(?:and|but|also),?\s+)?", "", text)
    for word in head.split()[:3]:
        if word.lower().strip(",") in sides:
            return sides[word.lower().strip(",")]
        if not (word[:1].isupper() or word.lower() in _PARTY_WORDS):
            break  # only names (or 'Petitioner') before the party's name: its subject
    if match := _GENERIC_PARTY.match(text):
        word = match.group(1).lower()
        if word.startswith("amic"):
            return "Amicus"
        if word in sides:
            return sides[word]
        name = _cap(word)
        return next((side for side in sides.values() if side.lower() == word), name)
    return None


def _issue(contention: Position) -> str:
    """'The amicus’s argument', 'The Government’s argument'."""
    who = contention.side or contention.actor
    return f"The {who.lower()}’s argument" if who.lower() in ("amicus", "government", "state") else f"{who}’s argument"
