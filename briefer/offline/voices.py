"""Who speaks in a sentence that names no speaker: the voice of the document.

Three kinds of text carry their speaker outside the sentence:
- transcripts label each turn (``SECRETARY RUBIO:``, ``QUESTION:``) and every sentence
  until the next label is that speaker's;
- readouts put each government's account under a heading that names it (``Moscow:``);
- statements and press releases speak for their author, named after the dateline
  (``BOISE, ID - Albertsons Companies today filed ...``) or in a "Readout of"/"Statement
  by" headline.
Rules are about these genres in general, never about one document.
"""

from __future__ import annotations

import re

from .actions import GENERIC_BODY
from .gazetteer import joint_subject, sides_in

QUESTIONERS = frozenset("question q reporter reporters moderator audience participant journalist questioner".split())
# the White House writes a question 'Q    Thank you, Mr. President.': no colon, a wide gap
_LABEL = re.compile(r"^\s*(?:(?P<label>[A-Z][A-Z.’'\- ]{0,40}[A-Z.]|Q|(?:Mr|Ms|Mrs|Dr)\.? [A-Z][a-z]+)\s*:\s+(?=\S)"
                    r"|(?P<q>Q)\s+(?=[A-Z“\"]))")
_LOWER_LABEL = re.compile(r"^\s*(?:(?P<label>[a-z][a-z.’'\- ]{0,30}[a-z.])\s*:\s+(?=\S)|(?P<q>q)\s+(?=\S))")
_NOT_IN_LABEL = frozenset("""said says told asked added continued wrote noted he she they it we i you this that
there here the a an and but or note update editor photo image video source read more""".split())
_DATELINE_ORG = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.]*(?:[ ,]+[A-Z][A-Za-z.]*)*\s*[-–—]+\s*)?"  # BOISE, ID -
    r"(?P<org>(?:The\s+)?[A-Z][\w&.’'\-]*(?:\s+(?:[A-Z][\w&.’'\-]*|of|and|&))*?)"
    r"(?:\s*\([A-Z:\w ]+\))?\s+(?:today|on\s+\w+day)\s+(?:announced|filed|said|released|issued|reported|"
    r"welcomed|condemned|launched|agreed|confirmed|published|responded|urged|called)\b")
_LOWER_DATELINE_ORG = re.compile(  # lower-cased text: the dateline's dash is the only anchor
    r"^\s*[a-z][a-z.]*(?:[ ,]+[a-z][a-z.]*){0,3}\s*[-–—]+\s*(?P<org>(?:the\s+)?[a-z][\w&.’'\-]*(?:\s+[a-z][\w&.’'\-]*){0,3}?)"
    r"\s+(?:today|on\s+\w+day)\s+(?:announced|filed|said|released|issued|reported|welcomed|condemned|launched)\b")
_MEETING_OF = re.compile(r"^joint statement on (?:the )?(?:[\w\-]+ )?(?:meeting|session|round) of (?:the )?(?P<body>.+)", re.I)
_THEIR_STATEMENT = re.compile(r"^(?P<who>(?:[A-Z0-9][\w\-]*\s+){0,4}[A-Z0-9][\w\-]*?)(?:[’']s?)\s+(?:joint\s+)?"
                              r"(?:statement|declaration|communiqu[ée])\b", re.I)
_HEADLINE_VOICE = re.compile(
    r"^(?:readout of|statement (?:by|from|of)|joint statement (?:by|of|from|on)|remarks (?:by|of)|"
    r"press release:?)\s+(?P<who>.+)", re.I)


def transcript_label(text: str, lower: bool) -> tuple[str, bool] | None:
    """``(speaker, is_question)`` for a sentence opening a transcript turn, else None."""
    match = _LABEL.match(text) or (_LOWER_LABEL.match(text) if lower else None)
    if not match:
        return None
    label = (match.group("label") or match.group("q")).strip().rstrip(".")
    words = re.findall(r"[\w’']+", label.lower())
    if not words or len(words) > 4 or any(w in _NOT_IN_LABEL for w in words):
        return None
    if not lower and len(words) == 1 and not label.isupper():
        return None  # 'Moscow: ...' inline is a place, not a speaker
    if words[0] in QUESTIONERS:
        return label, True
    return " ".join(w.capitalize() for w in label.split()), False


def strip_label(text: str, lower: bool) -> str:
    match = _LABEL.match(text) or (_LOWER_LABEL.match(text) if lower else None)
    return text[match.end():] if match else text


def heading_voice(heading: str | None) -> str | None:
    """The side a readout section speaks for: a short heading naming one place or body."""
    if not heading or len(heading.split()) > 3:
        return None
    sides = sides_in(heading)
    return sides[0] if len(sides) == 1 else None


_WE = re.compile(r"(?:^|[.;:]\s+|,\s+|\b(?:and|but|so|meanwhile|time),?\s+)we\s+(?:have|will|are|seek|can|stand|must|urge|"
                 r"call|remain|continue|believe|support|condemn|welcome|reject|look|want|hope|expect|"
                 r"intend|plan|do|did|would|should|also|again|strongly)\b", re.I)


_ANNOUNCES = re.compile(
    r"^\s*(?:today,?\s+|on\s+\w+day,?\s+)?(?P<org>(?:the\s+)?[\w.’' ]{2,60}?)\s+(?:today\s+)?(?:announces|is announcing|"
    r"imposes|is imposing|designates|is designating|welcomes|strongly condemns|condemns|is taking|takes)\b", re.I)
_INSTITUTION = re.compile(r"\b(?:department|ministry|government|office|administration|embassy|mission|commission|"
                          r"council|agency|treasury|white house|kremlin|secretariat)\b", re.I)
_SELF_SUBJECT = re.compile(
    r"^\s*(?P<subject>(?:the\s+)?[\w.’' ]{2,30}?(?:\s+and\s+[\w.’' ]{2,30}?)?)\s+(?:is|are|will|stands?|remains?|"
    r"supports?|condemns?|welcomes?|calls?|urges?|reaffirms?|commends?|applauds?|rejects?|opposes?)\b", re.I)


_WE_THE = re.compile(r"^\W*we,\s+(?:the\s+)?(?:(?:participating|member)\s+(?:states|countries|governments)\s+of\s+"
                     r"(?:the\s+)?)?(?P<who>[^,]{3,80}),", re.I)


_RELEASED_BY = re.compile(r"\b(?:released|issued)\s+by\s+the\s+(?:governments|foreign ministers|leaders|"
                          r"representatives)\s+of\s+(.{10,}?)[.:]?\s*$", re.I)
_VESTED = re.compile(r"\bvested in me as [^,]{2,80}?\bof (?:the )?([\w ]{3,40}?)(?:,|\.|\s+(?:including|and by)\b)", re.I)
_ABOUT = r"\s+(?:on|regarding|about|concerning|following|at|in|for)\s+"


def _body_name(who: str) -> str | None:
    """'the Multilateral Sanctions Monitoring Team (MSMT) on the Report ...' -> 'MSMT': the
    body's short name if it gives one, else its name up to what the statement is about."""
    who = re.split(_ABOUT, who.strip(), maxsplit=1)[0]
    if acronym := re.search(r"\(([A-Z][A-Za-z0-9&]{1,9})\)", who):
        return acronym.group(1)
    if acronym := re.search(r"\(([a-z][a-z0-9&]{1,5})\)", who):
        return acronym.group(1).upper()  # lower-cased text: '(msmt)' was an acronym
    name = re.sub(r"^the\s+", "", who, flags=re.I).strip(" ,.")
    # 'Readout of AUKUS Joint Steering Group Meetings': the body that met, not its meetings
    name = re.sub(r"\s+(?:meetings?|sessions?|talks|consultations|calls?)$", "", name, flags=re.I)
    if who.islower():
        name = " ".join(w[:1].upper() + w[1:] for w in name.split())
    return name if 1 <= len(name.split()) <= 8 and name[:1].isupper() else None


_MEETING_WITH = re.compile(r"[’']s\s+(?:(?:\w+\s+){0,2}?)(?:meeting|call|conversation|talks|discussion|summit)s?\s+"
                           r"with\s+", re.I)


def _most_named(texts: list[str], exclude: list[str]) -> str | None:
    counts: dict[str, int] = {}
    for text in texts:
        for side in sides_in(text):
            if side not in exclude:
                counts[side] = counts.get(side, 0) + 1
    return max(counts, key=counts.get) if counts else None


def _unquoted(text: str) -> str:
    return re.sub(r"[“\"][^”\"]*[”\"]?", " ", text)


# What every match of _WE in a text's unquoted form holds in the (ASCII) text itself: 'we'
# at a word's start, then blank space or the quotation mark _unquoted blanks out.
_WE_HINT = re.compile(r"\bwe[\s“\"]")


def _may_say_we(text: str) -> bool:
    low = text.lower()
    return "we" in low and (not text.isascii() or _WE_HINT.search(low) is not None)


def readout_sides(title: str | None, author: str | None, names) -> dict[str, str]:
    """'Readout of National Security Advisor Jake Sullivan’s meeting with Chinese ...
    Foreign Minister Wang Yi': of ``names``, the host's side is the readout's author's and
    the guest's the one side his titles name."""
    if not title or not author or not (match := _HEADLINE_VOICE.match(title.strip())):
        return {}
    parts = _MEETING_WITH.split(match.group("who").strip(), maxsplit=1)
    if len(parts) != 2:
        return {}
    host, guest = parts
    guest_sides = [side for side in sides_in(guest) if side != author]
    found = {name: author for name in names if name in host}
    if len(guest_sides) == 1:
        found.update({name: guest_sides[0] for name in names if name in guest and name not in found})
    return found


# a briefing's running order, said at the podium: 'I’ll turn it over to him', 'I can take
# just a few questions', 'On to the rest of the programming here', 'I’m here to provide a
# brief report on ...'
_PODIUM = re.compile(r"\b(?:turn (?:it|things|the floor|this) over\b|(?:just |one )?last question\b|hand (?:it |things )?(?:over|back) to|"
                     r"take (?:just |only )?(?:a (?:few|couple of|couple) |some |your |one or two |two |a )?"
                     r"(?:more |last )?questions?|open (?:it )?up (?:for|to) (?:your )?questions|"
                     r"on to the rest of|i(?:’|')m here (?:today )?to (?:provide|give|talk|brief|update|"
                     r"walk you through))\b", re.I)


def is_podium_talk(text: str) -> bool:
    """A sentence of a briefing's running order, which states nothing about its subject."""
    return _PODIUM.search(text) is not None


# a government's own briefing (not 'Remarks by ... in Joint Press Conference', which has two)
_BRIEFING_BY = re.compile(r"^(?:(?:press|background|on-the-record|off-camera)\s+)*(?:briefing|gaggle|call)\b"
                          r".*?\bby\s+(?P<who>.+)$", re.I)


def panel_side(title: str | None, name_sides: dict[str, str], names) -> tuple[str | None, list[str]]:
    """'Press Briefing by Press Secretary Karine Jean-Pierre, National Security Advisor Jake
    Sullivan, and Secretary of Homeland Security Alejandro Mayorkas': the one side known
    among those the headline lists (a panel of one government), and those of ``names`` it lists."""
    if not title or not (match := _BRIEFING_BY.match(title.strip())):
        return None, []
    who = match.group("who")
    panel = [name for name in names if name in who]
    # the sides the panel's titles name ('Secretary of Homeland Security ...'), or known already
    known = {side for part in re.split(r",\s*(?:and\s+)?|\s+and\s+", who) for side in sides_in(part)[:1]}
    known |= {name_sides[name] for name in panel if name in name_sides}
    return (known.pop(), panel) if len(known) == 1 else (None, [])  # (none known, or a joint conference)


# 'Remarks by President Biden and Prime Minister Sunak of the United Kingdom in Joint Press
# Conference': two leaders at one podium, each speaking for his own side
_JOINT_REMARKS = re.compile(r"^remarks\s+by\s+(?P<a>.+?)\s+and\s+(?P<b>.+?)(?:\s+(?:in|at|before|after)\s+(?:a\s+|the\s+)?"
                            r"(?:joint|press)\b.*)?$", re.I)
_TITLED = re.compile(r"\b(?:president|prime\s+minister|chancellor|premier|king|queen|secretary|minister)\s+(?P<name>[A-Z][\w’'\-]+)",
                     re.I)


def joint_remarks_sides(title: str | None, texts: list[str]) -> dict[str, str]:
    """Of two leaders a joint press conference's headline names, the one it places ('Prime
    Minister Sunak of the United Kingdom') is on that side, and the other, the host, on the
    side the text names most but the guest's; surname -> side."""
    if not title or not (match := _JOINT_REMARKS.match(title.strip())):
        return {}
    parts = [match.group("a"), match.group("b")]
    titled = [_TITLED.search(part) for part in parts]
    if not all(titled):
        return {}
    placed = [sides_in(part) for part in parts]
    found: dict[str, str] = {}
    for (part, who, sides), (other_sides) in zip(zip(parts, titled, placed), reversed(placed)):
        if len(sides) == 1:
            found[who.group("name")] = sides[0]
        elif not sides and len(other_sides) == 1 and (host := _most_named(texts, exclude=other_sides)):
            found[who.group("name")] = host
    return found


def document_voice(title: str | None, texts: list[str]) -> str | None:
    """The author a statement speaks for: the organisation after its dateline, the first
    side named in a "Readout of"/"Statement by" headline, or, in a text that says "we"
    outside quotes again and again, the side its sentences most often open with."""
    first = texts[0] if texts else None
    if first and (match := _DATELINE_ORG.match(first) or _LOWER_DATELINE_ORG.match(first)):
        org = re.sub(r"^the\s+", "", match.group("org"), flags=re.I).strip()
        return (sides_in(org) or [" ".join(w[:1].upper() + w[1:] for w in org.split())])[0]
    for text in texts[:3]:
        # 'By the authority vested in me as President by the Constitution and the laws of the
        # United States, ... I hereby ...': an executive act, in its author's first person
        if "vested in me" in text.lower() and (match := _VESTED.search(text)) and (sides := sides_in(match.group(1))):
            return sides[0]
    if title and (own := _THEIR_STATEMENT.match(title.strip())):
        # 'Quad Leaders’ Joint Statement: “The Spirit of the Quad”': who issues it, named first
        return (sides_in(own.group("who")) or [None])[0] if len(sides_in(own.group("who"))) == 1 \
            else _body_name(own.group("who"))
    if title and (meeting := _MEETING_OF.match(title.strip())):
        # 'Joint Statement on the Sixth Meeting of the Joint Security Coordination Mechanism
        # for ...': the body that met speaks (its members, together)
        return _body_name(re.split(r"\s+(?:for|between|of|on|in|at)\s+", meeting.group("body"), maxsplit=1)[0])
    if title and (match := _HEADLINE_VOICE.match(title.strip())) \
            and not re.match(r"joint statement on\b", title.strip(), re.I) and not joint_remarks_sides(title, texts):
        # ('Joint Statement on the Release of ...' names what it is about, not who)
        # who issues it, not what it is about: 'Statement by the G7 Foreign Ministers on Ukraine'
        who = re.split(_ABOUT, match.group("who").strip(), maxsplit=1)[0]
        host = _MEETING_WITH.split(who, maxsplit=1)
        if len(host) == 2:
            # 'Readout of President Joe Biden’s Meeting with President Xi Jinping of the PRC':
            # the host's side, or else the side the text names most but the guest's
            return (sides_in(host[0]) or [None])[0] or _most_named(texts, exclude=sides_in(host[1]))
        sides = sides_in(who)
        # 'Joint Statement of the Multilateral Sanctions Monitoring Team (MSMT) on ...': a body
        return sides[0] if sides else _body_name(who)
    for text in texts[:2]:
        # 'The text of the following statement was released by the Governments of the United
        # States of America, Albania, Australia, ...': many governments speak as one
        if "by the" in text.lower() and (match := _RELEASED_BY.search(text)):
            # (commas part them: 'the United Kingdom of Great Britain and Northern Ireland' is one)
            issuers = [part for part in re.split(r",\s*(?:and\s+)?", match.group(1)) if part.strip()]
            if len(issuers) >= 3 and (first := sides_in(issuers[0])):
                return f"{first[0]} and {len(issuers) - 1} others"
    for text in texts[:3]:  # 'We, the participating states of the MSMT, have released ...'
        if match := _WE_THE.match(text):
            return _body_name(match.group("who"))
    for text in texts[:5]:  # 'Today, the Department of State announces ...'
        if (match := _ANNOUNCES.match(text)) and _INSTITUTION.search(match.group("org")):
            org = re.sub(r"^the\s+", "", match.group("org"), flags=re.I).strip()
            return (sides_in(org) or [org])[0]
    # only a text holding "we" can say it outside quotes: the others are not unquoted for it
    if sum(1 for text in texts if _may_say_we(text) and _WE.search(_unquoted(text))) >= 2:
        unquoted = [_unquoted(text) for text in texts]
        # 'The United States and President Trump stand ready ...': the author names itself
        # as the subject of its own commitments ('The Sudanese people are ready' is not it)
        openers = [side for text in unquoted if (m := _SELF_SUBJECT.match(text))
                   for side in sides_in(m.group("subject"))[:1]]
        if openers:
            return max(openers, key=openers.count)
        if author := _unnamed_author(unquoted):
            return author
    # 'Australia, the United Kingdom, and the United States ... held meetings ...', then 'our
    # proposal', 'we will seek ...': the parties the text opens on speak, together
    if first and (joint := joint_subject(first)) and any(_OURS.search(_unquoted(text)) for text in texts):
        return ", ".join(joint[:-1]) + " and " + joint[-1]
    return None


_OURS = re.compile(r"\b(?:we|our)\b", re.I)


# a verb after 'the union': 'the union is taking', 'the union uses', 'the union may try'
_VERB_AFTER = re.compile(r"\s+(?:is|are|was|were|has|have|had|will|would|may|might|can|could|should|must|do|does|"
                         r"did|won[’']t|wants?|uses?|says?|said|believes?|claims?|chose|chooses|\w+ed)\b", re.I)


def _unnamed_author(texts: list[str]) -> str | None:
    """'We ...' in a notice that never names its author, only its kind among others: 'a
    strike puts pressure on the company', 'the union is taking a vote'. The author is the
    kind it makes a sentence's subject least often (the other one acts; it is acted on)."""
    named: dict[str, list[int]] = {}  # kind -> [mentions, as a subject]
    for text in texts:
        for match in GENERIC_BODY.finditer(text):
            counts = named.setdefault(match.group(1).lower(), [0, 0])
            counts[0] += 1
            counts[1] += _VERB_AFTER.match(text, match.end()) is not None
    if len(named) < 2 or not any(subject for _, subject in named.values()):
        return None
    share = sorted((subject / mentions, kind) for kind, (mentions, subject) in named.items())
    return share[0][1].capitalize() if share[0][0] < share[1][0] else None
