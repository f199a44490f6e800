"""Who speaks in a sentence, and for which side: attribution verbs, titles, appositives,
names seen elsewhere in the text, transcript labels, organisations."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..schema import Actor, Position
from .gazetteer import _trie_pattern, sides_in
from .lexicon import (
    MODIFIERS,
    NON_STATE,
    PRONOUNS,
    ROLE_WORDS,
    STOP,
    TIME_WORDS,
    TOKEN_RE,
    Line,
    regex,
    verb_matches,
)
from .statements import quoted_spans

# ---------------------------------------------------------------- speakers and sides


@dataclass
class Speaker:
    name: str
    description: str
    side: str | None


@dataclass
class Context:
    lower: bool
    full_names: Counter = field(default_factory=Counter)  # "Wang Yi" -> mentions
    name_sides: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=dict)
    role_sides: dict[str, str] = field(default_factory=dict)  # 'official' -> last side seen
    panel_side: str | None = None  # the government a briefing's panel speaks for
    last_speaker: Speaker | None = None
    last_person: Speaker | None = None


_GROUP_NOUNS = frozenset("sides parties delegations countries nations governments leaders".split())


def _is_namey(token: str, lower: bool) -> bool:
    if not token[:1].isalnum():
        return False
    if lower:  # (any word may be a name: not 'both sides' after 'he says')
        return token.lower() not in STOP and token.lower() not in _GROUP_NOUNS or token.lower() in {"s", "u."}
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


def phrase_before(prefix: str, lower: bool) -> list[str]:
    tokens = TOKEN_RE.findall(prefix)
    phrase: list[str] = []
    for at in range(len(tokens) - 1, -1, -1):
        tok = tokens[at]
        low = tok.lower()
        if lower and low in {"of", "for"} and phrase and at and tokens[at - 1].lower().rstrip(".") in ROLE_WORDS:
            phrase.insert(0, tok)  # 'u.s. secretary of state marco rubio': no capitals, but an office
            continue
        if not phrase and (low.endswith("ly") or low in {"also", "then", "later", "again", "further", "had", "has",
                                                         "have", "long", "already", "still", "just", "repeatedly",
                                                         "previously", "recently", "once", "never", "always", "often",
                                                         "even"}):
            continue  # ('Zelenskyy has long demanded ...')
        if low in {"of", "for"} and phrase and phrase[0][0].isupper():
            phrase.insert(0, tok)
            continue
        if low in PRONOUNS and not phrase:
            return [low]
        if not _is_namey(tok, lower) or len(phrase) >= 7:
            break
        if lower and low in TIME_WORDS | {"today", "tonight", "days", "weeks", "months", "years", "recent", "past"}:
            break  # 'where he was due to appear today accused ...', 'in recent days have ...': a time is nobody
        if lower and (len(phrase) >= 5 or (low.endswith(("ed", "ing")) and low not in ROLE_WORDS
                                           and not sides_in(" ".join([tok, *phrase])))):
            break  # no capitals to go by: keep lower-cased subjects short and verb-free
        phrase.insert(0, tok)
    # ('But Zelenskyy has said ...': the sentence's conjunction is no part of his name)
    while phrase and phrase[0].lower() in {"of", "for", "and", "the", "a", "an", "this", "that", "but", "yet", "so",
                                           "however", "meanwhile", "still", "instead", "now", "then"}:
        phrase.pop(0)
    return phrase


def _phrase_after(suffix: str, lower: bool) -> list[str]:
    tokens = TOKEN_RE.findall(suffix)
    if tokens and tokens[0].lower() in {"the", "a", "an"}:
        tokens = tokens[1:]
    phrase: list[str] = []
    for tok in tokens:
        if not _is_namey(tok, lower) or len(phrase) >= 6:
            break
        phrase.append(tok)
    return phrase


def title_case(text: str, lower: bool) -> str:
    if not lower:
        return text
    return " ".join(w if w in {"of", "for", "and", "at", "from", "in", "on", "the"} else w[:1].upper() + w[1:]
                    for w in text.split())


def _name_parts(full: str) -> list[str]:
    """The words a person may be called by: 'Mohammed Shia’a Al-Sudani' is 'Sudani' too."""
    words = full.lower().split()
    return words + [w.split("-", 1)[1] for w in words if _ARTICLE_PREFIX.match(w)]


_ARTICLE_PREFIX = re.compile(r"(?:al|el|ad|as|ash|at|az|an|ar|abu|bin|ibn)-\w", re.I)


_HONORIFIC = re.compile(r"(?:Mr|Ms|Mrs|Dr|Director|Minister|Ambassador|Secretary|President|Governor|Senator)\.?\s+"
                        r"([A-Z][\w’'\-]+)$")


def _resolve_name(name: str, ctx: Context) -> str:
    """'Wang' -> 'Wang Yi' when a longer known name carries it (the most mentioned wins)."""
    if " " in name:
        honorific = _HONORIFIC.match(name)
        if honorific is None:
            return name
        # 'Mr. Sullivan' after 'National Security Advisor Jake Sullivan': the same man
        full = _resolve_name(honorific.group(1), ctx)
        if full != honorific.group(1):
            ctx.aliases.setdefault(full, set()).add(name)
        return full if full != honorific.group(1) else name
    matches = [(count, full) for full, count in ctx.full_names.items()
               if name.lower() in _name_parts(full) and full.lower() != name.lower() and not _HONORIFIC.match(full)]
    if not matches:
        return name
    matches.sort(key=lambda m: (-m[0], m[1]))
    full = matches[0][1]
    ctx.aliases.setdefault(full, set()).add(name)
    return full


def side_of_name(phrase: str, ctx: Context) -> str | None:
    """The side of 'President Biden', 'Prime Minister Sudani' or 'Iraq', as the text tells it."""
    if len(sides := sides_in(phrase)) == 1:
        return sides[0]
    words = phrase.split()
    return ctx.name_sides.get(_resolve_name(words[-1], ctx)) if words else None


_PAIR = re.compile(r"^\W*(?:[^,;:“”\"]{0,60},\s+)?(?P<a>(?:[A-Z][\w’'.\-]+\s+){1,4}?)and\s+"
                   r"(?P<b>(?:[A-Z][\w’'.\-]+\s+){1,4}?)(?:also\s+|further\s+|jointly\s+|today\s+)?[a-z]+ed\b")


def pair_named(text: str, ctx: Context) -> str | None:
    """'President Biden and Prime Minister Sudani renewed their commitment ...': two sides'
    leaders a sentence opens on as one subject, doing one thing together, or None."""
    if ctx.lower or " and " not in text or not (match := _PAIR.match(text)):
        return None
    a, b = side_of_name(match.group("a").strip(), ctx), side_of_name(match.group("b").strip(), ctx)
    return f"{match.group('a').strip()} and {match.group('b').strip()}" if a is not None and b is not None and a != b \
        else None


_GENERIC = re.compile(r"\b(?:some|any|every|each|no|another)\s*$", re.I)


def is_generic(prefix: str, phrase: list[str]) -> bool:
    """'some source', 'any member of Congress': a kind of person, not one who speaks or acts."""
    at = prefix.rfind(phrase[0])
    return at >= 0 and _GENERIC.search(prefix[:at]) is not None


def _person_from(prefix: str, org: list[str], lower: bool) -> list[str] | None:
    """'Korea expert Bruce Bennett from the RAND Corporation told ...': the person before
    'from'/'of'/'at' speaks, not the organisation after it."""
    at = prefix.rfind(org[0])
    head = re.match(r"(.*\S)\s+(?:from|of|at|with)(?:\s+the)?\s*$", prefix[:at], re.S) if at >= 0 else None
    person = phrase_before(head.group(1), lower) if head else []
    return person if len(person) >= 2 and _is_person_name(person[-2:], lower) else None


_NON_STATE_WORDS = "|".join(sorted(NON_STATE))


def _speaker_phrase(text: str, match: re.Match, lower: bool) -> list[str]:
    """Tokens naming who speaks through the verb at ``match`` ([] when none)."""
    prefix = text[: match.start()].rstrip()
    prefix = re.sub(r"\s+and\s+(?:its|their|his|her)\s+(?:allies|partners|supporters|backers)$", "", prefix)
    before = phrase_before(prefix, lower)
    if before and is_generic(prefix, before):
        return []  # 'because some source told you ...': nobody in particular
    if before and (group := regex(r"\b((?:[a-z]+\s+){0,2}(?:" + _NON_STATE_WORDS + r")(?:\s+[a-z]+)?)\s+"
                                  r"(?:in|of|from)\s+(?:the\s+)?" + re.escape(" ".join(before))
                                  + r"(?:\s+(?:has|have|had))?$").search(prefix)):
        return group.group(1).split()  # 'the main rebel coalition in Syria has said': the coalition
    if before and (person := _person_from(prefix, before, lower)):
        return person
    if before:
        return before
    tail = re.split(r"[.!?;]", text[match.end():])[0]
    if prefix.endswith(",") and len(tail.split()) > 6:
        # an appositive subject: 'the hospital's chief executive, tom reyes, said the ...'
        # or 'Tom Moriarty, Albertsons' General Counsel, said, ...'
        inner = prefix[:-1].rstrip()
        first, comma, described = inner.rpartition(",")
        person = phrase_before(first, lower) if comma else []
        roles = [t for t in TOKEN_RE.findall(described) if t.lower() not in STOP and t[:1].isalnum()]
        if _is_person_name(person, lower) and any(t.lower().rstrip(".") in ROLE_WORDS for t in roles):
            return roles + person  # 'Tom Moriarty, Albertsons' General Counsel and Chief Policy Officer,'
        name = phrase_before(inner, lower)
        if name:
            head = inner[: inner.rfind(name[0])].rstrip()
            other = phrase_before(head[:-1], lower) if head.endswith(",") else []
            if other and _is_person_name(other, lower) and not _is_person_name(name, lower):
                return name + other  # description, then the name it describes
            return other + name
    if re.search(r"[,”\"’']$", prefix) and match.group(1).lower() in _INVERTED:
        return _phrase_after(text[match.end():], lower)  # '..., said Wang.'
    return []


# verbs a speaker may follow ('..., said Wang.'); not 'described Kashmir a complex issue'
_INVERTED = frozenset("said says added adds told asked wrote noted continued explained replied responded "
                      "stated declared insisted argued warned announced".split())


def _is_person_name(tokens: list[str], lower: bool) -> bool:
    """'Tom Moriarty': two or three capitalised words, none of them a role or a side."""
    return 2 <= len(tokens) <= 3 and all(
        (lower or t[:1].isupper()) and t.lower().rstrip(".") not in ROLE_WORDS and not sides_in(t)
        and not t.lower().endswith(("’s", "'s")) for t in tokens)


_OF_BODY = re.compile(r",?\s+of\s+(?:the\s+)?((?:[A-Z][\w.\-]*\s){0,4}?(?:Department|Ministry|Office|Agency|"
                      r"Commission|Bureau|Division|Administration|Company|Corporation|Government))\b(?![’'\w]*\s+of\b)")
_STATE_BODY = re.compile(r"\b(?:Ministry|Government)\b")


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


ANALYSTS = "Analysts"  # the side of experts and commentators, shown after the parties
_COMMENTATOR = re.compile(r"\b(?:experts?|analysts?|professors?|researchers?|scholars?|fellows?|economists?|"
                          r"observers?|commentators?)\b", re.I)


_NOBODY_IN_PARTICULAR = frozenset("what which whichever whatever no any".split())


_DELEGATE = re.compile(r"(?:^|[,;]\s+|\s)(?P<name>[A-Z][\w’'.\-]+(?:\s+[A-Z][\w’'.\-]+){1,3})\s+"
                       r"\((?P<who>[A-Z][^()]{1,40})\)(?:,\s+[^,]{1,60},)?$")


def find_speaker(text: str, ctx: Context) -> tuple[Speaker | None, int]:
    """The speaker of an attributed statement in ``text`` and where its verb stands."""
    quoted = quoted_spans(text)
    # '"... as soon as possible," State Department spokeswoman Tammy Bruce said': the
    # attribution after a quotation names who speaks, not a verb inside what she said
    matches = verb_matches(text)
    if len(matches) > 1 and ("”" in text or '"' in text):
        matches = sorted(matches, key=lambda m: _AFTER_QUOTE.search(text, max(0, m.start() - 80), m.start()) is None)
    for match in matches:
        if any(a <= match.start() < b for a, b in quoted):
            continue
        if match.group(1).lower() == "agreed" and not re.match(r"\s+(?:that|to|on|with)\b", text[match.end():]):
            continue  # 'the companies' agreed merger': an adjective, nobody speaking
        if _SUBORDINATE.match(text) and "," not in text[: match.start()]:
            continue  # 'As officers responded, they observed ...': a clause setting the scene, no statement
        if re.match(r"\s+of\b", text[match.end():]) and match.group(1).lower() not in {"said", "says", "wrote"}:
            continue  # 'he was accused of fraud': said of him, not by him ('Trump said of ...' is his)
        if match.group(1).lower().startswith("insist") and re.match(r"\s+on\b", text[match.end():]):
            continue  # 'as long as Iran insists on controlling ...': what it does, not what it says
        if match.group(1).lower().startswith(("describ", "characteri")) \
                and not re.match(r"\s+(?:[\w’'\-]+\s+){0,8}?as\b", text[match.end():]):
            continue  # 'the licenses described above': no one describing X as Y
        if match.group(1).lower() == "thanks" and re.match(r"\s+(?:to|in part to)\b", text[match.end():]):
            continue  # 'thanks to the arrest of ...': a cause, nobody thanking
        if match.group(1).lower() == "reported" and not re.match(r"\s*(?:that|,)", text[match.end():]):
            continue  # 'X and Y reported on this story': a byline, not a statement
        prefix = text[: match.start()].rstrip()
        if ")" in prefix[-70:] and (delegate := _DELEGATE.search(prefix)):
            # 'Vassily A. Nebenzia (Russian Federation) said ...': a delegate, named with the
            # country he speaks for, as the UN's meeting coverage writes it
            side = (sides_in(delegate.group("who")) or [delegate.group("who").strip()])[0]
            ctx.name_sides.setdefault(delegate.group("name"), side)
            return Speaker(delegate.group("name"), delegate.group("who").strip(), side), match.start()
        before = _speaker_phrase(text, match, ctx.lower)
        if not before or before[-1].endswith(("’s", "'s", "’")):
            continue  # ('Ukraine’s internationally recognized territory': a possessive, not a speaker)
        if before[0].lower() in _NOBODY_IN_PARTICULAR or regex(
                r"\b(?:what|which|whichever|whatever|no|any)\s+" + re.escape(before[0]) + r"\b", re.I).search(text):
            continue  # 'I don’t know what official told you that': nobody in particular
        if before == [before[0]] and re.sub(r"[’'](?:d|ll|m|ve)$", "", before[0].lower()) in PRONOUNS:
            # ('I’d say ...': the speaker whose words these are)
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
        if side == "United Nations" and re.search(r"\bmembers?\b", f"{description} {name}", re.I):
            side = None  # 'Other Security Council members rejected ...': states, not the UN itself
        if side and NON_STATE & set(re.findall(r"[a-z]+", f"{description} {name}".lower())):
            side = None  # 'the main rebel coalition in Syria': the state's opponents, not the state
        if side is None and _COMMENTATOR.search(description):
            side = ANALYSTS  # 'Korea expert Bruce Bennett': a commentator, not a party
        if side is None and description != name:
            side = _org_side(description)
        if side is None and name != description and (at := text.find(name)) >= 0 \
                and (body := _OF_BODY.match(text, at + len(name))):
            # 'Assistant Attorney General Brian A. Benczkowski of the Justice Department’s
            # Criminal Division': the body he is of
            states = sides_in(body.group(1)) if _STATE_BODY.search(body.group(1)) else []
            side = states[0] if states else body.group(1)  # ('the Czech Foreign Ministry': the Czech Republic)
        if side and name != description:
            ctx.name_sides.setdefault(name, side)
        head = (description.split() or [""])[-1].lower()
        if side is None and name == description:  # 'the senior official': the last one with a side
            side = ctx.role_sides.get(head)
        elif side is not None and name == description:
            ctx.role_sides[head] = side
        speaker = Speaker(title_case(name, ctx.lower), description, side)
        return speaker, match.start()
    saying = _SAYING.search(text) if "ing" in text else None
    if saying and not any(a <= saying.start() < b for a, b in quoted) and (opening := _phrase_after(text, ctx.lower)):
        # 'Lavrov had a similar upbeat view of the talks, saying, “...”': the subject says it
        speaker, _ = find_speaker(" ".join(opening) + " said.", ctx)
        if speaker is not None:
            return speaker, saying.start()
    return None, -1


_SUBORDINATE = re.compile(r"\s*(?:as|when|while|after|before|once|until|since|because|if|although|though)\s", re.I)
_AFTER_QUOTE = re.compile(r"[,.!?]?[”\"]\s+(?:[\w.’'\-]+\s+){0,7}$")
_SAYING = re.compile(r",\s+(?:saying|adding|noting|insisting|warning|arguing)\b")


# The role words as a character trie (gazetteer._trie_pattern): the same matches as their
# alternation sorted longest first, without trying every word at every position.
_ROLES = _trie_pattern(ROLE_WORDS)
_MENTION_RE = re.compile(
    r"(?P<desc>(?:[\w’'.]+\s+){0,4}?(?i:" + _ROLES + r"))\s+(?P<name>[A-Z][\w’'\-]+\s(?:[A-Z]\.\s)?(?:[A-Z][\w’'\-]+\s?){1,2})")
# Every mention holds a role word, blank space and a capital; most lines hold none, and this
# one-pass check spares them _MENTION_RE, which tries its role words up to five times per position.
_MENTION_HINT = re.compile(r"(?i:" + _ROLES + r")\s+[A-Z]")
# The same test on the lower-cased line, without re.IGNORECASE: a role word (the longest
# at each position; no role word holds a blank, so a shorter one followed by blank space
# is never hidden by a longer one), then blank space and a capital in the line itself.
_ROLE_LOW = re.compile(_ROLES)
_BLANK_CAPITAL = re.compile(r"\s+[A-Z]")


def _mentions_hint(text: str) -> bool:
    low = text.lower()
    if len(low) != len(text):
        return _MENTION_HINT.search(text) is not None
    return any(_BLANK_CAPITAL.match(text, m.end()) for m in _ROLE_LOW.finditer(low))


_APPOSITION = re.compile(r"\b(?P<role>(?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+)\s+of\s+(?:the\s+)?"
                         r"(?P<place>[A-Z][\w’'.\-]*(?:\s+(?:(?:of|and|the)\s+)*[A-Z][\w’'.\-]*){0,4}?),\s+"
                         r"(?P<name>[A-Z][\w’'.\-]+(?:\s+[A-Z][\w’'.\-]+){1,3}),")


def _mention_name(m: re.Match, text: str) -> str:
    """The full name of a '<role> <Name>' mention: 'Foreign Secretary Shyam Saran' -> 'Shyam Saran'."""
    name = m.group("name").strip()
    name = re.sub(r"(?:\s+(?:And|Said|Says|The|Remarks|Statement|Press|Briefing|Interview|Call|"
                  r"Meeting|Visit|Readout|Speech|Holds|Meets))+$", "", name)
    if name.split() and name.split()[0].lower() in ROLE_WORDS:
        # 'Foreign Minister Rubén Ramírez Lezcano' read from 'Foreign': the name goes on
        longer = re.match(r"(?:[A-Z][\w’'\-]+\s?){2,5}", text[m.start("name"):])
        name = longer.group(0).strip() if longer else name
    while name.split() and name.split()[0].lower() in ROLE_WORDS:  # 'Councilor Wang Yi'
        name = name.split(" ", 1)[1] if " " in name else ""
    return " ".join(name.split()[:3])


def introduced_person(text: str, ctx: Context) -> Speaker | None:
    """'Pakistan's Foreign Secretary Riaz Khokar was leading the delegation.': a person a
    sentence opens on, though he says nothing in it; the next 'he says' is his."""
    if ctx.lower:
        return _introduced_lower(text, ctx)
    if not _mentions_hint(text):
        return None
    m = _MENTION_RE.search(text)
    if m is None or m.start() > 80 or len(name := _mention_name(m, text).split()) < 2:
        return None
    name = " ".join(name)  # (collect_names read its side already, from the same mention)
    return Speaker(name, m.group("desc").strip(), ctx.name_sides.get(name))


# lower-cased: a role word, two words that are no common words, then a verb or a comma
# ('pakistan's foreign secretary riaz khokar was leading the pakistani delegation.')
_INTRODUCED_LOWER = re.compile(r"\b(?:" + _ROLES + r")\s+(?P<name>[a-z][\w’'\-]+\s+[a-z][\w’'\-]+)"
                               r"(?:\s*,|\s+(?:was|is|has|had|led|leads|arrived|met)\b)")


def _introduced_lower(text: str, ctx: Context) -> Speaker | None:
    for m in _INTRODUCED_LOWER.finditer(text, 0, 120):
        words = m.group("name").split()
        if not any(w in STOP or w in ROLE_WORDS or w in MODIFIERS or w in _GROUP_NOUNS or sides_in(w) for w in words):
            side = (sides_in(text[: m.start()]) or [None])[-1]
            return Speaker(title_case(m.group("name"), True), text[: m.start("name")].strip(), side)
    return None


# what follows a name to say where its bearer is from: the rest of the name ('da Silva',
# 'Jr.'), then 'of (the) <place>'
_OWN_PLACE = re.compile(r"\.?(?:\s*\b(?:da|de|do|dos|das|del|della|di|van|von|der|bin|al|el)\s+[A-Z][\w’'\-]+)*"
                        r"(?:,?\s*\b(?:Jr|Sr|II|III)\.?)?\s*\bof\s+(?:the\s+)?([\w’'. ]{2,40})")


_BODY_WORD = re.compile(r"\b(?:Department|Ministry|Division|Office|Agency|Bureau|Council|Committee|Commission|"
                        r"Service)\b", re.I)


def collect_names(lines: list[Line], ctx: Context) -> None:
    """First pass: full names after role words, and the side their description gives."""
    for line in lines:
        if not _mentions_hint(line.text):
            continue
        for m in _MENTION_RE.finditer(line.text):
            name = _mention_name(m, line.text)
            if len(name.split()) < 2:
                continue
            ctx.full_names[name] += 1
            # the side nearest the name ('in Saudi Arabia with Russian Foreign Minister Sergey
            # Lavrov': Russia's, not the host's), unless the name says its own: 'President Luiz
            # Inácio Lula da Silva of the Federative Republic of Brazil' after '... of the United States and'
            side = (sides_in(line.text[max(0, m.start() - 20): m.start("name")]) or [None])[-1]
            after = _OWN_PLACE.match(line.text, m.end("name"))
            if after and not _BODY_WORD.search(after.group(1)):  # (an official 'of the Justice Department' speaks for it)
                side = (sides_in(after.group(1)) or [side])[0]
            if side and name not in ctx.name_sides:
                ctx.name_sides[name] = side
    for line in lines:
        # 'the Prime Minister of the Republic of Iraq, Mohammed Shia’a Al-Sudani, ...': the
        # name in apposition holds the office, and the office's country is its side
        if " of " not in line.text or ctx.lower:
            continue
        for m in _APPOSITION.finditer(line.text):
            if m.group("role").split()[-1].lower() in ROLE_WORDS and len(sides := sides_in(m.group("place"))) == 1:
                name = " ".join(m.group("name").split()[:4])
                ctx.full_names[name] += 1
                ctx.name_sides.setdefault(name, sides[0])
    for line in lines:  # speakers' own full names ('..., says sarah flower')
        for match in verb_matches(line.text):
            before = _speaker_phrase(line.text, match, ctx.lower)
            if before and before[0] not in PRONOUNS:
                before[-1] = before[-1].rstrip(".") if not re.search(r"\.\w\.$", before[-1]) else before[-1]
                name, description = _split_description(before, ctx.lower)
                if name != description and len(name.split()) >= 2:
                    ctx.full_names[title_case(name, ctx.lower)] += 1
    text = "\n".join(line.text for line in lines)  # names hold no newline: the same counts, one scan each
    for name in list(ctx.full_names):
        ctx.full_names[name] += text.count(name)  # all mentions count
    for line in lines:
        # 'National security adviser Mike Waltz and Middle East envoy Steve Witkoff joined Rubio
        # for the talks': those who join a delegation are on its side
        if "joined" not in line.text and "accompanied" not in line.text:
            continue
        for m in _JOINED.finditer(line.text):
            host = next((n for n in ctx.name_sides if n.split()[-1].lower() == m.group("host").lower()), None)
            for name in [n for n in ctx.full_names if n in m.group("who") and n not in ctx.name_sides]:
                if host:
                    ctx.name_sides[name] = ctx.name_sides[host]


_JOINED = re.compile(r"(?P<who>[^.;:]{3,160}?)\s+(?:joined|accompanied)\s+(?:(?:the\s+)?[\w.]+\s+){0,3}?"
                     r"(?P<host>[A-Z][\w’'\-]+)\b(?!\s+[A-Z])")


_ORG_SUFFIX = re.compile(r"(?:\s+(?:companies|company|inc|corp|corporation|co|ltd|llc|plc|group|holdings)\.?)+$", re.I)


def _org_key(name: str) -> str:
    return _ORG_SUFFIX.sub("", re.sub(r"^the\s+", "", name.strip(), flags=re.I)).lower().rstrip("’'s")


def merge_org_sides(positions: list[Position], actors: list[Actor]) -> None:
    """'Albertsons Companies' (the dateline's author) and 'Albertsons' (its counsel's
    employer) are one side: the name first seen stands for both."""
    first: dict[str, str] = {}
    for item in [*positions, *actors]:
        if item.side:
            item.side = first.setdefault(_org_key(item.side), item.side)


GOVERNMENT_ROLE = re.compile(r"\b(?:minister|president|premier|chancellor|spokes\w+|ambassador|envoy|"
                              r"secretary|official|diplomat|negotiator)\b", re.I)


def label_speaker(label: str, ctx: Context) -> Speaker:
    """'Secretary Rubio' (a transcript label) -> Marco Rubio, with his side where known."""
    tokens = label.split()
    name, description = _split_description(tokens, ctx.lower)
    name = _resolve_name(name, ctx)
    side = (sides_in(description) or [None])[0] if description != name else None
    side = side or ctx.name_sides.get(name) or (sides_in(name) or [None])[0]
    if side is None and ctx.panel_side and is_role(name):
        side = ctx.panel_side  # 'SENIOR ADMINISTRATION OFFICIAL:' at a government's briefing
    return Speaker(title_case(name, ctx.lower), description, side)


# an office holder a sentence names: 'the IAEA Director General', 'Secretary-General Ana Ruiz'
_OFFICE_HELD = re.compile(r"\b(?:[A-Z][\w’'.\-]*\s+){0,3}(?i:director[- ]general|secretary[- ]general|president|"
                          r"prime\s+minister|minister|chair(?:man|woman)?|governor|ambassador|envoy|commissioner|"
                          r"chancellor|premier|secretary)\b(?:\s+[A-Z][\w’'\-]+){0,3}")
# '... in which he expressed “': a 'he' or 'she' giving the quotation that follows
_PRONOUN_GIVES = re.compile(r"\b(?:he|she)\s+(?:\w+ly\s+)?(?:expressed|voiced|said|stressed|warned|noted|added|"
                            r"described\s+\w+\s+as|called\s+\w+)\s+[^“”\"]{0,40}?[“\"‘]?$", re.I)


# an office and the name after it: 'President Biden', 'Vice President Harris', 'Prime Minister Ana Ruiz'
_OFFICE_NAME = re.compile(r"\b(?P<office>(?:Vice\s+|Deputy\s+)?(?:President|Prime\s+Minister|Foreign\s+Minister|"
                          r"Defen[cs]e\s+Minister|Secretary\s+of\s+State|Secretary-General|Chancellor|Premier|"
                          r"Governor|Mayor))\s+(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w’'\-]+){0,2})")


def office_holders(texts: list[str]) -> dict[str, str]:
    """'the president' -> 'President Biden': each office the texts name one holder of, by the
    office as a step or position would name it bare (lower-case), with its holder's name."""
    holders: dict[str, set[str]] = {}
    for text in texts:
        if "resident" in text or "inister" in text or "ecretary" in text or "overnor" in text or "ayor" in text \
                or "hancellor" in text or "remier" in text:
            for match in _OFFICE_NAME.finditer(text):
                office = " ".join(match.group("office").split())
                holders.setdefault(office.lower(), set()).add(f"{office} {match.group('name')}")
    # one holder named in full: 'President Joseph R. Biden' and 'President Biden' are one man
    out = {}
    for office, names in holders.items():
        longest = max(names, key=len)
        if all(longest.endswith(n.split()[-1]) or n.split()[-1] in longest.split() for n in names):
            out[office] = min(names, key=len) if len(names) > 1 else longest
    return out


def last_office_holder(text: str) -> str | None:
    """The last office holder ``text`` names, who a 'he' or 'she' after it is."""
    found = list(_OFFICE_HELD.finditer(text))
    return found[-1].group(0).strip() if found else None


def quoted_office_holder(text: str, at: int) -> str | None:
    """'... remarks of the IAEA Director General, in which he expressed “satisfaction ...”':
    the office holder whose 'he' or 'she' gives the quotation starting at ``at``."""
    pronoun = _PRONOUN_GIVES.search(text, 0, at)
    holder = last_office_holder(text[: pronoun.start()]) if pronoun else None
    return holder if holder and len(holder.split()) >= 2 else None  # not a bare 'minister


def is_role(name: str) -> bool:
    """'senior State Department official', 'Chinese side': a description, not a name."""
    words = re.findall(r"[a-z]+", name.lower())
    return all(w in ROLE_WORDS or w in MODIFIERS or w in STOP or sides_in(w) for w in words)
