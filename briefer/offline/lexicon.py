"""The offline engine's words: speech verbs, role words, stop words, and the sentence
lines it reads. General English news vocabulary, never one article's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import _trie_pattern, canonical_token, per_brief_memo


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
    "protested|deplored|opposed|objected|objects|described|describes|characterized|characterised|welcomed|welcomes|agreed|threatened|maintained|explained|"
    "wrote|tweeted|replied|responded|countered|complained|praised|blamed|suggested|proposed|"
    "signaled|signalled|conceded|admitted|revealed|believes|believed|thinks|explains|"
    "accuse|insist|warn|demand|reject|deny|urge|argue|claim|maintain|oppose|condemn|vow|pledge|"
    "presented|requested|reaffirmed|highlighted|outlined|raised|recalled|recognized|recognised|"
    "pleaded|pled|pleads|alleged|alleges|thanks|thanked|reported"
)
# As a character trie (gazetteer._trie_pattern): between word boundaries at most one verb
# of the list matches at a position, so the matches are those of the plain alternation.
VERB_RE = re.compile(r"\b(" + _trie_pattern(SPEECH_VERBS.split("|")) + r")\b", re.IGNORECASE)
# The same pattern without re.IGNORECASE, for ASCII text lower-cased (offsets unchanged):
# re.IGNORECASE slows every comparison of the trie, ~3x. Only ASCII: there lower-casing
# and the regex's case folding agree character for character ('ſ' and the Kelvin sign
# fold to 's' and 'k' only under re.IGNORECASE).
_VERB_LOW = re.compile(VERB_RE.pattern)


_VERBS_SEEN: dict[str, list[re.Match]] = per_brief_memo()  # collect_names and find_speaker read a sentence each


@lru_cache(maxsize=8192)
def regex(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile`` for patterns built from a text's own names and words: a brief's worth
    of them outnumbers the re module's cache (512), which then compiles them again."""
    return re.compile(pattern, flags)


def verb_matches(text: str) -> list[re.Match]:
    """``VERB_RE.finditer(text)`` as a list: the same spans (``group(1)`` lower-cased for
    ASCII text, so callers compare it lower-cased). Callers must not change the list."""
    found = _VERBS_SEEN.get(text)
    if found is None:
        if len(_VERBS_SEEN) >= 100_000:
            _VERBS_SEEN.clear()
        found = _VERBS_SEEN[text] = list(_VERB_LOW.finditer(text.lower()) if text.isascii() else VERB_RE.finditer(text))
    return found
TOKEN_RE = re.compile(r"[\w’'.\-]+|[^\w\s]")

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
MODIFIERS = set("senior top former deputy acting interim chief foreign local military assistant associate principal "
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
including regarding concerning concern concerns raised members member urged based
never always still even much many well back today yesterday saturday sunday monday
like such just very really
tuesday wednesday thursday friday always going think know want need thing lot sure
""".split())


TIME_WORDS = set("january february march april may june july august september october november "
                  "december monday tuesday wednesday thursday friday saturday sunday week month "
                  "year today yesterday tomorrow".split())


NEGATION_RE = re.compile(r"\b(no|not|never|failed to|without|n’t|n't|refused)\b", re.I)


_ASCII_UPPER = bytes(range(65, 91))
_ASCII_LETTERS = _ASCII_UPPER + bytes(range(97, 123))


def is_lower_cased(lines: list[Line]) -> bool:
    letters = "".join(line.text for line in lines)
    if letters.isascii():  # the same counts, by deleting the letters from the bytes (C speed)
        data = letters.encode("ascii")
        upper = len(data) - len(data.translate(None, _ASCII_UPPER))
        alpha = len(data) - len(data.translate(None, _ASCII_LETTERS))
        return alpha > 0 and upper / alpha < 0.01
    upper = sum(map(str.isupper, letters))
    alpha = sum(map(str.isalpha, letters))
    return alpha > 0 and upper / alpha < 0.01


_WORD_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|[’'\-])*")  # letters of any script: 'ménaka', not 'naka'
_APOSTROPHE_RE = re.compile(r"[’']")


_CONTENT: dict[str, tuple[str, ...]] = {}  # a raw word -> its content words (memo; words repeat)


def _content_of(raw: str) -> tuple[str, ...]:
    words = []
    for word in raw.split("-") if "-" in raw else (raw,):
        if "’" in word or "'" in word:
            word = _APOSTROPHE_RE.split(word.strip("’'"))[0]  # "we’re" -> "we", "don’t" -> "don"
        if len(word) < 3 or word in STOP:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        words.append(canonical_token(word))
    return tuple(words)


def content_words(text: str) -> list[str]:
    words: list[str] = []
    memo = _CONTENT
    for raw in _WORD_RE.findall(text.lower().replace("’s", "").replace("'s", "")):
        found = memo.get(raw)
        if found is None:
            if len(memo) > 200_000:
                memo.clear()
            found = memo[raw] = _content_of(raw)
        words.extend(found)
    return words


# a country's adjective before these names its opponents or its people, not its state
NON_STATE = frozenset("""rebel rebels opposition insurgent insurgents militant militants militia militias
dissident dissidents separatist separatists activists protesters protestors exiles refugees
observatory watchdog watchdogs monitors""".split())


# 'Acting U.S. Attorney X announced the sentencing of a Montgomery man for ...': a lead that
# says what was announced about someone it does not name; the next sentence says who and what
ANNOUNCED_UNNAMED = re.compile(r"\bannounc(?:ed|es)\s+(?:today\s+)?(?:the\s+)?(?:sentencing|arrest|indictment|conviction|"
                               r"guilty\s+plea|charging|extradition|arraignment)s?\s+of\s+(?:a|an|two|three|four|five|several)\b",
                               re.I)
