"""Who acts in a sentence nobody is quoted in: the party it opens with as its subject.

Fact sheets, readouts and court statements say what the parties did ("The interim
government has restored access to ...", "The RSF attacked ...") without anyone speaking.
Such a sentence belongs to the party it opens with, before its verb: a country or body the
gazetteer knows, or an institution the text names itself: capitalised words ending in a
body word ("Rapid Support Forces", "Federal Election Commission", "The Kroger Co."), the
acronym it gives in brackets ("(RSF)"), or "the <modifier> government" (court, assembly...)
written twice, which is how lower-cased text names its bodies. A possessive ("Russia's
economy") or a longer name ("Russian Foreign Ministry spokesperson") is not the party.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import islice

from .gazetteer import sides_in
from .lexicon import NON_STATE, ROLE_WORDS, STOP, Line

_BODIES = ("court|tribunal|assembly|parliament|congress|senate|council|committee|commission|government|"
           "administration|ministry|department|agency|office|authority|forces|army|military|police|party|"
           "union|alliance|coalition|front|movement|organi[sz]ation|bank|fund|company|companies|co\\.?|"
           "inc\\.?|corp\\.?|corporation|group|delegation|board|bureau")
# Bodies of a state: their side is the country they name ("Chinese Foreign Ministry").
# Armies, parties, companies and courts are parties in their own right: a civil war's two
# sides are both 'Sudanese'.
_STATE_ORGANS = re.compile(r"^(?:government|administration|ministry|department|office|embassy|delegation)$", re.I)
_CAPITAL_NAME = re.compile(
    r"(?<![\w’'])(?:(?:The|the)\s+)?((?:(?:\d{4}|[A-Z][\w’'\-.&]*)\s+)(?:(?:of|for|and)\s+(?:the\s+)?)?"
    r"(?:[A-Z][\w’'\-.&]*\s+(?:(?:of|for)\s+(?:the\s+)?)?){0,4}(?:"
    + "|".join(alt[:1].upper() + alt[1:] for alt in _BODIES.split("|")) + r"))(?![\w])"
    r"(?:\s*\((?P<acronym>[A-Z]{2,6})\))?")
# 'Department of the Treasury', 'Ministry of Foreign Affairs', 'Court of Chancery': the body word first
_BODY_HINT = re.compile(r"\b(?:" + _BODIES + r"|secretariat|groups|rebels|militias?|movements|factions)(?![\w])")
_BODY_OF = re.compile(r"(?<![\w’'])(?:(?:The|the)\s+)?((?:Department|Ministry|Office|Bureau|Court|Council|Committee|"
                      r"Commission|Secretariat)\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w\-]*(?:\s+(?:and\s+)?[A-Z][\w\-]*){0,3}"
                      r"(?:\s+[A-Z][\w\-]*[’']s\s+[A-Z][\w\-]*)?)"  # ('... of the National People’s Congress': one name)
                      r"(?![\w’'])(?!\s*[’']s)")
# 'the Coordination and Plateforme armed groups', 'the Houthi rebels': named groups whose
# kind is written in lower case, each of them a party ('Plateforme armed groups')
_ARMED = re.compile(r"(?<![\w’'])(?:(?:The|the)\s+)?((?:[A-Z][\w’'\-]*\s+)(?:(?:and|or)\s+[A-Z][\w’'\-]*\s+)?)"
                    r"((?:armed|rebel|militant|opposition)\s+(?:groups?|movements?|factions?|forces)|rebels|militias?)\b")
_ARMED_LOWER = re.compile(r"\bthe\s+((?:[a-z][\w’'\-]*\s+)(?:(?:and|or)\s+[a-z][\w’'\-]*\s+)?)"
                          r"((?:armed|rebel|militant)\s+(?:groups?|movements?|factions?|forces))\b")
_NOT_A_NAME = frozenset("two three both all various other several many some local foreign rival main new "
                        "remaining illegal non-state".split())
_LOWER_NAME = re.compile(r"\bthe\s+((?:[a-z0-9][\w’'\-]*\s+){1,3}(?:" + _BODIES + r"))(?![\w])", re.I)
_LEAD_IN = re.compile(
    r"^\s*(?:(?:since|following|after|before|when|while|during|as|with|despite|although|under|in|on|at|"
    r"over|through|earlier|later|today|yesterday|last|this|meanwhile|however|additionally|moreover|"
    r"separately|also|since then|in addition|concurrent(?:ly)?|along|together|in line|subject to|pending|upon)\b"
    r"[^,;:]{0,90},\s*)+", re.I)
_COMPANY = re.compile(r"\s(?:co\.?|inc\.?|corp\.?|corporation|companies)$", re.I)
_WORD = re.compile(r"[\w’'.\-&]+|[^\w\s]")
# 'the union', 'the company': a notice to staff or a union's letter names its parties by
# their kind alone, again and again (a state's organs are named with their state instead)
GENERIC_BODY = re.compile(r"\bthe\s+(union|company|employer|management|board|committee|commission|council|district|university|hospital|"
                          r"school|city|county|association|league)\b(?![’'\-])(?!\s+of\b)", re.I)


PARTY = "party"  # a speaker's description when it is a party acting, not a person speaking


@dataclass(frozen=True)
class Party:
    name: str  # as the text writes it, without 'the'
    side: str  # the side it belongs to: its country for a state organ, else itself


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def _side_of(name: str) -> str:
    words = name.split()
    countries = sides_in(name)
    # 'Chinese Foreign Ministry', 'Department of the Treasury': the body word ends or opens it
    if countries and (_STATE_ORGANS.match(words[-1].rstrip(".")) or _STATE_ORGANS.match(words[0])):
        return countries[0]
    return name


class Parties(list):
    """The parties ``find_parties`` found, with the index by lower-cased name that
    ``subject_party`` looks them up in (made once per text, not once per clause)."""

    @cached_property
    def by_name(self) -> dict[str, Party]:
        return {p.name.lower(): p for p in self}


def find_parties(lines: list[Line], lower: bool) -> Parties:
    """The institutions a text names: capitalised names ending in a body word (and their
    bracketed acronyms); in lower-cased text, 'the <words> <body>' seen twice."""
    found: dict[str, Party] = {}
    seen: dict[str, int] = {}
    for line in lines:
        if not _BODY_HINT.search(line.text.lower()):
            continue  # every name below ends or opens with a body word: most sentences hold none
        for match in _LOWER_NAME.finditer(line.text):
            name = match.group(1)
            if (lower or name.islower()) and not any(w in STOP for w in name.lower().split()[:-1]):
                seen[name.lower()] = seen.get(name.lower(), 0) + 1  # 'the interim government'
                if lower and (acronym := re.match(r"\s*\(([a-z]{2,6})\)", line.text[match.end():])):
                    # 'the international criminal court (icc)': its short name, as written later
                    found.setdefault(acronym.group(1), Party(acronym.group(1).upper(), acronym.group(1).upper()))
        if lower:  # 'the coordination and plateforme armed groups': each name, once it is seen twice
            for match in _ARMED_LOWER.finditer(line.text):
                for name in re.split(r"\s+(?:and|or)\s+", match.group(1).strip()):
                    if name not in STOP and name not in _NOT_A_NAME and not sides_in(name):
                        seen[f"{name} {match.group(2)}"] = seen.get(f"{name} {match.group(2)}", 0) + 1
            continue
        for match in _ARMED.finditer(line.text):
            kind = match.group(2)
            for name in re.split(r"\s+(?:and|or)\s+", match.group(1).strip()):
                if name.lower() not in STOP and not sides_in(name):  # 'Syrian rebels' are Syria's, not a party
                    found.setdefault(f"{name} {kind}".lower(), Party(f"{name} {kind}", f"{name} {kind}"))
        for match in _BODY_OF.finditer(line.text):
            name = match.group(1)
            found.setdefault(name.lower(), Party(name, _side_of(name)))
        for match in _CAPITAL_NAME.finditer(line.text):
            name = re.sub(r"^(?:The|the)\s+", "", match.group(1)).strip()
            if len(name.split()) < 2 or name.split()[0].lower() in STOP - {"u.s."}:
                continue
            party = found.setdefault(name.lower(), Party(name, _side_of(name)))
            if match.group("acronym"):
                found.setdefault(match.group("acronym").lower(), Party(match.group("acronym"), party.side))
    generic = Counter(m.group(1).lower() for line in lines for m in GENERIC_BODY.finditer(line.text))
    for name, count in generic.items():
        if count >= 3:
            found.setdefault(name, Party(name.capitalize(), name.capitalize()))
    for name, count in seen.items():
        if count >= 2 or _COMPANY.search(name):  # 'the kroger co.': a company's suffix names it once
            found.setdefault(name, Party(name, _side_of(name)))
    text = "\n".join(line.text for line in lines)
    for key, party in list(found.items()):
        if party.side == party.name and _STATE_ORGANS.match(party.name.split()[-1]):
            # 'The Foreign Ministry ...' after 'the Mexican Foreign Ministry': Mexico's
            before = re.findall(r"([\w.’']+)\s+" + re.escape(party.name) + r"\b", text, re.I if lower else 0)
            countries = {side for word in before for side in sides_in(word)}
            if len(countries) == 1:
                found[key] = Party(party.name, countries.pop())
    return Parties(found.values())


def subject_party(text: str, parties: list[Party], lower: bool) -> Party | None:
    """The party ``text`` opens with as its subject (after a lead-in such as 'Following the
    talks,'), followed by its verb: not a possessive, not the start of a longer name. Each
    clause after a semicolon opens anew ('We welcome this; Azerbaijan has lifted ...')."""
    for clause in re.split(r";\s+", text):
        if party := _opening_party(clause, parties, lower):
            return party
    return None


_MEMBERS = {"directors", "members", "governors", "representatives", "delegates", "delegation", "delegations",
            "officials", "ministers", "leaders", "envoys", "negotiators", "trustees", "shareholders"}


def _body_named(words: list[str], lower: bool) -> Party | None:
    """'the Federal Reserve Bank of Atlanta had voted': the capitalised name a body is given,
    known to the text or not, up to its verb."""
    if lower:
        return None  # (no capitals to tell a name's end by)
    if words and words[0].lower() == "the":
        words = words[1:]
    name: list[str] = []
    for word in words:
        if _capitalised(word) or word in {"of", "and", "for", "&"} and name:
            name.append(word)
        else:
            break
    while name and name[-1] in {"of", "and", "for", "&"}:
        name.pop()
    if len(name) < len(words) and words[len(name)] == "," and "of" in name:
        name = name[:name.index("of")]  # 'the Federal Reserve Banks of Boston, Cleveland, ...': the banks
    if len(name) < 2 or len(name) == len(words) or name[-1].endswith(("’s", "'s")):
        return None
    full = " ".join(name)
    return Party(full, _side_of(full))


def _opening_party(clause: str, parties: list[Party], lower: bool) -> Party | None:
    clause = _LEAD_IN.sub("", clause, count=1)
    words = [m.group() for m in islice(_WORD.finditer(clause), 8)]  # the first 8 only
    if words and words[0].lower() == "the":
        words = words[1:]

    def ends_subject(k: int) -> bool:
        after = words[k].lower()
        if after in {"’s", "'s", "’", "'", "of", "and", "&", "-", "–"} or after.startswith(("’s", "'s")):
            return False  # 'Russia's economy', 'the Court of Appeals', 'Iran and Oman'
        return lower or not _capitalised(words[k])  # else a longer name goes on

    by_name = parties.by_name if isinstance(parties, Parties) else {p.name.lower(): p for p in parties}
    if len(words) > 3 and words[0].lower() in _MEMBERS and words[1].lower() == "of":
        # 'The directors of the Federal Reserve Bank of Atlanta had voted ...', 'the members of
        # the Council agreed ...': those who act for a body act as that body
        rest = re.split(r"\bof\s+", clause, maxsplit=1, flags=re.I)[-1]
        return _opening_party(rest, parties, lower) \
            or _body_named([m.group() for m in islice(_WORD.finditer(rest), 10)], lower)
    for k in range(min(6, len(words) - 1), 0, -1):  # the longest name the text knows
        if (party := by_name.get(" ".join(words[:k]).lower())) and ends_subject(k):
            return party
    if lower:  # no capitals: the shortest opening that names one country
        for k in range(1, min(2, len(words) - 1) + 1):
            if words[0] in STOP and words[0] != "u.s.":
                return None  # 'neither the sudanese armed forces ...'
            if len(sides := sides_in(" ".join(words[:k]))) == 1:
                described = any(w.endswith(("’s", "'s", "’")) for w in words[:k]) or words[k] in ROLE_WORDS \
                    or words[k] in NON_STATE
                return Party(sides[0], sides[0]) if ends_subject(k) and not described else None
        return None
    k = 0
    while k < min(5, len(words) - 1) and _capitalised(words[k]) and words[k] not in {"I", "We", "It", "This"}:
        k += 1  # the capitalised name the clause opens with
    if any(w.endswith(("’s", "'s", "’")) for w in words[:k]) or k < len(words) and (
            words[k].lower() in ROLE_WORDS or words[k].lower() in NON_STATE):
        return None  # 'The BBC’s Tokyo correspondent ...', 'The Syrian rebel coalition ...': not the state
    if k and ends_subject(k) and len(sides := sides_in(" ".join(words[:k]))) == 1:
        return Party(sides[0], sides[0])
    return None


def charged_as_subject(text: str, party: Party, charge: re.Pattern) -> bool:
    """'Kroger willfully breached the agreement': a charge whose verb follows the party the
    sentence opens with, which a statement lays against that party (not 'The Security
    Council made it unlawful to ...', where the charge word is not the party's act)."""
    clause = _LEAD_IN.sub("", text, count=1)
    words = clause.split()
    reach = len(party.name.split()) + 1 + 3  # 'the', the name, then its verb and two words
    return charge.search(" ".join(words[:reach])) is not None
