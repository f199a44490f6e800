"""Next steps: commitments with an actor (will, shall, is expected to, dated events),
their timing and date. Demands and worries are positions, never steps."""

from __future__ import annotations

import re

from ..schema import NextStep
from .actions import GENERIC_BODY
from .agreements import group_named
from .gazetteer import _trie_pattern, sides_in
from .lexicon import PRONOUNS, STOP, Line, regex
from .speakers import Speaker, is_generic, last_office_holder, phrase_before, title_case
from .statements import quoted_spans

PLAN_VERBS = ("decide|announce|release|publish|hold|host|meet|visit|travel|send|convene|sign|"
              "resume|vote|submit|present|respond|return|launch|begin|start|open|deliver|"
              "review|introduce|unveil|issue|appoint|withdraw|deploy|impose|lift|extend")


# Each cue opens with a lookahead for the first letters its alternatives can start with: the
# same matches, but the regex engine tries the alternatives only where one stands (the
# third cue's seven alternatives at every position cost ~3x).
NEXT_CUES = [
    (re.compile(r"(?=[iaw])\b(?:is|are|was|were)\s+(?:scheduled|due|slated)\s+to\b", re.I), "scheduled"),
    (re.compile(r"(?<=\w)[’'](?:re|s|m)\s+going\s+to\b|"  # 'we’re going to continue to ...'
                r"(?=[wsiapcvtho])\b(?:will|shall|is set to|are set to|plans to|plan to|intends to|intend to|agreed to|"
                r"(?:their|its|his|her|our)\s+(?:intent|intention)\s+to|"  # 'affirmed their intent to convene ...'
                r"is planning to|are planning to|planned to|is going to|are going to|"
                # 'committed to work towards ...', not 'committed to the ceasefire' (a stance)
                r"(?:commit(?:ted|s)?|pledged?|vow(?:ed|s)?|promised) to"
                r"(?!\s+(?:the|a|an|its|their|our|his|her|this|that|these|those)\b))\b"
                r"|(?<=\w)[’']ll\b", re.I), "scheduled"),
    (re.compile(r"(?=[iawh’'])(?:\b(?:is|are|was|were)\s+expected\s+to\b|\bwould soon\b|\bwill soon\b|"
                r"\b(?:is|are)\s+preparing\s+to\b|"
                r"(?:\b(?:have|has)|[’']ve)\s+got\s+to\b|"  # 'We've got to stop in Portugal'
                r"\bis likely to\b|\bare likely to\b|\bwould(?= (?:" + PLAN_VERBS + r")\b))", re.I),
     "expected"),
    # 'The minister is to travel to Lima on Monday': news English for an arrangement (not
    # 'the aim is to ...', a subject that names no one: see _ABSTRACT_SUBJECT)
    (re.compile(r"(?=[ia])\b(?:is|are)\s+to\s+(?!(?:be|blame|come|say|do|thank|credit)\b)(?=[a-z]{2,}\b)", re.I),
     "scheduled"),
    # 'Both sides undertook to exchange prisoners' (a cue of its own: its first letters are
    # common ones, which the lookahead of the second cue would let through everywhere)
    (re.compile(r"(?=[ur])\b(?:undert(?:ook|akes?|aken)|resolved) to"
                r"(?!\s+(?:the|a|an|its|their|our|his|her|this|that|these|those)\b)\b", re.I), "scheduled"),
]
# Words without which no cue above can match (each cue holds one), and the nouns one of
# which a dated event below needs: sentences with none are spared the searches.
CUE_WORDS = ("will ll shall set plan plans planning intends intend intent intention agreed going scheduled due slated "
             "expected would soon likely got committed commit commits pledged pledge vowed vow vows promised undertook planned "
             "undertake undertakes undertaken resolved "
             "preparing forward").split() + ["is to", "are to"] \
    + ("directed instructed ordered tasked mandated commissioned until decided effect force upcoming forthcoming "
       "preparation preparations").split()  # (_due_step; forward: "looked forward to its signing by ...")
DATED_WORDS = ("talks negotiations meeting meetings summit hearing trial sentencing vote election elections "
               "visit trip session conference court strike deadline discussions consultations").split()
_CUE_HINT = re.compile(r"\b(?:" + _trie_pattern(CUE_WORDS) + r")\b")
_DATED_HINT = re.compile(r"\b(?:" + _trie_pattern(DATED_WORDS) + r")\b")
# A dated event in the present tense: "when the talks resume November 20".
_DATED_EVENT = re.compile(
    r"(?=[tnmshvecd])\b(?P<actor>(?:the\s+)?(?:talks|negotiations|meeting|meetings|summit|hearing|trial|sentencing|vote|"
    r"election|elections|visit|trip|session|conference|court|strike|deadline|discussions|consultations)"
    # 'Discussions on military-to-military cooperation continue today at the Pentagon'
    r"(?:\s+(?:on|about|over|with|between)\s+[\w’'\- ]{2,50}?)?)\s+"
    r"(?P<action>(?:resume|resumes|begin|begins|start|starts|reconvene|reconvenes|open|opens|continue|continues|"
    r"take place|takes place|is set|are set|is scheduled|are scheduled|is due|are due|is expected|"
    r"are expected|is happening|ends|end)\b[^.;!?]*?\b(?:on\s+|in\s+|by\s+|for\s+)?"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan\.|feb\.|aug\.|sept?\.|oct\.|nov\.|dec\.|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|next\s+(?:week|month|year)|today|tomorrow|tonight|later\s+this\s+week)[\w ,.-]{0,20}?)(?=[,.;!?]|$)", re.I)
_TIMING_RE = re.compile(
    r"\b(as\s+(?:soon|early|quickly)\s+as\s+(?:possible|practicable|feasible)|in\s+the\s+(?:coming|next\s+few|next)\s+(?:days|weeks|months)|"
    r"in\s+the\s+near\s+future|soon|shortly|imminently|tomorrow|tonight|(?:(?:early|late|mid)[\s-]+)?next\s+(?:week|month|year|weekend|monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday)|later\s+this\s+(?:week|month|year)|"
    r"this\s+(?:week|weekend|month|year)|within\s+[\w\s]{1,20}?(?:days|weeks|months|years?)|"
    r"(?:in|on|by|before|after|until)\s+(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)(?:\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?)?(?:,?\s+\d{4})?|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
    r"\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?(?:,?\s+\d{4})?|"
    r"(?:(?:in|on|by|before|after|until)\s+)?\d{1,2}(?:\s*[-–]\s*\d{1,2})?\s+(?:january|february|march|april|may|june|"
    r"july|august|september|october|november|december)(?:\s+\d{4})?|"  # '20 June', UN and European style
    r"(?:(?:in|during|by)\s+)?(?:the\s+)?(?:first|second|third|fourth|last|final|early|late)\s+(?:week|weeks|days|half)\s+"
    r"of\s+(?:january|february|march|april|may|june|july|august|september|october|november|december|next\s+month)|"
    r"(?:after|before|by|until|ahead of)\s+(?:the\s+)?[\w’'\- ]{2,40}?(?=[,.;]|$)|"
    r"on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", re.I)


# 'the union is taking a strike authorization vote next week', 'Blinken is travelling to
# Beijing on Sunday': the present progressive with a time ahead is an arrangement
_ARRANGED = re.compile(r"\b(?:is|are)\s+(?!being\b|going\b)(?P<verb>[a-z]{3,}ing)\b(?P<rest>[^.;!?]*?)\b"
                       r"(?P<when>tomorrow|tonight|next\s+(?:week|month|year|weekend|monday|tuesday|wednesday|"
                       r"thursday|friday|saturday|sunday)|later\s+this\s+(?:week|month|year)|this\s+(?:weekend|"
                       r"coming\s+\w+)|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))"
                       r"(?:\s+(?:morning|afternoon|evening|night))?\b", re.I)
_ARRANGED_HINT = re.compile(r"\b(?:tomorrow|tonight|next|later|this|on)\b")
_TO_BE_DONE = re.compile(r"(?:^|,\s*(?:with\s+)?|\bwith\s+|\band\s+)(?:the\s+)?(?P<what>(?:\d[\d,]*\s+)?(?:[\w’'\-]+\s+){0,3}?[\w’'\-]+)"
                         r"\s+(?:is|are)?\s*to\s+be\s+(?P<action>\w+ed\b[^.;!?]*)", re.I)
# What every match of _TO_BE_DONE holds, found in the lower-cased text by a literal first
# ('to'): most sentences hold none and are spared its search from every position.
_TO_BE_HINT = re.compile(r"to\s+be\s")
_MONTHS = {m: i for i, m in enumerate("january february march april may june july august "
                                      "september october november december".split(), 1)}
_DATE_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b|\b(" + "|".join(_MONTHS) +
                      r")\s+(\d{1,2}),?\s+(\d{4})\b|\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.I)


# ---------------------------------------------------------------- next steps


# 'The parties agreed to', 'Future rounds of dialogue will', 'Both delegations will': a
# common-noun subject, which names its actor as well as a proper name does
_COMMON_SUBJECT = re.compile(r"^\s*(?P<np>(?:the|both|all|each|future|further|subsequent|next|their|our|its)\s+"
                             r"(?:[\w’'\-]+\s+){0,4}?(?:parties|sides|delegations|governments|countries|leaders|"
                             r"ministers|presidents|envoys|mediators|signatories|allies|partners|powers|rounds?|talks|"
                             r"negotiators|teams?|members|states|nations)"
                             r"(?:\s+of\s+[\w’'\-]+)?)\s*$", re.I)
_VERBISH = re.compile(r"\b(?:is|are|was|were|has|have|had|said|says)\b|\w{3,}ed\b", re.I)


def _opening_subject(text: str, lower: bool) -> str | None:
    """The name a sentence opens with ('The Governments of the DRC and Rwanda expressed ...
    and agreed to ...'): the subject of every verb its clauses share."""
    tokens = re.findall(r"[\w’'.\-]+|[^\w\s]", text)
    phrase: list[str] = []
    for tok in tokens[:12]:
        if tok.lower() in {"of", "the", "and"} and phrase:
            phrase.append(tok)
        elif not lower and tok[:1].isupper():
            phrase.append(tok)
        elif lower and tok[:1].isalnum() and not _VERBISH.fullmatch(tok) and len(phrase) < 8:
            phrase.append(tok)  # no capitals to go by: the words before the first verb
        else:
            break
    while phrase and phrase[-1].lower() in {"of", "the", "and"}:
        phrase.pop()
    return " ".join(phrase) if phrase and phrase[0].lower() not in PRONOUNS | {"but", "and"} else None


# 'The two sides also committed to ...', 'The leaders further affirmed their intent to ...':
# the words between a subject and its cue, which name no one
_BETWEEN = re.compile(r"(?:\s+(?:have|has|had))?"  # 'Both sides have (also) agreed to ...'
                      r"(?:\s+(?:also|further|jointly|again|today|now|formally|publicly))*"
                      r"(?:\s+(?:affirmed|reaffirmed|expressed|declared|announced|confirmed|stated|stressed)"
                      r"(?:\s+(?:their|its|his|her|our))?)?\s*$", re.I)


def _subject_before(prefix: str, lower: bool, sentence: str = "") -> str | None:
    prefix = re.sub(r",\s*(?:who|which)\b[^,]*,\s*$", " ", prefix)
    if (between := _BETWEEN.search(prefix)).group().strip():
        prefix = prefix[: between.start()] + " "
    if re.search(r"\band\s*$", prefix) and sentence:
        # '... expressed their thanks and agreed to ...': the sentence's subject, a group's too
        # ('The two leaders reiterated ... and committed to ...')
        group = re.match(r"^\s*((?:[\w’'\-]+\s+){1,5}?)(?=[a-z]+ed\b)", sentence)
        if group and (common := _COMMON_SUBJECT.match(group.group(1))) and not _VERBISH.search(common.group("np")):
            return re.sub(r"^(?:the|their|our|its)\s+", "", common.group("np").strip(), flags=re.I)
        subject = _opening_subject(sentence, lower)
        kind = GENERIC_BODY.fullmatch(subject) if subject else None
        return kind.group(1).capitalize() if kind else subject  # 'The Committee judges ... and will ...'
    clause = re.sub(r"^.*\b(?:that|and|but)\s+", "", prefix)
    # 'I think their first official talks will begin ...': the belief frames the subject
    clause = re.sub(r"^\s*(?:i|we)\s+(?:think|believe|expect|hope|understand|anticipate)\s+", "", clause, flags=re.I)
    # 'He says both sides have agreed to ...': who says it frames the subject too
    clause = re.sub(r"^\s*(?:he|she|they|it|officials|[A-Z][\w’'\-]+)\s+(?:says|said|added|noted|told\s+\w+)\s+",
                    "", clause, flags=re.I if lower else 0)
    clause = re.sub(r"^.*,\s+", "", clause)
    left = regex(r"^(.*\S)\s+and\s+" + re.escape(clause.strip()) + r"\s*$").match(prefix) if clause.strip() else None
    partner = phrase_before(left.group(1), lower) if left else []
    if not partner or partner[0] in PRONOUNS or not left.group(1).endswith(" ".join(partner)):
        partner = []  # 'The DRC and Rwanda agreed to ...': both act
    if (common := _COMMON_SUBJECT.match(clause)) and not _VERBISH.search(common.group("np")):
        np = common.group("np").strip()
        return f"{' '.join(partner)} and {np}" if partner else re.sub(r"^(?:the|their|our|its)\s+", "", np, flags=re.I)
    if (kind := GENERIC_BODY.fullmatch(clause.strip()) or GENERIC_BODY.fullmatch(prefix.strip())) and not partner:
        return kind.group(1).capitalize()  # 'the union is taking a vote': a party named by its kind
    prefix = clause
    phrase = phrase_before(prefix, lower)
    if not phrase or phrase[0] in PRONOUNS or is_generic(prefix, phrase):
        return None
    if partner:
        return f"{' '.join(partner)} and {' '.join(phrase)}"
    # 'nurses at St. Mary's Hospital will strike': the nurses strike, not the hospital
    head = re.search(r"(?:^|\s)([A-Za-z][\w’'\-]+)\s+(?:at|of|from|for)\s*$",
                     prefix[: prefix.rfind(phrase[0])] if phrase[0] in prefix else "")
    if head and head.group(1).lower() not in STOP and not sides_in(head.group(1)):
        return f"{head.group(1)} {prefix[head.end(1):].strip()}"
    return " ".join(phrase)


def _split_timing(action: str) -> tuple[str, str | None]:
    match = _TIMING_RE.search(action)
    if not match:
        return action, None
    if not _DATE_WORD.match(match.group(0).split(" ", 1)[-1]):
        # 'before Judge Preska on March 14, 2019': the date is the time, not the judge
        later = (_TIMING_RE.match(action, at.start() - 3) or _TIMING_RE.match(action, at.start())
                 for at in _DATE_WORD.finditer(action, match.start() + 4))  # ('on ' March 14)
        match = next((m for m in later if m and _DATE_WORD.match(m.group(0).split(" ", 1)[-1])), match)
    timing = match.group(0).strip()
    rest = (action[: match.start()] + action[match.end():]).strip(" ,")
    return re.sub(r"\s{2,}", " ", rest) or action, timing


_DATE_WORD = re.compile(r"\d|\b(?:" + "|".join(_MONTHS) + r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
                        re.I)


def _iso_date(text: str) -> str | None:
    match = _DATE_RE.search(text)
    if not match:
        return None
    if match.group(1):
        return f"{match.group(1)}-{match.group(2)}-{match.group(3)}"
    if match.group(7):  # '20 June 2015'
        return f"{int(match.group(9)):04d}-{_MONTHS[match.group(8).lower()]:02d}-{int(match.group(7)):02d}"
    month = _MONTHS[match.group(4).lower()]
    return f"{int(match.group(6)):04d}-{month:02d}-{int(match.group(5)):02d}"


# 'This Framework will set out the measures ...': what a text says it does, nobody's act
_DOCUMENTS = frozenset("framework agreement statement memorandum mou annex document text declaration plan "
                       "report resolution treaty accord roadmap".split())
# 'The aim is to ...': subjects of 'is to' that say what is wanted, not who will act
_ABSTRACT_SUBJECT = frozenset("aim aims goal goals purpose objective objectives idea plan priority priorities task "
                              "point hope intention challenge answer solution way step problem question focus mission "
                              "mandate role job key thing need option alternative".split())
_NOT_ACTORS = frozenset("there it this that what which who these those everything nothing something".split())
# 'will always be', 'will see', 'will not': no action anyone committed to
_NOT_AN_ACTION = re.compile(r"[—–\-]|(?:be\b(?!\s+(?:sentenced|arraigned|tried|extradited|released|signed|held|submitted|"
                            r"published|announced|launched|convened|presented|delivered|implemented|finali[sz]ed|"
                            r"completed|issued|debated|voted|reviewed|decided|heard)\b)|always|never|also|not|see|get|"
                            r"happen|remain|continue to be|"
                            # 'will have to ...' is no plan, 'will have meetings with the Quad' is one
                            r"have\b(?!\s+(?:also\s+)?(?:(?:a|an|the|our|more)\s+)?(?:[\w-]+\s+){0,2}?"
                            r"(?:meetings?|talks|calls?|visits?|summits?|conversations?|discussions?|sessions?)\b)|"
                            r"say|tell|talk|note|add|answer|comment|ask)\b(?!\s+\w+ing\b)|"
                            # 'I’ll let you know', 'we’ll get back to you': a promise to the room
                            r"(?:let\s+(?:you|them|everyone)\s+know|keep\s+(?:you|everyone)\s+(?:posted|updated|informed)|"
                            r"get\s+back\s+to\s+(?:you|them)|(?:make\s+sure\s+to\s+)?read\s+(?:them|it|that)\s+out|"
                            # 'I’m going to let the Israelis speak to that': a deflection; 'continue to do that': no act named
                            r"let\s+(?:the\s+)?[\w’'\-]+\s+speak\s+(?:to|for)|(?:continue\s+to\s+)?do\s+(?:that|this|it|so)\s*$)\b|"
                            r"(?:start|begin|speak|respond|continue)\s+in\s+\w+\s*$", re.I)  # 'start in English'


_ACTION_END = re.compile(r"[;!?]|(?<!\b[A-Z]\.[A-Z])(?<!\b[ap]\.m)\.(?:\s|$)|,\s+(?!\d{4}|[A-Z][\w-]+(?:\s+(?:on|in|by|at|next|from)\b|[.;]|$))"
                         r"|,\s*[”\"]"
                         # '... to strengthen democratic institutions and welcomed the Summit': a second verb, in the past
                         r"|\s+and\s+(?:also\s+)?(?=(?:welcomed|reaffirmed|expressed|noted|discussed|condemned|underscored|"
                         r"stressed|emphasi[sz]ed|recogni[sz]ed|acknowledged)\b)")


# where a long action's own words end and its purpose or detail begins ('co-sign a formal
# request to the OAS Permanent Council | requesting a meeting of consultation to decide ...')
_ACTION_DETAIL = re.compile(r"\s+(?:requesting|seeking|asking|which|who|in order to|so that|including|to decide|"
                            r"to discuss|to consider|aimed at|with a view to)\b")


def _action_after(text: str, match: re.Match) -> str:
    action = _ACTION_END.split(text[match.end():], 1)[0].strip()
    if len(action.split()) > 30 and (detail := _ACTION_DETAIL.search(action)) and len(action[:detail.start()].split()) >= 4:
        action = action[:detail.start()]
    action = re.sub(r"^(?:also|then|now|again|soon)\s+", "", action, flags=re.I)  # 'we’ll also have meetings'
    if action[:1] in "“\"" and not re.search(r"[”\"]", action[1:]):
        action = action[1:]  # 'agreed to "appoint respective high-level teams ...': the quotation's opening mark
    return re.sub(r"^be\s+(?=\w+ing\b)", "", action)


def _is_action(action: str) -> bool:
    return 2 <= len(action.split()) <= 30 and not _NOT_AN_ACTION.match(action)


_NEXT_CUES_LOW = [re.compile(cue.pattern) for cue, _ in NEXT_CUES]
_IS_TO = NEXT_CUES[3][0].pattern  # ('the aim is to ...' is checked for an abstract subject)
# The cue words (CUE_WORDS) one of which each match of the cue of the same place holds, as
# a whole word: a cue is searched for only where _CUE_HINT found one of its words (the
# searches try their alternatives at every position; most cued sentences need one of three).
_CUE_NEEDS = [frozenset("scheduled due slated".split()),
              frozenset("will ll shall set plans plan planned intends intend intent intention agreed planning going "
                        "committed commit commits pledged pledge vowed vow vows promised".split()),
              frozenset("expected would soon got likely preparing".split()),
              frozenset(["is to", "are to"]),
              frozenset("undertook undertake undertakes undertaken resolved".split())]


def _cues_for(low: str, words: set[str]) -> list[tuple[re.Pattern, str, re.Pattern]]:
    """The cues (IGNORECASE pattern, certainty, pattern for the lower-cased text) whose words occur."""
    return [(cue, certainty, cue_low) for (cue, certainty), cue_low, need in zip(NEXT_CUES, _NEXT_CUES_LOW, _CUE_NEEDS)
            if need & words]


_THEY_OPENING = re.compile(r"^\s*they\b", re.I)


def may_state_step(text: str) -> bool:
    """Whether ``find_next_steps`` can read a step in a sentence of this text: a cue
    outside quotation marks followed by an action, or a dated event (who acts, which the
    reading needs too, is not checked: a select candidate may be one the engine drops)."""
    low = text.lower()
    if words := set(_CUE_HINT.findall(low)):
        # the cues on the lower-cased text (the same matches without re.IGNORECASE, faster),
        # only those whose words occur
        if len(low) == len(text):
            cues, subject = [cue_low for _, _, cue_low in _cues_for(low, words)], low
        else:
            cues, subject = [c for c, _ in NEXT_CUES], text
        quoted = quoted_spans(text) if cues else []
        for cue in cues:
            for match in cue.finditer(subject):
                if not any(a <= match.start() < b for a, b in quoted) and _is_action(_action_after(text, match)):
                    return True
    if "to be " in low and (match := _TO_BE_DONE.search(text)) and _TIMING_RE.search(match.group("action")):
        return True  # '..., with 32 new judges to be selected by December'
    if "ing" in low and _ARRANGED_HINT.search(low) and _ARRANGED.search(text):
        return True
    if "forward to" in low and _AWAITED.search(text):
        return True
    if "accept" in low and _INVITED.search(text):
        return True
    # ('They decided to ...': the engine reads who 'They' are from the sentence before)
    if words & _DUE_CUE_WORDS and _due_step(Line("", _THEY_OPENING.sub("The parties", text)), text.islower()):
        return True
    return _DATED_HINT.search(low) is not None and _DATED_EVENT.search(text) is not None


# 'looked forward to its signing by the Coordination armed groups on 20 June': an event
# the text awaits, done by the party after 'by', at the time it gives
_AWAITED = re.compile(r"\blook(?:s|ed|ing)?\s+forward\s+to\s+(?:the\s+|(?P<its>its\s+|their\s+))?"
                      r"(?P<what>[\w’'\-]+(?:\s+of\s+(?:the\s+)?[\w’'\- ]+?)?)\s+by\s+(?:the\s+)?"
                      r"(?P<actor>[\w’'\- ]+?)\s+(?=(?:on|in|by|before|after|until|at)\s+|\d)", re.I)
# the thing an 'its' stands for: the last capitalised name the clause before names
_LAST_NAME = re.compile(r".*\b(?:the|to)\s+((?:[A-Z][\w’'\-]*)(?:\s+(?:(?:on|of|and|for|in)\s+)?[A-Z][\w’'\-]*)*)", re.S)


# 'President Lula invited President Biden to visit Brazil, and President Biden accepted the
# invitation': the guest's visit, which he agreed to make
_INVITED = re.compile(r"\binvited\s+(?P<guest>(?:the\s+)?(?:[\w’'.\-]+\s+){1,4}?)to\s+(?P<action>(?:visit|attend|come\s+to|"
                      r"travel\s+to|address)\b[^,.;]*)[,;]?\s+(?:and\s+)?(?:(?:the\s+)?(?:[\w’'.\-]+\s+){1,4}?)?accepted\b", re.I)


def _accepted_invitation(line: Line, lower: bool) -> NextStep | None:
    match = _INVITED.search(line.text)
    if match is None or any(a <= match.start() < b for a, b in quoted_spans(line.text)):
        return None
    guest = re.sub(r"^the\s+", "", match.group("guest").strip(), flags=re.I)
    action, timing = _split_timing(match.group("action").strip())
    if guest.split()[0].lower() in PRONOUNS:
        return None
    return NextStep(actor=title_case(guest, lower), action=action, timing=timing, date=_iso_date(line.text),
                    certainty="expected", evidence=[line.id])


def _awaited_step(line: Line, lower: bool) -> NextStep | None:
    match = _AWAITED.search(line.text)
    if match is None or any(a <= match.start() < b for a, b in quoted_spans(line.text)):
        return None
    when = _TIMING_RE.match(_ACTION_END.split(line.text[match.end():], 1)[0])
    actor = match.group("actor").strip()
    if when is None or actor.lower() in _NOT_ACTORS or actor.split()[0].lower() in PRONOUNS:
        return None
    what = match.group("what")
    verbs = list(re.finditer(r"\b[a-z]{3,}ed\b", line.text[: match.start()]))
    done_to = line.text[verbs[-1].end(): match.start()] if verbs else ""  # what the verb before acts on
    if match.group("its") and " of " not in what and not lower and (named := _LAST_NAME.match(done_to)):
        what = f"{what} of the {named.group(1)}"  # 'its signing': of the Agreement the clause names
    return NextStep(actor=title_case(actor, lower), action=what, timing=when.group(0),
                    date=_iso_date(line.text[match.start():]), certainty="expected", evidence=[line.id])


# 'The President directed the Secretary of State to submit ...': the one directed acts
_DIRECTED = re.compile(r"\b(?:directed|instructed|ordered|tasked|mandated|commissioned)\s+(?P<actor>(?:the\s+)?"
                       r"(?:[A-Z][\w’'\-]*|of|and|for)(?:\s+(?:[A-Z][\w’'\-]*|of|and|for))*?|the\s+[a-z][\w’'\-]*"
                       r"(?:\s+[\w’'\-]+){0,3}?)\s+to\s+(?!be\b)")
_DIRECTED_LOW = re.compile(r"\b(?:directed|instructed|ordered|tasked|mandated|commissioned)\s+(?P<actor>the\s+"
                           r"(?:[\w’'\-]+\s+){0,5}?[\w’'\-]+)\s+to\s+(?!be\b)")
# 'Peru has until June 30 to respond': a deadline; 'The agreement takes effect on January 1'
_UNTIL = re.compile(r"\b(?:has|have|had)\s+(?P<when>until\s+[^,;.]{2,40}?)\s+to\s+(?!be\b)", re.I)
# 'The ministers decided to hold the next round in May': a decision about the future, so
# only with a time ahead ('decided to lower the rate' is the decision itself, done)
# 'the first verification mission scheduled for August 24 in Minembwe', 'The next round,
# scheduled for March 3 in Geneva, ...': an event set for a time, named before it
_SET_FOR = re.compile(r"(?P<actor>(?:[\w’'\-]+\s+){0,3}?(?:mission|round|meeting|talks|vote|summit|visit|session|hearing|"
                      r"conference|election|elections|trial|sentencing|negotiations|consultations|signing|ceremony))"
                      r"\s*,?\s+(?:(?:is|are|was|were)\s+)?(?:scheduled|set|slated|planned)\s+for\s+(?=\S)", re.I)
# 'John Podesta’s upcoming travel to China', 'the minister's planned visit to Lima next week'
_UPCOMING = re.compile(r"(?P<actor>(?:[A-Z][\w.\-]*\s+){0,3}[A-Z][\w.\-]*)[’']s\s+(?:upcoming|forthcoming|planned|scheduled)\s+"
                       r"(?P<what>(?:visit|trip|travel|meeting|talks|call|summit)\b[^,.;()]{0,60})")
# 'including planning for a leader-level call in the coming weeks': what is being prepared, and when
_PLANNING_FOR = re.compile(r"\b(?:planning|preparations?|plans)\s+for\s+(?P<what>(?:a|an|the)\s+[^,.;]{3,60}?)\s+"
                           r"(?P<when>in\s+the\s+(?:coming|next\s+few|next)\s+(?:days|weeks|months)|next\s+(?:week|month|year)|"
                           r"later\s+this\s+(?:week|month|year))\b")
_DECIDED_TO = re.compile(r"\bdecided\s+to\s+(?!be\b)", re.I)
_IN_FORCE = re.compile(r"\b(?:will\s+)?(?P<verb>take|come|enter)s?\s+(?P<what>effect|into\s+force|into\s+effect)\b", re.I)


# a time a decision looks ahead to: a date, a weekday, 'next month' or 'as early as possible' ('by the U.S.' is
# an agent)
# the cue words (CUE_WORDS) one of which each pattern of _due_step holds
_DUE_CUE_WORDS = frozenset("until effect force decided directed instructed ordered tasked mandated commissioned upcoming "
                           "forthcoming planned scheduled set slated planning plans preparation preparations".split())
_DIRECTIVE_WORDS = ("directed", "instructed", "ordered", "tasked", "mandated", "commissioned")


_DATE_AHEAD = re.compile(r"\d|\b(?:next|later|soon|tomorrow|within|coming|possible|practicable|feasible|" + "|".join(_MONTHS) +
                         r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)


def _due_step(line: Line, lower: bool) -> NextStep | None:
    """A directive ('directed the Secretary of State to submit the report'), a deadline
    ('Peru has until June 30 to respond') or an entry into force with its date."""
    text = line.text
    low = text.lower()
    quoted = None
    for hints, pattern in ((_DIRECTIVE_WORDS, _DIRECTED_LOW if lower else _DIRECTED), (("until",), _UNTIL),
                           (("decided",), _DECIDED_TO), (("scheduled for", "set for", "slated for", "planned for"), _SET_FOR),
                           (("effect", "force"), _IN_FORCE), (("upcoming", "forthcoming", "planned", "scheduled"), _UPCOMING),
                           (("planning for", "preparation", "plans for"), _PLANNING_FOR)):
        match = pattern.search(text) if any(hint in low for hint in hints) else None
        if match is None:
            continue
        quoted = quoted_spans(text) if quoted is None else quoted
        if any(a <= match.start() < b for a, b in quoted):
            continue
        if pattern is _UPCOMING:  # (the name, not the titles before it: 'John Podesta')
            action, timing = _split_timing(match.group("what").strip())
            return NextStep(actor=" ".join(match.group("actor").split()[-2:]), action=action, timing=timing,
                            date=_iso_date(text[match.start():]), certainty="expected", evidence=[line.id])
        if pattern is _PLANNING_FOR:
            # ('Both sides welcomed ..., including planning for a call ...': the group the sentence opens with)
            actor = group_named(text) or _subject_before(text[: match.start()], lower, text)
            if actor is None or actor.split()[0].lower() in PRONOUNS:
                return None
            return NextStep(actor=title_case(actor, lower), action=match.group("what").strip(),
                            timing=match.group("when"), date=None, certainty="expected", evidence=[line.id])
        if pattern is _SET_FOR:
            actor = re.sub(r"^(?:the|a|an|with|and|its|their)\s+", "", match.group("actor"), flags=re.I)
            action, timing = _split_timing("take place " + _ACTION_END.split(text[match.end():], 1)[0])
            if timing is None or actor.split()[0].lower() in STOP:
                return None
        elif pattern is _IN_FORCE:
            before = text[: match.start()]
            thing = re.search(r"(?:^|\b(?:the|this|that|its|their|new)\s+)((?:[\w’'\-]+\s+){0,3}?[\w’'\-]+)\s*$", before,
                              re.I)  # 'The ceasefire will come into force': a thing, not a party
            actor = _subject_before(before, lower, text) or (thing.group(1) if thing else None)
            action, timing = _split_timing(f"{match.group('verb').lower()} {' '.join(match.group('what').split())}"
                                           f"{_ACTION_END.split(text[match.end():], 1)[0]}")
            if actor is None or timing is None or actor.lower() in _NOT_ACTORS:
                return None  # 'it takes effect' names nothing; with no date, no step
        else:
            named = match.groupdict().get("actor")
            actor = named.strip() if named else _subject_before(text[: match.start()], lower, text)
            action, timing = _split_timing(_action_after(text, match))
            if pattern is _UNTIL:
                timing = match.group("when").strip()
            if actor is None or actor.lower() in _NOT_ACTORS or actor.split()[0].lower() in PRONOUNS \
                    or not _is_action(action) or pattern is _DECIDED_TO and not (timing and _DATE_AHEAD.search(timing)):
                return None
        actor = re.sub(r"^the\s+", "", actor, flags=re.I)
        return NextStep(actor=title_case(actor[:1].upper() + actor[1:], lower), action=action, timing=timing,
                        date=_iso_date(text[match.start():]), certainty="expected", evidence=[line.id])
    return None


def _arranged_step(line: Line, lower: bool) -> NextStep | None:
    """'We have heard that the union is taking a strike authorization vote next week': the
    union, 'taking a strike authorization vote', next week (not inside a quotation)."""
    match = _ARRANGED.search(line.text)
    if match is None or any(a <= match.start() < b for a, b in quoted_spans(line.text)):
        return None
    actor = _subject_before(line.text[: match.start()], lower, line.text)
    after = _ACTION_END.split(line.text[match.end():], 1)[0]  # '... next week for the signing'
    action = re.sub(r"\s{2,}", " ", f"{match.group('verb')}{match.group('rest')} {after}").strip(" ,")
    if actor is None or actor.lower() in _NOT_ACTORS or actor.lower().split()[-1] in _DOCUMENTS \
            or not _is_action(action):
        return None
    return NextStep(actor=title_case(actor, lower), action=action, timing=match.group("when"),
                    date=_iso_date(line.text[match.start():]), certainty="expected", evidence=[line.id])


_HE_OR_SHE = re.compile(r"\b(?:that\s+)?(?:he|she)\s+$", re.I)


def find_next_steps(line: Line, lower: bool, speaker: Speaker | None) -> list[NextStep]:
    steps: list[NextStep] = []
    low = line.text.lower()
    words = _CUE_HINT.findall(low)
    quoted = quoted_spans(line.text) if words else []
    # ASCII text: the cues whose words occur, on the lower-cased text (the same matches
    # as re.IGNORECASE on the text, faster); else every cue on the text
    ascii_text = line.text.isascii()
    cues = [(cue_low if ascii_text else cue, certainty) for cue, certainty, cue_low in _cues_for(low, set(words))] \
        if ascii_text else NEXT_CUES if words else []
    for cue, certainty in cues:
        for match in cue.finditer(low if ascii_text else line.text):
            if any(a <= match.start() < b for a, b in quoted):
                continue
            if not lower and match.start() > 0 and line.text[match.start()].isupper():
                continue  # 'the Joint Action Plan to Eliminate ...': a cue word inside a name
            prefix = line.text[: match.start()]
            actor = _subject_before(prefix, lower, line.text)
            if actor is None and speaker is not None:
                # 'we will ...' in a statement or a transcript turn: the speaker commits
                person = re.search(r"\b(we|i)(?:’|')?(?:\s+(?:remain|are|am|stand|also|fully))*\s*$", prefix, re.I)
                if person or certainty != "scheduled":
                    actor = speaker.side or speaker.name if person and person.group(1).lower() == "we" \
                        else speaker.name
            if actor is None and (pronoun := _HE_OR_SHE.search(prefix)) and (role := last_office_holder(prefix[:pronoun.start()])):
                actor = role  # '... remarks of the IAEA Director General, ... and noted that he plans to ...'
            action = _action_after(line.text, match)
            if actor is not None and cue.pattern == _IS_TO \
                    and re.split(r"\s(?:of|as|for|in|on)\s", actor.lower())[0].split()[-1] in _ABSTRACT_SUBJECT:
                continue  # 'The goal of the talks is to agree on quotas': an aim, no one's act
            if actor is None or not _is_action(action) or actor.lower() in _NOT_ACTORS \
                    or actor.lower().split()[-1] in _DOCUMENTS \
                    or re.fullmatch(r"[a-z]+(?:ful|ous|ive|able|ible|ly)", actor.lower()):  # 'If successful, ...'
                continue
            action, timing = _split_timing(action)
            steps.append(NextStep(actor=title_case(actor, lower), action=action, timing=timing,
                                  date=_iso_date(line.text[match.start():]),
                                  certainty=certainty, evidence=[line.id]))
            break
        if steps:
            break
    if not steps and _TO_BE_HINT.search(low) and (match := _TO_BE_DONE.search(line.text)):
        # '..., with 32 new judges to be selected by December': what is to be done, and when
        action, timing = _split_timing(f"to be {match.group('action')}")
        if timing:
            steps.append(NextStep(actor=title_case(match.group("what").strip(), lower), action=action, timing=timing,
                                  date=_iso_date(line.text[match.start():]), certainty="scheduled",
                                  evidence=[line.id]))
    if not steps and "ing" in low and _ARRANGED_HINT.search(low) and (arranged := _arranged_step(line, lower)):
        steps.append(arranged)
    if not steps and _DUE_CUE_WORDS.intersection(words) and (due := _due_step(line, lower)):
        steps.append(due)
    if not steps and "forward to" in low and (awaited := _awaited_step(line, lower)):
        steps.append(awaited)
    if not steps and "accept" in low and (invited := _accepted_invitation(line, lower)):
        steps.append(invited)
    if not steps and _DATED_HINT.search(low) and (match := _DATED_EVENT.search(line.text)):
        action, timing = _split_timing(match.group("action").strip())
        actor = re.sub(r"^the\s+", "", match.group("actor"), flags=re.I)
        steps.append(NextStep(actor=actor[:1].upper() + actor[1:], action=action, timing=timing,
                              date=_iso_date(line.text), certainty="scheduled", evidence=[line.id]))
    # Demands ("urged X to ...") and worries ("is considering ...") are positions, not steps.
    return steps
