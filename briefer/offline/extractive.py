"""The offline engine's notes: structured notes from source sentences by extractive rules.

It reads only the sentences it is given and writes notes whose every item cites them, so
its output passes grounding by construction. Rules are about English news and government
prose in general (attribution verbs, titles, nationality words, plan and future cues, a
document's own voice), never about one article, and they work on lower-cased text too.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from ..schema import Actor, Notes, Point, Position, Quote
from .actions import PARTY, charged_as_subject, find_parties, subject_party
from .agreements import (
    DIVIDED,
    done_together,
    group_named,
    is_agreement,
    opens_with_group,
    refers_to_group,
    said_together,
    settled_first,
)
from .courts import (
    CHARGED,
    CHARGED_WORDS,
    COURT_RECORD,
    PLEA,
    plea_dispute,
    prosecution_side,
)
from .disputes import (
    CHARGE_RE,
    CONFLICT_RE,
    contrasted_stances,
    find_disputes,
    label_issue,
    one_sided_charges,
    rebuttals,
)
from .gazetteer import joint_subject, sides_in
from .interviews import PRESS, REFUSAL, REFUSE_TO_SAY, Interview
from .lexicon import (
    ANNOUNCED_UNNAMED,
    NEGATION_RE,
    PRONOUNS,
    ROLE_WORDS,
    SPEECH_VERBS,
    Line,
    content_words,
    is_lower_cased,
)
from .named import named_parties
from .rulings import is_ruling, ruling_notes
from .speakers import (
    GOVERNMENT_ROLE,
    Context,
    Speaker,
    collect_names,
    find_speaker,
    introduced_person,
    is_role,
    label_speaker,
    merge_org_sides,
    pair_named,
    office_holders,
    phrase_before,
    quoted_office_holder,
    title_case,
)
from .statements import DATELINE, FILLER, compress_statement, find_quotes, quoted_spans
from .steps import find_next_steps
from .voices import (
    document_voice,
    heading_voice,
    is_podium_talk,
    joint_remarks_sides,
    panel_side,
    readout_sides,
    strip_label,
    transcript_label,
)
from .votes import dissents, split_vote

# ---------------------------------------------------------------- the engine


_STANCE = re.compile(
    r"\b(?:must|should|will not|won[’']t|cannot|can[’']t|unacceptable|illegal|insist\w*|demand\w*|refus\w*|"
    r"reject\w*|oppos\w*|support\w*|condemn\w*|urg(?:e|es|ed|ing)|warn\w*|accus\w*|violat\w*|threat\w*|never|breach\w*|"
    r"deplor\w*|protest\w*|agree\w*|commit\w*|goal|aim|objective|priority|concern\w*|has to|have to|"
    r"needs? to|not (?:our|the(?: [\w’']+){1,3}|their|its) (?:job|role|responsibility)|not going to|not playing)\b", re.I)
_FIRST_PERSON = re.compile(r"^(?![“\"‘])\W*(?:(?:however|but|and|today|also|so),?\s+)?(?:i|we)\s+(?!\w+\s+(?:said|says|told)\b)",
                           re.I)
_LEAD_CLAUSE = re.compile(r"^(?:considering|given|in light of|in view of|recalling|noting|following|as|with)\b"
                          r"[^,;:“”\"]{3,120},\s+(?=(?:we|the)\b)", re.I)
_OBLIGED = re.compile(r"\b(?:must|needs? to|should|has to|have to|ought to)\b", re.I)
_HEDGE = re.compile(r"\b(?:we[’']ll see|we will see|i[’']m not sure|i don[’']t know|i don[’']t think|"
                    r"i haven[’']t|inaudible|that[’']s what|never tell you|" + REFUSE_TO_SAY + r")\b", re.I)
# 'Watch the Secretary's video message on YouTube.': a web page's furniture, nobody's position
_WEB_CHROME = re.compile(r"^\W*(?:watch|read|follow|click|visit|subscribe|download|sign up|learn more|"
                         r"for more information)\b|\b(?:youtube|twitter|facebook|instagram|web ?page|website)\b", re.I)
# 'Directly and through multiple channels.': an answer's fragment, which says nothing alone
_FRAGMENT = re.compile(r"^\W*(?:\w+ly|through|with|by|not|and|or|just|only|also|absolutely|exactly|yes|no)\b"
                       r"(?!.*\b(?:is|are|was|were|has|have|had|will|would|can|could|should|must|do|does|did|"
                       r"i|we|you|they|he|she|it|there)\b)(?!.*[’']\w)(?!.*\w{3,}ed\b)", re.I)


def _telling(text: str, centrality: float) -> float:
    """How much a statement tells a reader: central to the text, a stance (must, reject,
    warn...), a side named, a number; hedges and short asides tell little."""
    score = 2 * centrality + 0.8 * bool(_STANCE.search(text)) + 0.6 * bool(sides_in(text))
    score += 0.4 * bool(re.search(r"\d", text)) - 1.5 * bool(_HEDGE.search(text))
    score -= 1.0 * bool(_DEFLECTION.search(text))  # ('I’m going to let the Israelis speak to that'): no stance of its own
    return score - (len(text.split()) < 10) - 0.5 * (len(text.split()) > 45)


_DEFLECTION = re.compile(r"\b(?:let\s+(?:the\s+)?[\w’'\-]+\s+speak\s+(?:to|for)|leave\s+it\s+there|"
                         r"(?:i|we)(?:’m|'m|\s+am|\s+are|’re|'re)\s+not\s+going\s+to\s+(?:get\s+ahead|speculate|comment|"
                         r"go\s+into|prejudge)|(?:as\s+i\s+said|i(?:’ve|'ve)\s+addressed))", re.I)


_SPOKEN_FILLER = re.compile(r"\b(?:i think|i mean|you know|kind of|sort of|okay|guys)\b|\s[–—-]\s", re.I)


def _sharpness(text: str) -> float:
    """How well a spoken sentence stands as a quote: short, a stance or a refusal, said
    plainly (each 'I think', 'you know' or broken-off '–' costs)."""
    words = len(text.split())
    return (1.0 * bool(_STANCE.search(text)) + 0.8 * bool(REFUSAL.search(text)) + 0.5 * bool(NEGATION_RE.search(text))
            - 0.6 * len(_SPOKEN_FILLER.findall(text)) - 0.04 * max(0, words - 16) - 2 * bool(_HEDGE.search(text)))


def _centrality(lines: list[Line]) -> dict[str, float]:
    words = {line.id: set(content_words(line.text)) for line in lines}
    df: Counter = Counter(w for ws in words.values() for w in ws)
    scores = {}
    for line in lines:
        ws = words[line.id]
        scores[line.id] = sum(math.log(df[w]) for w in ws if df[w] > 1) / (1 + math.sqrt(len(ws)))
    top = max(scores.values(), default=0.0) or 1.0
    return {sid: value / top for sid, value in scores.items()}


_GREETING = re.compile(r"^\W*(?:just\s+)?(?:met|meeting|spoke|speaking|talked)\s+(?:with|to)\b|"
                       r"^\W*(?:thank you|thanks|good (?:morning|afternoon|evening))\b|"
                       # a speaker's words about their own speaking: 'I just want to say a few words'
                       r"\b(?:say|share|offer) a (?:few|couple of) words\b|^\W*i(?:[’']ll| will) (?:start|begin|speak) in \w+|"
                       r"\bthings to (?:talk|speak) about\b", re.I)


# A subject that needs the sentence before it: 'It ...', 'This ...', 'The move ...'.
_BARE_SUBJECT = re.compile(
    r"^[“\"]?(?:"
    r"(?:this|that|these|those|they|such|the (?:move|decision|step|plan|measure|incident|two sides|same))\b"
    r"(?!\s+(?:is|was)\s+(?:agreed|expected))|"
    # not 'It is not our job to ...' or 'It is clear that ...': an 'it' standing for what follows
    r"it\b(?!(?:’s|'s|\s+is|\s+was)\s+(?:[\w’']+\s+){0,6}?(?<!going\s)(?<!have\s)(?<!has\s)(?<!had\s)(?<!able\s)to\s+\w+\b)(?!\s+(?:is|was)\s+(?:agreed|expected)))",
    re.I)
# '... rejected the accusation.': which accusation is in the sentence before
_BARE_OBJECT = re.compile(r"\b(?:rejected|denied|dismissed|welcomed|condemned|criticized|criticised|disputed|"
                          r"refuted|echoed|confirmed)\s+(?:the|this|that|these|those|such)\s+(?:accusations?|claims?|"
                          r"charges?|allegations?|reports?|moves?|decisions?|remarks?|comments?|proposals?|plans?|"
                          r"ideas?|demands?|offer|statement)\b|\b(?:rejected|denied|dismissed|welcomed)\s+(?:it|them)\b",
                          re.I)


def _side_just_named(prev_speaker: Speaker | None, recent: list[Line]) -> str | None:
    """The side the sentence before speaks for: its speaker's, when that speaker is the side
    itself or a body of it ('Iran', 'Hamas officials'), else the one side it opens with
    ('The Israeli military reported ...')."""
    if prev_speaker:
        return prev_speaker.side if prev_speaker.side and (
            prev_speaker.name == prev_speaker.side or is_role(prev_speaker.name)) else None
    opening = sides_in(" ".join(recent[-1].text.split()[:4])) if recent else []
    return opening[0] if len(opening) == 1 else None


def _antecedent(text: str, speaker: Speaker, recent: list[Line], sides_of: dict,
                previous_speaker: Speaker | None = None) -> Line | None:
    """The sentence a statement leans on: the one before a bare 'it' (unless someone else
    said it: '“This seizure is ...,” said Ramsey' after Monaco's quote is not Monaco's);
    for '... rejected the accusation', the other side's last charge or demand among the last three."""
    previous = recent[-1] if recent else None
    if _BARE_SUBJECT.match(text):
        quoted_other = previous is not None and previous.text.lstrip()[:1] in "“\"" and previous_speaker \
            and previous_speaker.name != speaker.name
        return None if quoted_other else previous
    if _BARE_OBJECT.search(text) and len(text.split()) < 16:
        return next((seen for seen in reversed(recent) if sides_of.get(seen.id) != speaker.side
                     and (_STANCE.search(seen.text) or CONFLICT_RE.search(seen.text))), previous)
    return None


_DATED_ACT = re.compile(r"\W*(?:today|yesterday|this\s+(?:week|morning)|on\s+(?:monday|tuesday|wednesday|thursday|"
                        r"friday|saturday|sunday))\b", re.I)
_PAST = re.compile(r"\b(?!(?:united|limited|based|hundred|indeed|need|speed|red|armed|proposed|concerned|"
                   r"detailed|advanced|alleged|so-called)\b)(?:[a-z]{3,}ed|met|held|took|made|sent|began|won|lost|struck|"
                   r"spoke|said)\b", re.I)
_REPORTED = re.compile(r"\b(?:said|says|told|according to|reported(?:ly)?)\b", re.I)
# a stance stated now ('is strongly committed', 'supports', 'intends to'), not a past event narrated
_PRESENT_STANCE = re.compile(r"\b(?:is|are|remains?|will|shall|must|cannot|intends|supports|declares|stresses|"
                             r"underscores|reaffirms|welcomes|condemns|rejects|calls|urges|opposes|recognizes)\b", re.I)
# 'President Biden underscored ...', 'Washington had insisted ...': a past event told, by the
# text's writer, in words the subject never said as such
_NARRATED = re.compile(r"^(?:(?!(?:is|are|remains?|will|shall|must|cannot)\b)\S+\s+){0,7}?(?:\w{3,}ed|had|was|were|did)\b",
                       re.I)
_DECLARES = re.compile(r"^(?:\S+\s+){1,6}?(?:declares|stresses|underscores|reaffirms|affirms|rejects|recognizes|"
                       r"commits|condemns|insists)\b", re.I)
_FOUND_GUILTY = re.compile(r"\b(?:was|were|has been|have been)\s+found\s+guilty\b", re.I)
_NAMED_FIRST = re.compile(r"^((?:[A-Z][\w’'\-]+\.?\s){1,3}[A-Z][\w’'\-]+),")
_RESOLVE = re.compile(r"\b(?:will|we[’']ll)\b(?!\s+see\b)", re.I)
_DECIDED = re.compile(r"\b(?:decided|voted(?: unanimously)?|resolved)\s+to\s+\w+", re.I)
_OPERATIVE = re.compile(r"\b(?:i|we)\s+(?:do\s+)?hereby\s+\w+", re.I)
_PREAMBLE = re.compile(r"^\s*(?:the\s+)?(?:following is the (?:full )?text|text of the following|"
                       # 'The following Security Council press statement was issued today by ...:'
                       r"following (?:[\w’'\-]+\s+){0,4}?(?:statement|communiqu[ée]|readout|declaration|remarks) "
                       r"(?:was|were|is|are|has been|have been) (?:released|issued|made|delivered|read out)|"
                       # 'The following is a Presidential Determination submitted to Congress ...:'
                       r"following is (?:a|an|the)\b[^:;.]{0,120}:\s*$)", re.I)


def _lists(lines: list[Line]) -> dict[str, list[Line]]:
    """Lists a sentence introduces: the run of items after it that end in ';' or '; and',
    and the last item, which opens as they do ('A GL authorizing ...;' ... 'A GL ... .')."""
    found: dict[str, list[Line]] = {}
    i = 1
    while i < len(lines):
        j = i
        while j < len(lines) and re.search(r";(?:\s+(?:and|or))?$", lines[j].text.rstrip()) \
                and len(lines[j].text.split()) <= 30:
            j += 1
        if j > i:
            first = lines[i].text.split()[:1]
            if j < len(lines) and lines[j].text.split()[:1] == first and len(lines[j].text.split()) <= 30:
                j += 1  # the last item ends with a full stop
            found[lines[i - 1].id] = lines[i:j]
            i = j
        i += 1
    return found


def _turn_statement(text: str, lower: bool) -> str | None:
    """A transcript or statement sentence as a position, or None when it says too little
    (a question, a greeting, a few words)."""
    text = DATELINE.sub("", FILLER.sub("", strip_label(text, lower))).strip()
    text = re.sub(r"^\((?:via |through )?(?:an )?interpret\w*\)\s+", "", text, flags=re.I)  # '(Via interpreter) ...'
    if text.endswith("?") or len(text.split()) < 8 or _GREETING.search(text) or _FRAGMENT.match(text) \
            or _WEB_CHROME.search(text) or re.search(r"(?:;|;\s+and|,)$", text) \
            or _HEDGE.search(text) and len(text.split()) < 25:
        return None
    return text[:1].upper() + text[1:]


def _done_by_party(text: str) -> bool:
    """'Today, Iran launched ...', 'Today we have agreed ...': an act of the day, done by a
    party the sentence names or by the speaker's 'we' (not 'Today's seizure ...', not
    'This morning, the president said ...')."""
    dated = _DATED_ACT.match(text)
    if dated is None or not _PAST.search(text):
        return False
    rest = text[dated.end():].lstrip(" ,")
    return re.match(r"we\b", rest, re.I) is not None or bool(sides_in(" ".join(rest.split()[:3])))


def _says_little(text: str) -> bool:
    """'Blinken said, “Just met with ...' : an attribution around a greeting or meeting."""
    quoted = quoted_spans(text)
    inner = text[quoted[0][0]:quoted[0][1]] if quoted else ""
    return bool(inner) and _GREETING.search(inner) is not None and len(inner.split()) <= 12


def extract_notes(lines: list[Line], title: str | None = None) -> Notes:
    if not lines:
        return Notes()
    if is_ruling(lines, title):
        return ruling_notes(lines, title)  # a court decision has a shape of its own
    lower = is_lower_cased(lines)
    ctx = Context(lower=lower)
    collect_names(lines + ([Line("title", title)] if title else []), ctx)
    centrality = _centrality(lines)
    notes = Notes()
    actors: dict[str, Actor] = {}
    prev_speaker: Speaker | None = None
    turn: Speaker | None = None  # the transcript speaker whose turn this is
    in_question = False
    asked: set[str] = set()  # questions: nobody's position, never the lead
    labelled = False  # a transcript: its turns are labelled with their speakers
    own_words: set[str] = set()  # sentences a transcript speaker says in their own words
    narrated: set[str] = set()  # a report's sentences about a party, which nobody is said to say
    recent: list[Line] = []  # the last three sentences, for antecedents
    position_of = {line.id: i for i, line in enumerate(lines)}
    sides_of: dict[str, str | None] = {}  # sentence id -> the side of who says it
    author = document_voice(title, [line.text for line in lines])
    for name, side in readout_sides(title, author, list(ctx.full_names)).items():
        ctx.name_sides.setdefault(name, side)  # the host of a readout speaks for its author
    for name, side in joint_remarks_sides(title, [line.text for line in lines]).items():
        ctx.name_sides.setdefault(name, side)  # each leader at a joint press conference for his own
    # a briefing's panel speaks for one government, its unnamed 'senior official' too
    ctx.panel_side, panel = panel_side(title, ctx.name_sides, list(ctx.full_names))
    for name in panel:
        ctx.name_sides.setdefault(name, ctx.panel_side)
    prosecution = prosecution_side(lines)
    parties = find_parties(lines, lower)
    interview = Interview(lines)  # a question, and what the answer to it says or will not say
    lists = _lists(lines)
    after_group = False  # the sentence before opened with 'The two leaders ...': its 'They' is them
    group: str | None = None  # ... and the words that named them
    voted_against: list[Position] = []  # dissents a vote record names
    defendants: dict[str, str] = {}  # name -> the sentence that charges him
    listed = {item.id for items in lists.values() for item in items}
    for line in lines:
        label = transcript_label(line.text, lower)
        labelled = labelled or label is not None
        if label:
            in_question = label[1]
            turn = None if in_question else label_speaker(label[0], ctx)
            ctx.last_person = ctx.last_speaker = turn or ctx.last_speaker
            if turn:
                interview.answer_turn()
        if in_question or line.text.rstrip().endswith("?"):
            asked.add(line.id)
        if in_question:
            interview.question(line, strip_label(line.text, lower))
            continue  # a reporter's question is the press's, once it gets its answer
        spoken = strip_label(line.text, lower) if label else line.text
        if against := dissents(line):  # 'Voting against this action were X, who preferred ...'
            notes.positions += against
            for dissent in against:
                actors[dissent.actor] = Actor(name=dissent.actor, side=dissent.side, evidence=[line.id])
            voted_against += against
            continue
        if _PREAMBLE.match(spoken) or labelled and is_podium_talk(spoken):
            # 'The following is the text of a joint statement ...', 'I’ll turn it over to him':
            # about the text or the briefing, never the lead, a position or a step
            asked.add(line.id)
            continue
        speaker, _ = find_speaker(spoken, ctx)
        voice = heading_voice(line.heading) or author
        if turn and speaker and speaker.side is None and is_role(speaker.name):
            # 'the deal that the President announced' in an official's answer: the official's side
            speaker = Speaker(speaker.name, speaker.description, turn.side)
        if voice and not labelled and _FIRST_PERSON.match(spoken) \
                and (speaker is None or speaker in (ctx.last_speaker, ctx.last_person)) \
                and subject_party(spoken, parties, lower) is None:  # not '...; Azerbaijan has lifted ...'
            speaker = Speaker(voice, voice, voice)  # 'I have raised this ...' in a statement: its author
        if speaker and speaker.side is None and voice and not labelled and is_role(speaker.name) \
                and not said_together(speaker.name, spoken):
            # 'The President reaffirmed ...' in the White House's readout: its own President
            speaker = Speaker(speaker.name, speaker.description, voice)
        if speaker and speaker.side is None and line.heading:
            heading_sides = sides_in(line.heading)
            if len(heading_sides) == 1:
                speaker = Speaker(speaker.name, speaker.description, heading_sides[0])
        low = spoken.lower()  # each pattern below holds a word tested for first: most sentences hold none
        if speaker is None and ctx.last_person and ("plead" in low or "pled" in low) and PLEA.search(spoken) \
                and re.match(r"(?:he|she)\b", spoken, re.I):
            speaker = ctx.last_person  # 'He ... pleaded not guilty': the defendant last named
        charge = CHARGED.search(spoken) if speaker is None and any(w in low for w in CHARGED_WORDS) else None
        if speaker is None and (("according to" in low and COURT_RECORD.search(spoken)) or charge):
            # 'According to court documents, ...', 'X is charged with ...': the prosecution's account
            speaker = Speaker(prosecution, "prosecution", prosecution)
            defendant = phrase_before(spoken[: charge.start()], lower) if charge else []
            if defendant and defendant[0].lower() not in PRONOUNS and not sides_in(" ".join(defendant)):
                ctx.last_person = Speaker(title_case(" ".join(defendant), lower), "defendant", None)
                defendants.setdefault(ctx.last_person.name, line.id)
        elif speaker is None and not lower and "guilty" in low and (found := _FOUND_GUILTY.search(spoken)) \
                and (named := _NAMED_FIRST.match(spoken[: found.start()])):
            # 'Chi Ping Patrick Ho, aka ..., 69, of Hong Kong, China, was found guilty ...': a jury's
            # verdict names the defendant (the name the sentence opens with, not the place before the verb)
            ctx.last_person = Speaker(named.group(1), "defendant", None)
            defendants.setdefault(named.group(1), line.id)
        text = compress_statement(spoken) if speaker else None
        party = subject_party(spoken, parties, lower) if speaker is None and not turn else None
        if speaker is None and (turn or voice or party):
            # a transcript turn, or a statement or readout speaking in its own voice;
            # a sentence whose subject is a party is that party's ('Azerbaijan has lifted ...',
            # 'The interim government has restored ...'), in a statement's voice or not
            if turn:
                speaker = turn
            elif party and not (voice and party.side != voice and (charged_as_subject(spoken, party, CHARGE_RE)
                                                                    or charged_as_subject(spoken, party, _OBLIGED))):
                # ('Mexico must take additional action ...' in a statement is its author's demand)
                speaker = Speaker(title_case(party.name, lower), PARTY, title_case(party.side, lower))
                if not voice:
                    narrated.add(line.id)  # ('Russia now controls about a fifth of Ukraine' in a news report)
            else:
                speaker = Speaker(voice, voice, voice)
            text = _turn_statement(spoken, lower)
            if turn and text:
                own_words.add(line.id)
        elif speaker and speaker.side is None and (just_named := _side_just_named(prev_speaker, recent)) \
                and GOVERNMENT_ROLE.search(speaker.description):
            # 'Iran says ... . Foreign Minister Zarif told reporters ...', 'Hamas officials denied
            # ... . Spokesman Sami Abu Zuhri accused ...': the minister or spokesman of the side
            # just named (a change of side would name the new one: 'Russian Foreign Minister')
            speaker = Speaker(speaker.name, speaker.description, just_named)
            if speaker.name != speaker.description:
                ctx.name_sides.setdefault(speaker.name, speaker.side)
        elif speaker and speaker.side is None and prev_speaker and prev_speaker.side \
                and set(content_words(speaker.description)) & set(content_words(prev_speaker.name)) - ROLE_WORDS:
            # '... South Korea’s Defense Ministry rejected ... . “...,” a defense ministry spokesman
            # said': the body just quoted speaks again through its spokesman
            speaker = Speaker(speaker.name, speaker.description, prev_speaker.side)
        if speaker:
            ctx.last_speaker = speaker
            if not is_role(speaker.name) and not speaker.side == speaker.name and speaker.description != PARTY:
                ctx.last_person = speaker
            actor = actors.setdefault(speaker.name, Actor(name=speaker.name, side=speaker.side))
            actor.side = actor.side or speaker.side
            if line.id not in actor.evidence:
                actor.evidence.append(line.id)
        elif introduced := introduced_person(spoken, ctx):
            ctx.last_person = introduced  # ('X was leading the delegation. He says ...': X says it)
        pair = pair_named(spoken, ctx)  # 'Presidents Biden and Lula recalled ...'
        agreed = is_agreement(spoken) or speaker is not None and said_together(speaker.name, spoken) \
            or done_together(spoken, after_group) or pair is not None and not DIVIDED.search(spoken)
        they_are = group  # who 'They' is in this sentence: the group the sentence before named
        after_group = opens_with_group(spoken) or pair is not None \
            or after_group and agreed and spoken.lower().lstrip().startswith("they")
        group = (group_named(spoken) or pair or group) if after_group else None
        if turn and speaker is turn:
            interview.answer(line, spoken, speaker, text if text and not _says_little(spoken) and not agreed else None)
        if speaker and text and not _says_little(spoken) and not agreed:
            # 'He said ...' -> 'Sergei Vershinin said ...': a brief's reader has no antecedent
            text = re.sub(r"^((?:(?:However|But|And|Still|Yet|Also|Instead),?\s+)?)(?:He|She|he|she)"
                          r"(?= (?:" + SPEECH_VERBS.replace(" ", r"\s") + r")\b)", rf"\g<1>{speaker.name}", text)
            if speaker is ctx.last_person and not is_role(speaker.name):
                text = re.sub(r"^(?:He|She|he|she)\b", speaker.name, text)  # 'He was arraigned' -> 'Guzman Lopez was ...'

            evidence = [line.id]
            antecedent = _antecedent(text, speaker, recent, sides_of, prev_speaker)
            context = FILLER.sub('', strip_label(antecedent.text, lower)).strip() if antecedent else ""
            if antecedent is not None and antecedent.id not in asked and len(context.split()) >= 5:
                text = f"{context[:1].upper()}{context[1:]} {text}"
                evidence = [antecedent.id, line.id]
            elif antecedent is not None and _BARE_SUBJECT.match(text):
                text = None  # 'It's already upwards of $180 million' after a question or a 'Yeah.': about what?
            if text and line.id in listed:
                continue  # an item of a list: its lead-in's position holds it
            if text and line.id in lists:
                items = lists[line.id]  # the list it introduces: 'A 180-day GL ...; A GL ...; and ...'
                text = " ".join([text, *(item.text for item in items)])
                evidence = evidence + [item.id for item in items]
            if text:
                notes.positions.append(Position(actor=speaker.name, side=actor.side, text=text, evidence=evidence))
        quote_speaker = speaker or (prev_speaker if line.text.lstrip()[:1] in "“\"‘`" else None)
        if quote_speaker:
            for quote in find_quotes(line.text):
                # ('They noted the remarks of the IAEA Director General, in which he expressed “...”':
                # his words, not theirs, unless the one who speaks is named here, a 'he' himself)
                given = quoted_office_holder(line.text, max(0, line.text.find(quote) - 1)) \
                    if quote_speaker.name.lower() not in line.text.lower() else None
                notes.quotes.append(Quote(speaker=title_case(given, lower) if given else quote_speaker.name,
                                          text=quote, evidence=[line.id]))
        if they_are and re.match(r"\s*they\b", spoken, re.I):
            # 'Both sides welcomed ... . They ... planned to hold a call': the group acts
            steps = find_next_steps(Line(line.id, they_are + spoken.lstrip()[4:], line.heading), lower, None)
        else:
            steps = find_next_steps(line, lower, speaker)
        notes.next_steps.extend(steps)
        if agreed:
            done = re.sub(r"^\((.*)\)$", r"\1", compress_statement(spoken).strip())  # '(The MOU was signed.)'
            if speaker is not None and speaker is ctx.last_person:  # 'He says both sides have agreed ...'
                done = re.sub(r"^(?:He|She|he|she)(?= (?:" + SPEECH_VERBS.replace(" ", r"\s") + r")\b)", speaker.name, done)
            notes.agreements.append(Point(text=done, evidence=[line.id]))
        prev_speaker = speaker or (prev_speaker if quote_speaker else None)
        recent = (recent + [line])[-3:]
        if speaker:
            sides_of[line.id] = speaker.side
    interview.close()
    notes.positions += interview.positions
    if interview.positions:
        actors[PRESS] = Actor(name=PRESS, side=PRESS, evidence=[p.evidence[0] for p in interview.positions
                                                                 if p.actor == PRESS])
    for name, actor in actors.items():
        actor.aliases = sorted(ctx.aliases.get(name, set()))
        if actor.side is None:
            actor.side = ctx.name_sides.get(name)
    for pos in notes.positions:
        pos.side = pos.side or actors[pos.actor].side
    merge_org_sides(notes.positions, list(actors.values()))
    carried = {(p.actor, p.evidence[0]) for p in notes.positions if len(p.evidence) > 1}
    # 'X recalled ... They urged ...' [S7, S8], then 'They urged ... They stressed ...' [S8, S9]:
    # one run of X's sentences, one item [S7, S8, S9] (the second alone opens with 'They')
    ending: dict[tuple[str, str], Position] = {}
    for pos in list(notes.positions):
        run = ending.get((pos.actor, pos.evidence[0])) if len(pos.evidence) == 2 else None
        if run is not None and len(run.evidence) < 3 and not labelled:  # (a transcript's turns ramble)
            run.text = " ".join([run.text, *(line.text for line in lines if line.id == pos.evidence[1])])
            run.evidence = run.evidence + pos.evidence[1:]
            notes.positions.remove(pos)
        elif len(pos.evidence) > 1:
            ending[(pos.actor, pos.evidence[-1])] = pos
    # (and one side's sentence said by two names, 'Mr. Sullivan' and 'Jake Sullivan', once)
    carried_by_side = {(p.side, p.evidence[0]) for p in notes.positions if len(p.evidence) > 1 and p.side}
    notes.positions = [p for p in notes.positions if len(p.evidence) > 1 or (
        (p.actor, p.evidence[0]) not in carried and (p.side, p.evidence[0]) not in carried_by_side)]
    # most telling first: a brief shows the head of each list
    # a transcript's first answers are on what the briefing is about; its later ones wander
    order = {line.id: i / len(lines) for i, line in enumerate(lines)} if labelled else {}
    # a report's narration about a party ranks after what the parties are said to say
    notes.positions.sort(key=lambda p: -_telling(p.text, centrality[p.evidence[0]])
                         - 0.6 * (1 - order.get(p.evidence[0], 1)) + (1.0 if p.evidence[-1] in narrated else 0))
    by_id = {line.id: line for line in lines}
    if labelled or not notes.quotes:
        # a transcript has no quote marks (but for what its speakers quote): its speakers'
        # sharpest short sentences are the quotes
        own_words |= {p.evidence[0] for p in interview.positions if p.actor != PRESS}  # refusals too
        first_person: set[str] = set()
        if not labelled and author and len(sides_in(title or "")) < 2:
            # a statement in its author's first person: 'we urge the Security Council to ...'
            # (not one of two governments': its 'we' is more than the one named first)
            first_person = {p.evidence[-1] for p in notes.positions if p.actor == author
                            and re.search(r"\b(?:we|our|us)\b", p.text, re.I)}
        elif not labelled and not author:
            # no named author, but a government speaking of itself: 'The United States will
            # continue to use all our tools ...' (no quote marks: not a reporter's sentence)
            first_person = {p.evidence[-1] for p in notes.positions if p.side and p.actor == p.side
                            and re.search(r"\b(?:our|us)\b", p.text, re.I) and not quoted_spans(p.text)}
        own_words |= first_person
        speaker_of = {p.evidence[-1]: p.actor for p in notes.positions if p.evidence[-1] in own_words}
        said = []
        for sid, actor in speaker_of.items():
            # the sentence as said, a verbatim span: without its label and opening 'So I mean,'
            core = FILLER.sub("", strip_label(by_id[sid].text, lower)).strip()
            if len(core.split()) > 30 and (clause := _LEAD_CLAUSE.match(core)):
                core = core[clause.end():]  # 'Considering the continued violations ..., we urge ...'
            # a refusal is a hedge too, and quotable all the same
            # (an author's 'The United States will continue to use all our tools ...' is
            # its resolve, quotable as a stance is)
            if 8 <= len(core.split()) <= 30 and not _BARE_SUBJECT.match(core) \
                    and (REFUSAL.search(core) or (_STANCE.search(core) or sid in first_person and _RESOLVE.search(core))
                         and not _HEDGE.search(core)):
                said.append(Quote(speaker=actor, text=core, evidence=[sid]))
        shown = 4
        if not said and not labelled:
            # a statement with no quote marks and no 'we': its author's sharpest stance, stated
            # now, is its quote all the same ('The Committee is strongly committed to ...'), and
            # so is a signatory's declaration ('The Government of Israel stresses that ...'); a
            # report's 'Washington had insisted ...' or a readout's 'The President underscored
            # ...' is its writer's words, never a quote
            held = Counter(p.side for p in notes.positions if p.side)
            # no author named: the side that holds most of the text's positions speaks for it
            # ('The Committee decided ...', 'The Committee is strongly committed ...')
            speaking = author or next((side for side, n in held.most_common(1) if 2 * n > len(notes.positions)), None)
            for pos in notes.positions:
                core = FILLER.sub("", by_id[pos.evidence[0]].text).strip()
                if len(pos.evidence) > 1 or not 8 <= len(core.split()) <= 30 or quoted_spans(core) \
                        or _REPORTED.search(core) or _HEDGE.search(core) or not _STANCE.search(core) \
                        or re.search(r"\b(?:we|our|us)\b", core, re.I):  # (a 'we' is the branch above's)
                    continue
                if speaking in (pos.actor, pos.side) and _PRESENT_STANCE.search(core) and not _NARRATED.match(core):
                    said.append(Quote(speaker=speaking, text=core, evidence=pos.evidence))
                elif pos.side and (declared := _DECLARES.match(core)) and pos.side.lower() in declared.group().lower():
                    said.append(Quote(speaker=pos.side, text=core, evidence=pos.evidence))
            shown = 1  # (the one sharpest: a statement's own lines are its positions already)
        said.sort(key=lambda q: -_sharpness(q.text))
        notes.quotes = said[:shown] + notes.quotes
    notes.actors = list(actors.values())
    holding = {p.actor for p in notes.positions} | {p.side for p in notes.positions if p.side}
    spoken = [name for a in notes.actors if a.name in holding or a.side in holding
              for name in (a.name, a.side or a.name, *a.aliases)]
    # (not the governments a preamble lists as issuing the text: they are its voice)
    notes.named = named_parties([line for line in lines if not _PREAMBLE.match(line.text)], parties, spoken, lower)
    # a defendant the prosecution's account names is a party, whether or not he speaks
    notes.named[:0] = [Point(text=name, evidence=[sid]) for name, sid in defendants.items()
                       if not any(name in s or s in name for s in spoken)]
    hints = ([title] if title else []) + [lines[0].text]
    texts = [line.text for line in lines] + [line.heading for line in lines if line.heading] + ([title] if title else [])

    def opening_side(clause: str) -> str | None:
        if party := subject_party(clause, parties, lower):
            return title_case(party.side, lower)
        opening = sides_in(" ".join(clause.split()[:3]))
        if len(opening) == 1:
            return opening[0]
        # 'Zelenskyy has long demanded ..., but ...': a person the text has placed on a side
        first = re.sub(r"^(?:the|but|and|however),?\s+", "", clause.strip(), flags=re.I).split()[:1]
        found = [a.side for a in actors.values() if a.side and first and first[0] in a.name.split()]
        if len(set(found)) == 1:
            return found[0]
        # 'governments such as Britain and Sweden expressing openness ...': the sides its
        # subject lists, together
        subject = re.match(r"(?:[\w’'.\-]+\s+){0,4}?(?:[A-Z][\w’'.\-]*\s+)*and\s+(?:the\s+)?[A-Z][\w’'.\-]*"
                           r"(?:\s+[A-Z][\w’'.\-]*)*", clause.strip())
        listed = sides_in(subject.group(0)) if subject and not lower else []
        return " and ".join(listed) if len(listed) >= 2 else None

    # 'Peru wants Chile to pay for the damage, while Chile says it owes nothing': a sentence
    # that sets two sides against each other is their dispute, and each clause is the
    # position of the side it opens with (not the whole sentence the last speaker's)
    contrasts = contrasted_stances(notes.positions, opening_side, texts)[:2]
    split = {s.evidence[0] for d in contrasts for s in d.stances}
    notes.positions = [p for p in notes.positions if p.evidence[-1] not in split] + [
        Position(actor=s.side, side=s.side, text=s.text, evidence=list(s.evidence)) for d in contrasts for s in d.stances]
    # 'Soto accused Chile of violating the boundary.' / 'Rojas denied the charge.': the answer
    # and what it answers are a dispute
    answered = rebuttals(notes.positions, texts, position_of)
    notes.disputes = find_disputes(notes.positions, names=list(actors), hints=hints,
                                   fallback=not (contrasts or answered))
    for dispute in notes.disputes:
        dispute.issue = label_issue(dispute.issue, texts)
    for found in (contrasts, answered):  # each where no dispute above already shows its sentences
        taken = {i for d in notes.disputes for s in d.stances for i in s.evidence}
        notes.disputes[:0] = [d for d in found if not taken & {i for s in d.stances for i in s.evidence}][:2]
    if plea := plea_dispute(notes.positions):
        notes.disputes.insert(0, plea)
    if vote := split_vote(voted_against):
        notes.disputes.insert(0, vote)
    taken = {i for d in notes.disputes for s in d.stances for i in s.evidence}
    for exchange in interview.disputes:
        if len(notes.disputes) < NOTE_LIMITS["disputes"] and not taken & {i for s in exchange.stances for i in s.evidence}:
            if exchange.issue.islower():  # a topic word, not the name the question asks about
                exchange.issue = label_issue(exchange.issue, texts)
            notes.disputes.append(exchange)
            taken |= {i for s in exchange.stances for i in s.evidence}
    targets = {p.name: p.side for p in parties} | {s: s for line in lines for s in sides_in(line.text)}
    notes.disputes += one_sided_charges(notes.positions, targets, notes.disputes, texts,
                                        limit=max(0, NOTE_LIMITS["disputes"] - len(notes.disputes)))
    told = [line for line in lines if line.id not in asked and len(line.text.split()) >= 6] or lines
    if labelled and notes.positions:
        # a transcript opens with a question and small talk: its lead is what was done there
        # ('(The Memorandum of Understanding was signed.)'), then its most telling answer
        done = [line.id for line in lines if line.text.startswith("(") and line.text.rstrip().endswith(")")
                and any(a.evidence == [line.id] for a in notes.agreements)]
        # (its most telling answer wherever it stands: the early-answer preference orders the
        # positions shown, not what the briefing was about; never a question)
        answer = max((p for p in notes.positions if p.actor != PRESS), default=notes.positions[0],
                     key=lambda p: _telling(p.text, centrality[p.evidence[0]]))
        # ('Today, Iran launched nearly 200 ballistic missiles ...' in the briefer's opening
        # words: what happened, which a party did, leads before any answer)
        news = [line.id for line in lines if line.id not in asked and _done_by_party(strip_label(line.text, lower))][:1]
        first = done[:1] + news + [next((i for i in answer.evidence if i not in asked), answer.evidence[-1])]
        told = [line for sid in first for line in lines if line.id == sid] + [line for line in told if line.id not in first]
    if len(told) > 1 and not _DATED_ACT.search(told[0].text) and not _PAST.search(told[0].text):
        # 'Stopping the flow of drugs ... is one of our highest priorities. Today, the United
        # States sanctioned ...': a framing line, then the news, which leads
        news = next((line for line in told[1:3] if _DATED_ACT.match(line.text) and _PAST.search(line.text)), None)
        if news:
            told = [news] + [line for line in told if line is not news]
    # the lead's companions must stand alone: not 'That's not the way ...'
    ranked = sorted([line for line in told[1:] if not _BARE_SUBJECT.match(
        FILLER.sub("", strip_label(line.text, lower)).strip())], key=lambda line: -centrality[line.id])
    lead = [told[0]] + ranked[:2]
    if ANNOUNCED_UNNAMED.search(told[0].text):
        # 'announced the sentencing of a Montgomery man': the sentence after it says who, and to what
        at = position_of[told[0].id] + 1
        after = lines[at] if at < len(lines) else None
        if after is not None and after.id not in asked:
            lead = [told[0], after] + [line for line in ranked if line is not after][:1]
    # 'I hereby identify ...', 'I hereby designate ...': what an executive act does is its lead;
    # 'the Committee decided to lower the target range ...': what a body decided
    acts = [line for line in told if _OPERATIVE.search(line.text)] if author else []
    acts = acts or [line for line in told[:12] if _DECIDED.search(line.text)
                    and (subject_party(line.text, parties, lower) or sides_of.get(line.id))][:1]
    if acts:
        lead = acts[:2] + [line for line in lead if line not in acts[:2]][:1]
    if refers_to_group(lead[0].text):
        # 'The participants decided to ...': who they are is in the sentence before that names
        # the parties ('Australia, the United Kingdom, and the United States ... held'), which leads
        at = position_of[lead[0].id]
        namer = next((line for line in reversed(lines[:at]) if line.id not in asked and joint_subject(line.text)), None)
        if namer is not None:
            lead = [namer, lead[0]] + [line for line in lead[1:] if line is not namer][:1]
    notes.key_points = [Point(text=line.text, evidence=[line.id]) for line in lead]
    # Notes are read again by later steps: keep each list to what a one-page brief can use,
    # the positions shared fairly between sides, the quotes that read as quotes first.
    _backfill_positions(notes, lines, centrality, parties, author, asked | listed, lower)
    notes.positions = _round_robin(notes.positions, NOTE_LIMITS["positions"])
    notes.quotes.sort(key=lambda q: (not (lower or q.text[:1].isupper()),  # whole utterances first
                                     not 8 <= len(q.text.split()) <= 40, -centrality[q.evidence[0]]))
    holders = {} if lower else office_holders([line.text for line in lines])
    for step in notes.next_steps:  # 'the president will travel ...': the President the text names
        step.actor = holders.get(re.sub(r"^the\s+", "", step.actor, flags=re.I).lower(), step.actor)
    notes.next_steps = _varied_steps(notes.next_steps)
    notes.agreements = settled_first(notes.agreements)
    for name, cap in NOTE_LIMITS.items():
        setattr(notes, name, getattr(notes, name)[:cap])
    return notes


_ENCOUNTER = re.compile(r"\b(?:met|meets|meeting|spoke|speaks|visited|arrived|travell?ed|welcomed|hosted)\b", re.I)
BACKFILL_TO = 6  # positions a brief should have before the engine's rules are trusted to have found all


def _backfill_positions(notes: Notes, lines: list[Line], centrality: dict, parties, author: str | None,
                        skip: set[str], lower: bool) -> None:
    """A text the rules read little of (minutes, a fact sheet, a statement in the third
    person) still has its central sentences: each one nothing else cites, whose subject is a
    party (or, in a text with one voice, that voice's), becomes that party's position."""
    if len(notes.positions) >= BACKFILL_TO:
        return
    used = skip | {i for item in [*notes.positions, *notes.agreements] for i in item.evidence} \
        | {i for d in notes.disputes for s in d.stances for i in s.evidence}
    held = Counter(p.side for p in notes.positions if p.side)
    voice = author or (held.most_common(1)[0][0] if len(held) == 1 else None)
    for line in sorted(lines, key=lambda line: -centrality[line.id]):
        if len(notes.positions) >= BACKFILL_TO:
            break
        text = FILLER.sub("", line.text).strip()
        if line.id in used or len(text.split()) < 8 or text.endswith("?") or _BARE_SUBJECT.match(text) \
                or _PREAMBLE.match(text) or _WEB_CHROME.search(text) \
                or _ENCOUNTER.search(text) and not _STANCE.search(text) \
                or refers_to_group(text):  # ('X met his counterpart'): no stance; ('The two leaders ...'): both's
            continue
        party = subject_party(text, parties, lower)
        side = title_case(party.side, lower) if party else voice
        if side:
            notes.positions.append(Position(actor=title_case(party.name, lower) if party else side, side=side,
                                            text=text[:1].upper() + text[1:], evidence=[line.id]))


def _varied_steps(steps: list) -> list:
    """Steps in text order, but one that repeats an earlier step of the same actor dropped
    ('LAF: assume ... responsibility in pilot zones' twice) and each actor's third and later
    ones after the others: the cap keeps steps of more actors."""
    kept: list = []
    for step in steps:
        words = set(content_words(step.action))
        if not any(k.actor == step.actor and len(words & set(content_words(k.action))) >= max(1, len(words) // 2)
                   for k in kept):
            kept.append(step)
    seen: Counter = Counter()
    first, later = [], []
    for step in kept:
        seen[step.actor] += 1
        (first if seen[step.actor] <= 2 else later).append(step)
    return first + later


NOTE_LIMITS = {"positions": 12, "quotes": 6, "next_steps": 6, "agreements": 5, "disputes": 3}


def _round_robin(positions: list[Position], cap: int) -> list[Position]:
    """At most ``cap`` positions, taken in turn from each side's ranked list."""
    if len(positions) <= cap:
        return positions
    queues: dict[str, list[Position]] = {}
    for pos in positions:
        queues.setdefault(pos.side or pos.actor, []).append(pos)
    # the press asks, the sides answer: its most telling question has a place, the others
    # fill only the places the sides leave
    press = queues.pop(PRESS, [])
    chosen: list[Position] = press[:1]
    press = press[1:]
    while len(chosen) < cap and any(queues.values()):
        for queue in queues.values():
            if queue and len(chosen) < cap:
                chosen.append(queue.pop(0))
    chosen += press[:cap - len(chosen)]
    keep = {id(p) for p in chosen}
    return [p for p in positions if id(p) in keep]
