"""The offline engine: structured notes from source sentences by extractive rules.

It reads only the sentences it is given and writes notes whose every item cites them, so
its output passes grounding by construction. Rules are about English news prose in
general (attribution verbs, titles, nationality words, plan and future cues), never about
one article, and they work on lower-cased text too.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ..schema import Actor, Dispute, NextStep, Notes, Point, Position, Quote, Stance
from ..text.ingest import split_sentences
from .gazetteer import canonical_token, side_words, sides_in
from .voices import document_voice, heading_voice, strip_label, transcript_label


@dataclass(frozen=True)
class Line:
    id: str
    text: str
    heading: str | None = None


SPEECH_VERBS = (
    "said|says|say|told|tells|warned|warns|urged|urges|condemned|condemns|stated|expressed|"
    "expresses|accused|accuses|added|adds|noted|stressed|stresses|emphasized|emphasised|"
    "emphasizes|emphasises|insisted|insists|argued|argues|claimed|announced|announces|declared|"
    "demanded|demands|called on|called for|calls on|calls for|vowed|vows|pledged|pledges|"
    "promised|denied|denies|rejected|rejects|criticized|criticised|criticizes|cautioned|"
    "asserted|acknowledged|confirmed|confirms|reiterated|underscored|underscores|pointed out|"
    "protested|deplored|opposed|welcomed|welcomes|agreed|threatened|maintained|explained|"
    "wrote|tweeted|replied|responded|countered|complained|praised|blamed|suggested|proposed|"
    "signaled|signalled|conceded|admitted|revealed|believes|believed|thinks|explains|"
    "accuse|insist|warn|demand|reject|deny|urge|argue|claim|maintain|oppose|condemn|vow|pledge"
)
_VERB_RE = re.compile(r"\b(" + SPEECH_VERBS + r")\b", re.IGNORECASE)
_TOKEN_RE = re.compile(r"[\w’'.\-]+|[^\w\s]")

# Words that make a noun phrase a speaker description rather than a name.
ROLE_WORDS = set("""
spokesperson spokesman spokeswoman spokespeople secretary minister ministry president
vice official officials councilor councillor counselor ambassador envoy director chairman
chairwoman chair chief leader leaders premier chancellor general senator governor mayor
prime foreign state department office agency administration government commander adviser
advisor diplomat diplomats representative representatives lawmaker lawmakers negotiator
negotiators side sources source analyst analysts expert experts police prosecutor
prosecutors lawyer lawyers attorney judge court authorities authority officer officers
spokesperson’s ministers counterpart counterparts counsel attorney-general
council committee commission embassy military army navy force forces media newspaper
king queen prince emperor pope bishop ceo founder executive manager coach captain
delegation team member members residents witnesses witness researchers scientists
""".split())
MODIFIERS = set("senior top former deputy acting interim chief foreign local military "
                "defence defense national federal regional state-run official".split())
STOP = set("""
a an the and or but if then so of to in on at by for with from as that this these those
it its is are was were be been being has have had do does did not no nor than too very can
could would should will shall may might must also just only about after before over under
into out up down off again further once here there when where why how all any both each
few more most other some such own same which who whom whose what while because until
during through between against above below his her their our your my we they he she i
you me him them us one two three said says according however although though since yet
mr mrs ms dr new s t like such don didn doesn isn aren wasn won can couldn wouldn shouldn let
""".split())
PRONOUNS = {"he", "she", "they", "it", "we", "i"}
GENERIC_TOPIC_WORDS = set("""
side sides issue issues country countries time times year years people way part week
weeks month months day days statement statements official officials government meeting
talks relationship relations position positions matter need reason number first last
important international major minister president secretary state states foreign also
told called saying made make added thing things world according press reporters
conference interview spokesperson spokesman department ministry sovereign strategic
never always still even much many well back today yesterday saturday sunday monday
like such just very really
tuesday wednesday thursday friday always going think know want need thing lot sure
""".split())

PLAN_VERBS = ("decide|announce|release|publish|hold|host|meet|visit|travel|send|convene|sign|"
              "resume|vote|submit|present|respond|return|launch|begin|start|open|deliver|"
              "review|introduce|unveil|issue|appoint|withdraw|deploy|impose|lift|extend")
_QUOTE_PAIRS = [("“", "”"), ('"', '"'), ("‘", "’"), ("`", "'")]
_NEXT_CUES = [
    (re.compile(r"\b(?:is|are|was|were)\s+(?:scheduled|due|slated)\s+to\b", re.I), "scheduled"),
    (re.compile(r"\b(?:will|shall|is set to|are set to|plans to|plan to|intends to|"
                r"is planning to|are planning to|is going to|are going to)\b", re.I), "scheduled"),
    (re.compile(r"\b(?:is|are|was|were)\s+expected\s+to\b|\bwould soon\b|\bwill soon\b|"
                r"\bis likely to\b|\bare likely to\b|\bwould(?= (?:" + PLAN_VERBS + r")\b)", re.I),
     "expected"),
]
# A dated event in the present tense: "when the talks resume November 20".
_DATED_EVENT = re.compile(
    r"\b(?P<actor>(?:the\s+)?(?:talks|negotiations|meeting|meetings|summit|hearing|trial|sentencing|vote|"
    r"election|elections|visit|trip|session|conference|court|strike|deadline))\s+"
    r"(?P<action>(?:resume|resumes|begin|begins|start|starts|reconvene|reconvenes|open|opens|"
    r"take place|takes place|is set|are set|is scheduled|are scheduled|is due|are due|is expected|"
    r"are expected|is happening|ends|end)\b[^.;!?]*?\b(?:on\s+|in\s+|by\s+|for\s+)?"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan\.|feb\.|aug\.|sept?\.|oct\.|nov\.|dec\.|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|next\s+(?:week|month|year))[\w ,.-]{0,20}?)(?=[,.;!?]|$)", re.I)
_TIMING_RE = re.compile(
    r"\b(soon|shortly|imminently|tomorrow|tonight|next\s+(?:week|month|year|weekend|monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday)|later\s+this\s+(?:week|month|year)|"
    r"this\s+(?:week|weekend|month|year)|within\s+[\w\s]{1,20}?(?:days|weeks|months)|"
    r"(?:in|on|by|before|after|until)\s+(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)(?:\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?)?(?:,?\s+\d{4})?|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
    r"\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?(?:,?\s+\d{4})?|"
    r"(?:after|before|by|until|ahead of)\s+(?:the\s+)?[\w’'\- ]{2,40}?(?=[,.;]|$)|"
    r"on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", re.I)
_TIME_WORDS = set("january february march april may june july august september october november "
                  "december monday tuesday wednesday thursday friday saturday sunday week month "
                  "year today yesterday tomorrow".split())
_MONTHS = {m: i for i, m in enumerate("january february march april may june july august "
                                      "september october november december".split(), 1)}
_DATE_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b|\b(" + "|".join(_MONTHS) +
                      r")\s+(\d{1,2}),?\s+(\d{4})\b", re.I)
_AGREE_RE = re.compile(
    r"\b(?:(?:both|the two|all)\s+(?:\w+\s+){0,2}(?:agreed|agree|pledged|committed|vowed)|"
    r"(?:agreed|agree) (?:to (?:work|cooperate|resume|hold|continue|meet|establish|keep|maintain|"
    r"extend|expand|restore|set up|create|launch|form)|on (?:a|an|the)\b)|"
    r"reached (?:a|an|the)? ?(?:\w+ )?(?:agreement|deal|consensus|understanding|accord)|"
    r"signed (?:a|an|the)? ?(?:\w+ )?(?:agreement|deal|accord|treaty|memorandum|declaration)|"
    r"(?:agreement|deal|consensus) (?:was|has been|had been) reached|joint statement|"
    r"(?:it was|it has been|have|has|both sides|they|leaders|ministers)\s+agreed|"
    r"\b\w+ and (?:\w+\s+){1,4}agreed (?:that|to|on))\b", re.I)
_NEGATION_RE = re.compile(r"\b(no|not|never|failed to|without|n’t|n't|refused)\b", re.I)
_TRAILING_ATTRIBUTION = re.compile(
    r"[,;]?\s*(?:[”\"’']\s*)?,?\s*(?:according to [^,.]+|(?:the\s+)?[\w’'.\- ]{1,60}?\s+"
    r"(?:said|says|added|told [\w\s]{1,30}?|wrote|tweeted)(?:\s+(?:in|on|at)\s+[^,.]{1,40})?)"
    r"\s*[.!]?\s*$", re.I)
_INVERTED_ATTRIBUTION = re.compile(
    r"(?:[,;]\s*|[”\"’']\s*,?\s*)(?:said|says|added|explained|explains|wrote)\s+(?:the\s+)?"
    r"[\w’'.\- ]{1,40}?\s*[.!]?\s*$", re.I)
_DATELINE = re.compile(r"^\s*(?:[A-Z][A-Za-z .,]{0,40}\s*)?\(\s*\w[\w ]{0,20}\)\s*[-—–]+\s*|"
                       r"^\s*[A-Z]{3,}[A-Z ,.]{0,30}\s*[-—–]+\s*")


def is_lower_cased(lines: list[Line]) -> bool:
    letters = "".join(line.text for line in lines)
    upper = sum(1 for ch in letters if ch.isupper())
    alpha = sum(1 for ch in letters if ch.isalpha())
    return alpha > 0 and upper / alpha < 0.01


def content_words(text: str) -> list[str]:
    words = []
    for raw in re.findall(r"[a-z][a-z’'\-]*", text.lower().replace("’s", "").replace("'s", "")):
        for word in raw.split("-"):
            word = re.split(r"[’']", word.strip("’'"))[0]  # "we’re" -> "we", "don’t" -> "don"
            if len(word) < 3 or word in STOP:
                continue
            if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
                word = word[:-1]
            words.append(canonical_token(word))
    return words


# ---------------------------------------------------------------- speakers and sides


@dataclass
class Speaker:
    name: str
    description: str
    side: str | None


@dataclass
class _Context:
    lower: bool
    full_names: Counter = field(default_factory=Counter)  # "Wang Yi" -> mentions
    name_sides: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=dict)
    role_sides: dict[str, str] = field(default_factory=dict)  # 'official' -> last side seen
    last_speaker: Speaker | None = None
    last_person: Speaker | None = None


def _is_namey(token: str, lower: bool) -> bool:
    if not token[:1].isalnum():
        return False
    if lower:
        return token.lower() not in STOP or token.lower() in {"s", "u."}
    return token[0].isupper() or token.lower() in ROLE_WORDS or token.lower() in MODIFIERS


def _split_description(tokens: list[str], lower: bool) -> tuple[str, str]:
    """('Chinese Foreign Ministry Spokesperson Wang Wenbin') -> (name, description)."""
    last_role = -1
    for i, tok in enumerate(tokens):
        bare = tok.lower().rstrip(".").replace("’s", "").replace("'s", "")
        if bare in ROLE_WORDS or bare in MODIFIERS or sides_in(tok) or tok.endswith(("’s", "'s")):
            last_role = i
    name_tokens = tokens[last_role + 1:]
    if lower:
        name_tokens = name_tokens[-3:]
    if not name_tokens or (not lower and not all(t[0].isupper() for t in name_tokens)):
        return " ".join(tokens), " ".join(tokens)
    return " ".join(name_tokens), " ".join(tokens[: last_role + 1])


def _phrase_before(prefix: str, lower: bool) -> list[str]:
    tokens = _TOKEN_RE.findall(prefix)
    phrase: list[str] = []
    for tok in reversed(tokens):
        low = tok.lower()
        if not phrase and (low.endswith("ly") or low in {"also", "then", "later", "again",
                                                         "further", "had", "has", "have"}):
            continue
        if low in {"of", "for"} and phrase and phrase[0][0].isupper():
            phrase.insert(0, tok)
            continue
        if low in PRONOUNS and not phrase:
            return [low]
        if not _is_namey(tok, lower) or len(phrase) >= 7:
            break
        if lower and low in _TIME_WORDS | {"today", "tonight"}:
            break  # 'where he was due to appear today accused ...': a time is nobody
        if lower and (len(phrase) >= 5 or (low.endswith(("ed", "ing")) and low not in ROLE_WORDS
                                           and not sides_in(" ".join([tok, *phrase])))):
            break  # no capitals to go by: keep lower-cased subjects short and verb-free
        phrase.insert(0, tok)
    while phrase and phrase[0].lower() in {"of", "for", "and", "the", "a", "an", "this", "that"}:
        phrase.pop(0)
    return phrase


def _phrase_after(suffix: str, lower: bool) -> list[str]:
    tokens = _TOKEN_RE.findall(suffix)
    if tokens and tokens[0].lower() in {"the", "a", "an"}:
        tokens = tokens[1:]
    phrase: list[str] = []
    for tok in tokens:
        if not _is_namey(tok, lower) or len(phrase) >= 6:
            break
        phrase.append(tok)
    return phrase


def _title(text: str, lower: bool) -> str:
    if not lower:
        return text
    return " ".join(w if w in {"of", "for", "and", "at", "from", "in", "on", "the"} else w[:1].upper() + w[1:]
                    for w in text.split())


def _resolve_name(name: str, ctx: _Context) -> str:
    """'Wang' -> 'Wang Yi' when a longer known name carries it (the most mentioned wins)."""
    if " " in name:
        return name
    matches = [(count, full) for full, count in ctx.full_names.items()
               if name.lower() in full.lower().split() and full.lower() != name.lower()]
    if not matches:
        return name
    matches.sort(key=lambda m: (-m[0], m[1]))
    full = matches[0][1]
    ctx.aliases.setdefault(full, set()).add(name)
    return full


def _speaker_phrase(text: str, match: re.Match, lower: bool) -> list[str]:
    """Tokens naming who speaks through the verb at ``match`` ([] when none)."""
    prefix = text[: match.start()].rstrip()
    prefix = re.sub(r"\s+and\s+(?:its|their|his|her)\s+(?:allies|partners|supporters|backers)$", "", prefix)
    before = _phrase_before(prefix, lower)
    if before:
        return before
    tail = re.split(r"[.!?;]", text[match.end():])[0]
    if prefix.endswith(",") and len(tail.split()) > 6:
        # an appositive subject: 'the hospital's chief executive, tom reyes, said the ...'
        # or 'Tom Moriarty, Albertsons' General Counsel, said, ...'
        inner = prefix[:-1].rstrip()
        first, comma, described = inner.rpartition(",")
        person = _phrase_before(first, lower) if comma else []
        roles = [t for t in _TOKEN_RE.findall(described) if t.lower() not in STOP and t[:1].isalnum()]
        if _is_person_name(person, lower) and any(t.lower().rstrip(".") in ROLE_WORDS for t in roles):
            return roles + person  # 'Tom Moriarty, Albertsons' General Counsel and Chief Policy Officer,'
        name = _phrase_before(inner, lower)
        if name:
            head = inner[: inner.rfind(name[0])].rstrip()
            other = _phrase_before(head[:-1], lower) if head.endswith(",") else []
            if other and _is_person_name(other, lower) and not _is_person_name(name, lower):
                return name + other  # description, then the name it describes
            return other + name
    if re.search(r"[,”\"’']$", prefix):
        return _phrase_after(text[match.end():], lower)  # '..., said Wang.'
    return []


def _is_person_name(tokens: list[str], lower: bool) -> bool:
    """'Tom Moriarty': two or three capitalised words, none of them a role or a side."""
    return 2 <= len(tokens) <= 3 and all(
        (lower or t[:1].isupper()) and t.lower().rstrip(".") not in ROLE_WORDS and not sides_in(t)
        and not t.lower().endswith(("’s", "'s")) for t in tokens)


def _org_side(description: str) -> str | None:
    """'union president' -> 'Union', "the hospital's chief executive" -> 'Hospital'."""
    tokens = description.split()
    for i, tok in enumerate(tokens):
        bare = re.sub(r"(?:’s|'s|’|')$", "", tok).lower()
        if bare in ROLE_WORDS or bare in MODIFIERS or bare in STOP or not bare.isalpha():
            continue
        possessive = tok.lower().endswith(("’s", "'s"))
        before_role = i + 1 < len(tokens) and tokens[i + 1].lower().rstrip(".") in ROLE_WORDS
        if possessive or before_role:
            return bare[:1].upper() + bare[1:]
    return None


def find_speaker(text: str, ctx: _Context) -> tuple[Speaker | None, int]:
    """The speaker of an attributed statement in ``text`` and where its verb stands."""
    quoted = _quoted_spans(text)
    for match in _VERB_RE.finditer(text):
        if any(a <= match.start() < b for a, b in quoted):
            continue
        if match.group(1).lower() == "agreed" and not re.match(r"\s+(?:that|to|on|with)\b", text[match.end():]):
            continue  # 'the companies' agreed merger': an adjective, nobody speaking
        if re.match(r"\s+of\b", text[match.end():]):
            continue  # 'he was accused of fraud': said of him, not by him
        before = _speaker_phrase(text, match, ctx.lower)
        if not before:
            continue
        if before == [before[0]] and before[0] in PRONOUNS:
            # 'he'/'she' is a person: the last named speaker, not 'police' or 'officials'
            person = before[0] in {"he", "she"}
            speaker = ctx.last_person if person else ctx.last_speaker
            if speaker is None:
                continue
            return speaker, match.start()
        if not re.search(r"\.\w\.$", before[-1]):  # 'Wang.' ends the sentence; 'U.S.' keeps its dot
            before[-1] = before[-1].rstrip(".")
        name, description = _split_description(before, ctx.lower)
        name = _resolve_name(name, ctx)
        side = (sides_in(description) or [None])[0] if description != name else None
        side = side or ctx.name_sides.get(name) or (sides_in(name) or [None])[0]
        if side is None and description != name:
            side = _org_side(description)
        if side and name != description:
            ctx.name_sides.setdefault(name, side)
        head = (description.split() or [""])[-1].lower()
        if side is None and name == description:  # 'the senior official': the last one with a side
            side = ctx.role_sides.get(head)
        elif side is not None and name == description:
            ctx.role_sides[head] = side
        speaker = Speaker(_title(name, ctx.lower), description, side)
        return speaker, match.start()
    return None, -1


_ROLES = "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
_MENTION_RE = re.compile(
    r"(?P<desc>(?:[\w’'.]+\s+){0,4}?(?i:" + _ROLES + r"))\s+(?P<name>(?:[A-Z][\w’'\-]+\s?){2,3})")
# Every mention holds a role word, blank space and a capital; most lines hold none, and this
# one-pass check spares them _MENTION_RE, which tries its role words up to five times per position.
_MENTION_HINT = re.compile(r"(?i:" + _ROLES + r")\s+[A-Z]")


def _collect_names(lines: list[Line], ctx: _Context) -> None:
    """First pass: full names after role words, and the side their description gives."""
    for line in lines:
        if not _MENTION_HINT.search(line.text):
            continue
        for m in _MENTION_RE.finditer(line.text):
            name = m.group("name").strip()
            name = re.sub(r"(?:\s+(?:And|Said|Says|The|Remarks|Statement|Press|Briefing|Interview|Call|"
                          r"Meeting|Visit|Readout|Speech|Holds|Meets))+$", "", name)
            while name.split() and name.split()[0].lower() in ROLE_WORDS:  # 'Councilor Wang Yi'
                name = name.split(" ", 1)[1] if " " in name else ""
            if len(name.split()) < 2:
                continue
            ctx.full_names[name] += 1
            side = (sides_in(line.text[max(0, m.start() - 20): m.start("name")]) or [None])[0]
            after = re.match(r"\s+of\s+(?:the\s+)?([\w’'. ]{2,40})", line.text[m.end("name"):])
            side = side or (sides_in(after.group(1)) or [None])[0] if after else side
            if side and name not in ctx.name_sides:
                ctx.name_sides[name] = side
    for line in lines:  # speakers' own full names ('..., says sarah flower')
        for match in _VERB_RE.finditer(line.text):
            before = _speaker_phrase(line.text, match, ctx.lower)
            if before and before[0] not in PRONOUNS:
                before[-1] = before[-1].rstrip(".") if not re.search(r"\.\w\.$", before[-1]) else before[-1]
                name, description = _split_description(before, ctx.lower)
                if name != description and len(name.split()) >= 2:
                    ctx.full_names[_title(name, ctx.lower)] += 1
    text = "\n".join(line.text for line in lines)  # names hold no newline: the same counts, one scan each
    for name in list(ctx.full_names):
        ctx.full_names[name] += text.count(name)  # all mentions count


# ---------------------------------------------------------------- quotes


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for open_q, close_q in _QUOTE_PAIRS:
        start = 0
        while True:
            a = text.find(open_q, start)
            if a < 0:
                break
            b = text.find(close_q, a + 1)
            if open_q == "‘" and b >= 0 and b + 1 < len(text) and text[b + 1].isalpha():
                start = b + 1  # an apostrophe, not a closing quote
                continue
            if b < 0:
                b = len(text)
            spans.append((a + 1, b))
            start = b + 1
    return spans


def find_quotes(text: str) -> list[str]:
    quotes = []
    for a, b in _quoted_spans(text):
        inner = text[a:b].strip().rstrip(",").strip()
        if len(inner.split()) >= 4:
            quotes.append(inner)
    return quotes


def compress_statement(text: str) -> str:
    """Drop a dateline and a trailing attribution (", the official said.") from a statement."""
    text = _DATELINE.sub("", text)
    match = _TRAILING_ATTRIBUTION.search(text) or _INVERTED_ATTRIBUTION.search(text)
    if not match:
        return text
    trimmed = text[: match.start()].rstrip().rstrip(",;")
    if len(trimmed.split()) < max(6, len(text.split()) // 3):
        return text
    removed = text[match.start():].lstrip(",; ")
    closing = removed[0] if removed[:1] in ("”", '"', "’") else ""
    if trimmed.endswith(("”", '"')):  # '... again,”' lost its comma inside the quote
        closing, trimmed = trimmed[-1], trimmed[:-1].rstrip(",")
    if not trimmed.endswith((".", "!", "?")):
        trimmed += "."
    return trimmed + closing


# ---------------------------------------------------------------- next steps


def _subject_before(prefix: str, lower: bool) -> str | None:
    prefix = re.sub(r",\s*(?:who|which)\b[^,]*,\s*$", " ", prefix)
    prefix = re.sub(r"^.*\b(?:that|and|but)\s+", "", prefix)
    phrase = _phrase_before(prefix, lower)
    if not phrase or phrase[0] in PRONOUNS:
        return None
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
    timing = match.group(0).strip()
    rest = (action[: match.start()] + action[match.end():]).strip(" ,")
    return re.sub(r"\s{2,}", " ", rest) or action, timing


def _iso_date(text: str) -> str | None:
    match = _DATE_RE.search(text)
    if not match:
        return None
    if match.group(1):
        return f"{match.group(1)}-{match.group(2)}-{match.group(3)}"
    month = _MONTHS[match.group(4).lower()]
    return f"{int(match.group(6)):04d}-{month:02d}-{int(match.group(5)):02d}"


_NOT_ACTORS = frozenset("there it this that what which who these those everything nothing something".split())
# 'will always be', 'will see', 'will not': no action anyone committed to
_NOT_AN_ACTION = re.compile(r"(?:be|always|never|also|not|see|have|get|happen|remain|continue to be)\b(?!\s+\w+ing\b)", re.I)


def find_next_steps(line: Line, lower: bool, speaker: Speaker | None) -> list[NextStep]:
    steps: list[NextStep] = []
    quoted = _quoted_spans(line.text)
    for cue, certainty in _NEXT_CUES:
        for match in cue.finditer(line.text):
            if any(a <= match.start() < b for a, b in quoted):
                continue
            prefix = line.text[: match.start()]
            actor = _subject_before(prefix, lower)
            if actor is None and speaker is not None:
                # 'we will ...' in a statement or a transcript turn: the speaker commits
                person = re.search(r"\b(we|i)(?:’|')?\s*$", prefix, re.I)
                if person or certainty != "scheduled":
                    actor = speaker.side or speaker.name if person and person.group(1).lower() == "we" \
                        else speaker.name
            action = re.split(r"[;!?]|\.(?:\s|$)|,\s+(?!\d{4}|[A-Z][\w-]+(?:\s+(?:on|in|by|at|next|from)\b|[.;]|$))"
                              r"|,\s*[”\"]", line.text[match.end():])[0].strip()
            action = re.sub(r"^be\s+(?=\w+ing\b)", "", action)
            if actor is None or len(action.split()) < 2 or len(action.split()) > 30 \
                    or actor.lower() in _NOT_ACTORS or _NOT_AN_ACTION.match(action):
                continue
            action, timing = _split_timing(action)
            steps.append(NextStep(actor=_title(actor, lower), action=action, timing=timing,
                                  date=_iso_date(line.text[match.start():]),
                                  certainty=certainty, evidence=[line.id]))
            break
        if steps:
            break
    if not steps and (match := _DATED_EVENT.search(line.text)):
        action, timing = _split_timing(match.group("action").strip())
        actor = re.sub(r"^the\s+", "", match.group("actor"), flags=re.I)
        steps.append(NextStep(actor=actor[:1].upper() + actor[1:], action=action, timing=timing,
                              date=_iso_date(line.text), certainty="scheduled", evidence=[line.id]))
    # Demands ("urged X to ...") and worries ("is considering ...") are positions, not steps.
    return steps


# ---------------------------------------------------------------- disputes


def _own_words(pos: Position) -> str:
    """A position's own sentence: without the antecedent brought in to explain its 'it'."""
    if len(pos.evidence) < 2:
        return pos.text
    spans = split_sentences(pos.text)
    return pos.text[spans[-1][0]:] if spans else pos.text


_SPEECH_WORDS = frozenset(w for verb in SPEECH_VERBS.split("|") for w in content_words(verb))


def find_disputes(positions: list[Position], limit: int = 4, names: list[str] = (),
                  hints: list[str] = ()) -> list[Dispute]:
    """Disputes: subjects on which positions of two or more sides meet."""
    by_side: dict[str, list[tuple[Position, set[str]]]] = {}
    for pos in positions:
        side = pos.side or pos.actor
        by_side.setdefault(side, []).append((pos, set(content_words(_own_words(pos)))))
    if len(by_side) < 2:
        return []
    excluded = set(GENERIC_TOPIC_WORDS) | _SPEECH_WORDS  # a subject, never 'demanded' or 'warned'
    for side in by_side:
        excluded |= side_words(side) | {canonical_token(w) for w in side_words(side)}
        excluded |= set(content_words(side))
    for name in [*names, *(p.actor for p in positions)]:  # people are not subjects
        excluded |= set(content_words(name))
    used: set[int] = set()
    disputes: list[Dispute] = []
    at_odds = bool(hints) and _CONFLICT_RE.search(" ".join(hints)) is not None  # 'traded accusations'
    for _ in range(limit * 3):
        if len(disputes) >= limit:
            break
        score: Counter = Counter()
        sides_of: dict[str, set[str]] = {}
        for side, items in by_side.items():
            counts = Counter(w for pos, words in items if id(pos) not in used for w in words
                             if w not in excluded)
            for word, count in counts.items():
                score[word] += min(count, 3)
                sides_of.setdefault(word, set()).add(side)
        candidates = [(s, w) for w, s in score.items() if len(sides_of[w]) >= 2 and s >= 3]
        if not candidates:
            break
        candidates.sort(key=lambda c: (-c[0], c[1]))
        topic = candidates[0][1]
        excluded.add(topic)
        picked = [next(pos for pos, words in items if topic in words and id(pos) not in used)
                  for side, items in by_side.items()
                  if any(topic in words and id(pos) not in used for pos, words in items)]
        if not (at_odds or any(_CONFLICT_RE.search(p.text) for p in picked)
                or sum(bool(_NEGATION_RE.search(p.text)) for p in picked) >= 2):
            continue  # sides speaking on one subject without a word of disagreement: no dispute
        used.update(id(p) for p in picked)
        stances = [Stance(side=p.side or p.actor, text=p.text, evidence=list(p.evidence)) for p in picked]
        stances.sort(key=lambda s: -len(by_side[s.side]))
        disputes.append(Dispute(issue=topic, stances=stances))
    paired = {frozenset(s.side for s in d.stances) for d in disputes if len(d.stances) == 2}
    for dispute in _accusations(by_side, used, excluded):
        # a charge between two sides that no dispute above already sets against each other
        if len(disputes) < limit and not any(frozenset(s.side for s in dispute.stances) <= p for p in paired):
            disputes.append(dispute)
    if not disputes and hints and _CONFLICT_RE.search(" ".join(hints)):
        fallback = _main_topic_dispute(by_side, hints, excluded)
        if fallback:
            disputes.append(fallback)
    return disputes


_CONFLICT_RE = re.compile(
    r"\b(?:accus\w*|reject\w*|denied|denies|deny|clash\w*|disput\w*|condemn\w*|protest\w*|"
    r"critici[sz]\w*|oppos\w*|blam\w*|refus\w*|dismiss\w*|rebuff\w*|retaliat\w*|"
    r"tension\w*|standoff|at odds|feud\w*|row over|spat|fail\w* to agree|split over)\b", re.I)


def _accusations(by_side: dict, used: set[int], excluded: set[str]) -> list[Dispute]:
    """'The United States accuses Iran of seeking a bomb' / 'Iran insists its program is
    peaceful': one side's charge against another that names it, and the named side's
    statement sharing most of its subject words."""
    found = []
    for side, items in by_side.items():
        for pos, words in items:
            if id(pos) in used or not _CONFLICT_RE.search(pos.text):
                continue
            for other in sides_in(pos.text):
                answers = [(len((words & w) - excluded), p) for p, w in by_side.get(other, []) if id(p) not in used]
                shared, answer = max(answers, key=lambda a: a[0], default=(0, None))
                if other == side or answer is None or shared < 1:
                    continue
                topic = sorted((words & set(content_words(answer.text))) - excluded)[0]
                used.update({id(pos), id(answer)})
                found.append(Dispute(issue=topic, stances=[Stance(side=side, text=pos.text, evidence=list(pos.evidence)),
                                                           Stance(side=other, text=answer.text, evidence=list(answer.evidence))]))
                break
    return found


def _is_plan(text: str) -> bool:
    return any(cue.search(text) for cue, _ in _NEXT_CUES)


def _main_topic_dispute(by_side: dict, hints: list[str], excluded: set[str]) -> Dispute | None:
    """When the lead says the sides are at odds but their statements share no word, the
    dispute is the lead's main subject, with each of the two main sides' first position."""
    hint_words = Counter(w for h in hints for w in content_words(h) if w not in excluded)
    if not hint_words:
        return None
    everything = Counter(w for items in by_side.values() for _, words in items for w in words)
    topic = max(hint_words, key=lambda w: (hint_words[w] + everything[w], w))
    main = sorted(by_side, key=lambda side: -len(by_side[side]))[:2]
    stances = []
    for side in main:
        # the side's statement on the topic, else its sharpest, else its first
        items = by_side[side]
        pos = next((p for p, words in items if topic in words and not _is_plan(p.text)), None) or \
            next((p for p, _ in items if _CONFLICT_RE.search(p.text)), None) or \
            next((p for p, words in items if topic in words), items[0][0])
        stances.append(Stance(side=side, text=pos.text, evidence=list(pos.evidence)))
    return Dispute(issue=topic, stances=stances)


def label_issue(topic: str, texts: list[str]) -> str:
    """A readable label for a topic word: its most frequent short phrase in ``texts``."""
    grams: Counter = Counter()
    first_seen: dict[str, int] = {}
    for text in texts:
        tokens = re.findall(r"[\w’'\-]+", text)
        lowered = [t.lower() for t in tokens]
        # which tokens are the topic, worked out once per token rather than once per n-gram
        is_topic = [canonical_token(w.replace("’s", "")) == topic or w.rstrip("s") == topic for w in lowered]
        for n in (2, 3):
            for i in range(len(tokens) - n + 1):
                if not any(is_topic[i: i + n]):
                    continue
                gram = tokens[i: i + n]
                low = lowered[i: i + n]
                if low[0] in STOP or low[-1] in STOP or any(w in {"said", "and", "or"} for w in low) \
                        or low[0] in _TIME_WORDS or low[-1] in _TIME_WORDS:
                    continue
                phrase = " ".join(gram)
                grams[phrase] += 1
                first_seen.setdefault(phrase, len(first_seen))
    if not grams:
        return topic[:1].upper() + topic[1:]
    best = sorted(grams, key=lambda p: (-grams[p], len(p.split()), not p.lower().startswith(topic),
                                        first_seen[p]))[0]
    return best[:1].upper() + best[1:]


# ---------------------------------------------------------------- the engine


_STANCE = re.compile(
    r"\b(?:must|should|will not|won[’']t|cannot|can[’']t|unacceptable|illegal|insist\w*|demand\w*|refus\w*|"
    r"reject\w*|oppos\w*|support\w*|condemn\w*|warn\w*|accus\w*|violat\w*|threat\w*|never|breach\w*|"
    r"deplor\w*|protest\w*|agree\w*|commit\w*|goal|aim|objective|priority|concern\w*|has to|have to|"
    r"needs? to|not (?:our|the [\w’']+|their|its) (?:job|role|responsibility))\b", re.I)
_HEDGE = re.compile(r"\b(?:we[’']ll see|we will see|i[’']m not sure|i don[’']t know|i don[’']t think|"
                    r"i haven[’']t|inaudible|that[’']s what)\b", re.I)


def _telling(text: str, centrality: float) -> float:
    """How much a statement tells a reader: central to the text, a stance (must, reject,
    warn...), a side named, a number; hedges and short asides tell little."""
    score = 2 * centrality + 0.8 * bool(_STANCE.search(text)) + 0.6 * bool(sides_in(text))
    score += 0.4 * bool(re.search(r"\d", text)) - 1.5 * bool(_HEDGE.search(text))
    return score - (len(text.split()) < 10) - 0.5 * (len(text.split()) > 45)


def _centrality(lines: list[Line]) -> dict[str, float]:
    words = {line.id: set(content_words(line.text)) for line in lines}
    df: Counter = Counter(w for ws in words.values() for w in ws)
    scores = {}
    for line in lines:
        ws = words[line.id]
        scores[line.id] = sum(math.log(df[w]) for w in ws if df[w] > 1) / (1 + math.sqrt(len(ws)))
    top = max(scores.values(), default=0.0) or 1.0
    return {sid: value / top for sid, value in scores.items()}


_FILLER = re.compile(r"^(?:(?:yeah|yes|no|well|look|so|okay|ok|and|but|i mean|you know|again|now)\b[,.]?\s+)+", re.I)
_GREETING = re.compile(r"^\W*(?:just\s+)?(?:met|meeting|spoke|speaking|talked)\s+(?:with|to)\b|^\W*(?:thank you|thanks|good (?:morning|afternoon|evening))\b", re.I)


_ORG_SUFFIX = re.compile(r"(?:\s+(?:companies|company|inc|corp|corporation|co|ltd|llc|plc|group|holdings)\.?)+$", re.I)


def _org_key(name: str) -> str:
    return _ORG_SUFFIX.sub("", re.sub(r"^the\s+", "", name.strip(), flags=re.I)).lower().rstrip("’'s")


def _merge_org_sides(positions: list[Position], actors: list[Actor]) -> None:
    """'Albertsons Companies' (the dateline's author) and 'Albertsons' (its counsel's
    employer) are one side: the name first seen stands for both."""
    first: dict[str, str] = {}
    for item in [*positions, *actors]:
        if item.side:
            item.side = first.setdefault(_org_key(item.side), item.side)


def _is_agreement(text: str) -> bool:
    """An agreement reached, not one missed: no negation in the five words before it
    ('failed to reach an agreement', 'did not agree')."""
    match = _AGREE_RE.search(text)
    if not match:
        return False
    before = " ".join(re.findall(r"[\w’']+", text[: match.start()])[-5:] + [match.group(0)])
    return not _NEGATION_RE.search(before)


def _turn_statement(text: str, lower: bool) -> str | None:
    """A transcript or statement sentence as a position, or None when it says too little
    (a question, a greeting, a few words)."""
    text = _DATELINE.sub("", _FILLER.sub("", strip_label(text, lower))).strip()
    if text.endswith("?") or len(text.split()) < 8 or _GREETING.search(text):
        return None
    return text[:1].upper() + text[1:]


def _says_little(text: str) -> bool:
    """'Blinken said, “Just met with ...' : an attribution around a greeting or meeting."""
    quoted = _quoted_spans(text)
    inner = text[quoted[0][0]:quoted[0][1]] if quoted else ""
    return bool(inner) and _GREETING.search(inner) is not None and len(inner.split()) <= 12


def extract_notes(lines: list[Line], title: str | None = None) -> Notes:
    if not lines:
        return Notes()
    lower = is_lower_cased(lines)
    ctx = _Context(lower=lower)
    _collect_names(lines + ([Line("title", title)] if title else []), ctx)
    centrality = _centrality(lines)
    notes = Notes()
    actors: dict[str, Actor] = {}
    prev_speaker: Speaker | None = None
    turn: Speaker | None = None  # the transcript speaker whose turn this is
    in_question = False
    asked: set[str] = set()  # questions: nobody's position, never the lead
    labelled = False  # a transcript: its turns are labelled with their speakers
    own_words: set[str] = set()  # sentences a transcript speaker says in their own words
    previous: Line | None = None
    recent: list[Line] = []  # the last three sentences, for antecedents
    sides_of: dict[str, str | None] = {}  # sentence id -> the side of who says it
    author = document_voice(title, lines[0].text)
    for line in lines:
        label = transcript_label(line.text, lower)
        labelled = labelled or label is not None
        if label:
            in_question = label[1]
            turn = None if in_question else _label_speaker(label[0], ctx)
            ctx.last_person = ctx.last_speaker = turn or ctx.last_speaker
        if in_question or line.text.rstrip().endswith("?"):
            asked.add(line.id)
        if in_question:
            continue  # a reporter's question is not anybody's position
        spoken = strip_label(line.text, lower) if label else line.text
        speaker, _ = find_speaker(spoken, ctx)
        voice = heading_voice(line.heading) or author
        if speaker and speaker.side is None and line.heading:
            heading_sides = sides_in(line.heading)
            if len(heading_sides) == 1:
                speaker = Speaker(speaker.name, speaker.description, heading_sides[0])
        text = compress_statement(spoken) if speaker else None
        if speaker is None and (turn or voice):
            # a transcript turn, or a statement or readout speaking in its own voice
            speaker = turn or Speaker(voice, voice, voice)
            text = _turn_statement(spoken, lower)
            if turn and text:
                own_words.add(line.id)
        elif speaker and speaker.side is None and prev_speaker and prev_speaker.name == prev_speaker.side \
                and _GOVERNMENT_ROLE.search(speaker.description):
            # 'Iran says ... . Foreign Minister Zarif told reporters ...': the minister of the
            # country just quoted (a change of side would name the new one: 'Russian Foreign Minister')
            speaker = Speaker(speaker.name, speaker.description, prev_speaker.side)
        if speaker:
            ctx.last_speaker = speaker
            if not _is_role(speaker.name) and not speaker.side == speaker.name:
                ctx.last_person = speaker
            actor = actors.setdefault(speaker.name, Actor(name=speaker.name, side=speaker.side))
            actor.side = actor.side or speaker.side
            if line.id not in actor.evidence:
                actor.evidence.append(line.id)
        if speaker and text and not _says_little(spoken) and not _is_agreement(spoken):
            # 'He said ...' -> 'Sergei Vershinin said ...': a brief's reader has no antecedent
            text = re.sub(r"^(?:He|She|he|she)(?= (?:" + SPEECH_VERBS.replace(" ", r"\s") + r")\b)",
                          speaker.name, text)
            evidence = [line.id]
            antecedent = None
            if _BARE_SUBJECT.match(text):  # 'It must never happen again.': the sentence before says what "it" is
                antecedent = previous
            elif _BARE_OBJECT.search(text) and len(text.split()) < 16:
                # '... rejected the accusation.': the other side's last charge or demand
                antecedent = next((seen for seen in reversed(recent) if sides_of.get(seen.id) != speaker.side
                                   and (_STANCE.search(seen.text) or _CONFLICT_RE.search(seen.text))), previous)
            if antecedent is not None and antecedent.id not in asked:
                text = f"{_FILLER.sub('', strip_label(antecedent.text, lower))} {text}"
                evidence = [antecedent.id, line.id]
            notes.positions.append(Position(actor=speaker.name, side=actor.side, text=text, evidence=evidence))
        quote_speaker = speaker or (prev_speaker if line.text.lstrip()[:1] in "“\"‘`" else None)
        if quote_speaker:
            for quote in find_quotes(line.text):
                notes.quotes.append(Quote(speaker=quote_speaker.name, text=quote, evidence=[line.id]))
        notes.next_steps.extend(find_next_steps(line, lower, speaker))
        if _is_agreement(line.text):
            notes.agreements.append(Point(text=compress_statement(spoken), evidence=[line.id]))
        prev_speaker = speaker or (prev_speaker if quote_speaker else None)
        previous = line
        recent = (recent + [line])[-3:]
        if speaker:
            sides_of[line.id] = speaker.side
    for name, actor in actors.items():
        actor.aliases = sorted(ctx.aliases.get(name, set()))
        if actor.side is None:
            actor.side = ctx.name_sides.get(name)
    for pos in notes.positions:
        pos.side = pos.side or actors[pos.actor].side
    _merge_org_sides(notes.positions, list(actors.values()))
    # most telling first: a brief shows the head of each list
    notes.positions.sort(key=lambda p: -_telling(p.text, centrality[p.evidence[0]]))
    if not notes.quotes:
        # a transcript has no quote marks: its speakers' sharpest short sentences are the quotes
        notes.quotes = [Quote(speaker=p.actor, text=p.text, evidence=p.evidence) for p in notes.positions
                        if p.evidence[0] in own_words and 8 <= len(p.text.split()) <= 30 and _STANCE.search(p.text)
                        and not _HEDGE.search(p.text) and _verbatim_in(p.text, lines, p.evidence[0])][:4]
    notes.actors = list(actors.values())
    hints = ([title] if title else []) + [lines[0].text]
    notes.disputes = find_disputes(notes.positions, names=list(actors), hints=hints)
    texts = [line.text for line in lines] + [line.heading for line in lines if line.heading]
    for dispute in notes.disputes:
        dispute.issue = label_issue(dispute.issue, texts + ([title] if title else []))
    told = [line for line in lines if line.id not in asked and len(line.text.split()) >= 6] or lines
    if labelled and notes.positions:
        # a transcript opens with a question and small talk: its lead is its most telling answer
        first = notes.positions[0].evidence[0]
        told = [line for line in told if line.id == first] + [line for line in told if line.id != first]
    ranked = sorted(told[1:], key=lambda line: -centrality[line.id])
    lead = [told[0]] + ranked[:2]
    notes.key_points = [Point(text=line.text, evidence=[line.id]) for line in lead]
    # Notes are read again by later steps: keep each list to what a one-page brief can use,
    # the positions shared fairly between sides, the quotes that read as quotes first.
    notes.positions = _round_robin(notes.positions, NOTE_LIMITS["positions"])
    notes.quotes.sort(key=lambda q: (not (lower or q.text[:1].isupper()),  # whole utterances first
                                     not 8 <= len(q.text.split()) <= 40, -centrality[q.evidence[0]]))
    for name, cap in NOTE_LIMITS.items():
        setattr(notes, name, getattr(notes, name)[:cap])
    return notes


NOTE_LIMITS = {"positions": 12, "quotes": 6, "next_steps": 6, "agreements": 3, "disputes": 3}


def _round_robin(positions: list[Position], cap: int) -> list[Position]:
    """At most ``cap`` positions, taken in turn from each side's ranked list."""
    if len(positions) <= cap:
        return positions
    queues: dict[str, list[Position]] = {}
    for pos in positions:
        queues.setdefault(pos.side or pos.actor, []).append(pos)
    chosen: list[Position] = []
    while len(chosen) < cap:
        for queue in queues.values():
            if queue and len(chosen) < cap:
                chosen.append(queue.pop(0))
    keep = {id(p) for p in chosen}
    return [p for p in positions if id(p) in keep]


# ---------------------------------------------------------------- the brief step

_CERTAINTY_ORDER = {"scheduled": 0, "expected": 1, "demanded": 2, "possible": 3}


def _sentence_case(text: str) -> str:
    text = _DATELINE.sub("", text).strip()
    return text[:1].upper() + text[1:]


def _verbatim_in(text: str, lines: list[Line], sid: str) -> bool:
    return any(line.id == sid and text in line.text for line in lines)


# A subject that needs the sentence before it: 'It ...', 'This ...', 'The move ...'.
_BARE_SUBJECT = re.compile(r"^[“\"]?(?:it|this|that|these|those|they|such|the (?:move|decision|step|plan|"
                           r"measure|incident|two sides|same))\b(?!\s+(?:is|was)\s+(?:agreed|expected))", re.I)
# '... rejected the accusation.': which accusation is in the sentence before
_BARE_OBJECT = re.compile(r"\b(?:rejected|denied|dismissed|welcomed|condemned|criticized|criticised|disputed|"
                          r"refuted|echoed|confirmed)\s+(?:the|this|that|these|those|such)\s+(?:accusations?|claims?|"
                          r"charges?|allegations?|reports?|moves?|decisions?|remarks?|comments?|proposals?|plans?|"
                          r"ideas?|demands?|offer|statement)\b|\b(?:rejected|denied|dismissed|welcomed)\s+(?:it|them)\b",
                          re.I)
_GOVERNMENT_ROLE = re.compile(r"\b(?:minister|president|premier|chancellor|spokes\w+|ambassador|envoy|"
                              r"secretary|official|diplomat|negotiator)\b", re.I)


def _label_speaker(label: str, ctx: _Context) -> Speaker:
    """'Secretary Rubio' (a transcript label) -> Marco Rubio, with his side where known."""
    tokens = label.split()
    name, description = _split_description(tokens, ctx.lower)
    name = _resolve_name(name, ctx)
    side = (sides_in(description) or [None])[0] if description != name else None
    side = side or ctx.name_sides.get(name) or (sides_in(name) or [None])[0]
    return Speaker(_title(name, ctx.lower), description, side)


def _is_role(name: str) -> bool:
    """'senior State Department official', 'Chinese side': a description, not a name."""
    words = re.findall(r"[a-z]+", name.lower())
    return all(w in ROLE_WORDS or w in MODIFIERS or w in STOP or sides_in(w) for w in words)


def compose_brief(notes: Notes) -> dict:
    """The final brief from merged notes, as the JSON a model would return."""
    from ..schema import BriefDraft, Side

    bluf_points = notes.key_points[:1]
    if bluf_points and len(bluf_points[0].text.split()) < 14 and len(notes.key_points) > 1:
        bluf_points = notes.key_points[:2]
    bluf = " ".join(_sentence_case(_FILLER.sub("", strip_label(p.text, False))) for p in bluf_points) \
        or "No statements found."
    sides: dict[str, Side] = {}
    counts: Counter = Counter()
    for pos in notes.positions:
        name = pos.side or pos.actor
        side = sides.setdefault(name, Side(name=name))
        counts[name] += 1
        if pos.actor not in side.actors and pos.actor != name:
            side.actors.append(pos.actor)
        if not any(p.evidence == pos.evidence for p in side.positions):
            side.positions.append(Point(text=pos.text, evidence=pos.evidence))
    ordered = sorted(sides.values(), key=lambda s: -counts[s.name])[:4]
    disputes = find_disputes(notes.positions, names=[a.name for a in notes.actors],
                             hints=[k.text for k in notes.key_points[:1]]) or notes.disputes
    in_disputes = {tuple(s.evidence) for d in disputes for s in d.stances}
    for side in ordered:
        # a stance shown under Disputes need not be repeated, if the side keeps two points
        rest = [p for p in side.positions if tuple(p.evidence) not in in_disputes]
        if len(rest) >= 2:
            side.positions = rest
        side.actors = [a for a in side.actors
                       if re.sub(r"^the\s+", "", a, flags=re.I).lower() != side.name.lower()]
        side.actors = [a for a in side.actors if not _is_role(a)] or side.actors
    texts = [k.text for k in notes.key_points] + [p.text for p in notes.positions]
    for dispute in disputes:
        if dispute.issue.islower() and " " not in dispute.issue:
            # the label the notes gave this topic (made with the title in view), else a new one
            known = next((d.issue for d in notes.disputes if dispute.issue in d.issue.lower()), None)
            dispute.issue = known or label_issue(dispute.issue, texts)
    bluf, bluf_ids = _with_sides(bluf, [i for p in bluf_points for i in p.evidence], ordered, disputes)
    steps = sorted(notes.next_steps, key=lambda s: _CERTAINTY_ORDER[s.certainty])
    quotes = sorted(notes.quotes, key=lambda q: abs(len(q.text.split()) - 18))
    for item in [p for side in ordered for p in side.positions] + [st for d in disputes for st in d.stances]:
        item.text = shorten(item.text)  # a page holds more items; the footer cites each sentence whole
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


_CLAUSE_END = re.compile(r",\s+(?=(?:which|who|whose|while|but|as|after|before|because|although|adding|"
                         r"saying|according)\b)|;\s+|\s+[–—]\s+")


LONG_ITEM = 34  # words: a statement longer than this shows its head clause


def shorten(text: str) -> str:
    """A long statement's head clause, up to where a 'which', 'while', semicolon or dash
    begins the next, marked with an ellipsis; whole when it has no such head of 12 words
    or more, or the cut would leave a quotation open."""
    if len(text.split()) <= LONG_ITEM:
        return text
    for match in _CLAUSE_END.finditer(text):
        head = text[: match.start()].rstrip(" ,;")
        if len(head.split()) >= 12 and head.count("“") == head.count("”") and head.count('"') % 2 == 0:
            return head + " …"
    return text


def _clause(text: str, names: list[str]) -> str | None:
    """The head clause of a statement, as a sentence, when it is short (up to 32 words,
    whole words, quotes closed) and names who speaks (one of ``names``); else None."""
    head = _CLAUSE_END.split(text, 1)[0].strip()
    head = re.sub(r"^(?:but|and|so|yet|or|also)\s+", "", head, flags=re.I)
    if not 6 <= len(head.split()) <= 32 or head.count("“") != head.count("”") or head.count('"') % 2:
        return None
    speaker_part = re.split(r"[“\"]", head, 1)[0]  # who speaks stands before the quote
    if not any(re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", speaker_part, re.I) for n in names):
        return None
    head = head[:1].upper() + head[1:]
    return head if head[-1] in ".!?”\"" else head.rstrip(",;:") + "."


def _with_sides(lead: str, ids: list[str], sides: list, disputes: list) -> tuple[str, list[str]]:
    """The bottom line: what happened (the lead), then where each of the two main sides
    stands, in a sentence of its own that names it: its stance in the first dispute, else
    its first position that does."""
    stands = []
    for side in sides[:2]:
        names = [side.name, *(a.split()[-1] for a in side.actors), *side_words(side.name)]
        names = [n for n in names if len(n) > 2]
        stance = next((s for d in disputes[:1] for s in d.stances if s.side == side.name), None)
        for point in ([stance] if stance else []) + list(side.positions):
            clause = _clause(point.text, names)
            if clause and not any(e in ids for e in point.evidence):
                stands.append((clause, point.evidence))
                break
    if len(stands) < 2:
        return lead, ids
    return " ".join([lead] + [clause for clause, _ in stands]), \
        ids + [e for _, evidence in stands for e in evidence if e not in ids]


def condense_notes(notes: Notes) -> Notes:
    """The offline reduce step: keep the better half of each list (they come ranked)."""
    def half(items: list) -> list:
        return items[: max(1, (len(items) + 1) // 2)]

    return Notes(key_points=half(notes.key_points), actors=notes.actors,
                 positions=half(notes.positions), disputes=half(notes.disputes),
                 agreements=half(notes.agreements), next_steps=half(notes.next_steps),
                 quotes=half(notes.quotes))
