"""Words that tell which side a speaker is on: countries, their demonyms, capitals used as
metonyms ("Washington", "Beijing") and government bodies whose country is unambiguous.

General world knowledge only; nothing here is about one article. Lookups are lower-case,
so lower-cased news text ("u. s. officials", "chinese foreign ministry") works the same.
"""

from __future__ import annotations

import re

# canonical side name -> words and phrases that point to it (lower-case)
COUNTRIES: dict[str, tuple[str, ...]] = {
    "United States": ("united states", "u.s.", "u. s.", "us", "usa", "u.s.a.", "america",
                      "american", "americans", "washington", "white house", "state department",
                      "pentagon", "secretary of state", "u.s. officials", "biden administration",
                      "department of state", "department of the treasury", "treasury department",
                      "u.s. government", "united states government", "u.s. embassy", "u.s. mission",
                      "justice department", "department of justice", "fbi", "u.s. attorney",
                      "trump administration", "capitol hill", "homeland security",
                      "department of homeland security"),
    "China": ("china", "chinese", "beijing", "prc", "people's republic of china", "xinhua",
              "global times", "zhongnanhai", "communist party of china", "cpc"),
    "Russia": ("russia", "russian", "russians", "moscow", "kremlin", "tass", "ria novosti", "russian federation"),
    "Ukraine": ("ukraine", "ukrainian", "ukrainians", "kyiv", "kiev"),
    "United Kingdom": ("united kingdom", "u.k.", "uk", "britain", "british", "london",
                       "downing street", "whitehall", "foreign office", "england",
                       "scotland", "scottish", "wales", "welsh"),
    "France": ("france", "french", "paris", "elysee", "élysée", "quai d'orsay"),
    "Germany": ("germany", "german", "berlin", "bundestag", "chancellery"),
    "Italy": ("italy", "italian", "rome"),
    "Spain": ("spain", "spanish", "madrid"),
    "Japan": ("japan", "japanese", "tokyo"),
    "South Korea": ("south korea", "south korean", "seoul", "rok"),
    "North Korea": ("north korea", "north korean", "pyongyang", "dprk", "kcna"),
    "Taiwan": ("taiwan", "taiwanese", "taipei"),
    "India": ("india", "indian", "new delhi"),
    "Pakistan": ("pakistan", "pakistani", "islamabad"),
    "Afghanistan": ("afghanistan", "afghan", "kabul", "taliban"),
    "Iran": ("iran", "iranian", "tehran"),
    "Iraq": ("iraq", "iraqi", "baghdad"),
    "Syria": ("syria", "syrian", "damascus"),
    "Israel": ("israel", "israeli", "israelis", "jerusalem", "idf", "knesset"),
    "Palestinians": ("palestine", "palestinian", "palestinians", "gaza",
                     "palestinian authority", "ramallah"),
    "Lebanon": ("lebanon", "lebanese", "beirut"),
    "Saudi Arabia": ("saudi arabia", "saudi", "saudis", "riyadh"),
    "Egypt": ("egypt", "egyptian", "cairo"),
    "Turkey": ("turkey", "turkish", "turks", "ankara", "türkiye"),
    "Qatar": ("qatar", "qatari", "doha"),
    "Yemen": ("yemen", "yemeni", "sanaa"),
    # armed movements that speak and fight for themselves, not for the state they are in
    # (Hizballah's disarmament is Lebanon's undertaking; the Houthis fight Yemen's government)
    "Hamas": ("hamas",),
    "Hezbollah": ("hezbollah", "hizballah", "hizbullah"),
    "Houthis": ("houthi", "houthis", "ansar allah", "ansarallah"),
    "Syrian Democratic Forces": ("syrian democratic forces", "sdf"),
    "HTS": ("hts", "hayat tahrir al-sham", "hayat tahrir al sham"),
    "Canada": ("canada", "canadian", "ottawa"),
    "Mexico": ("mexico", "mexican"),
    "Brazil": ("brazil", "brazilian", "brasilia"),
    "Argentina": ("argentina", "argentine", "buenos aires"),
    "Venezuela": ("venezuela", "venezuelan", "caracas"),
    "Cuba": ("cuba", "cuban", "havana"),
    "Australia": ("australia", "australian", "canberra"),
    "Poland": ("poland", "polish", "warsaw"),
    "Belarus": ("belarus", "belarusian", "minsk"),
    "Hungary": ("hungary", "hungarian", "budapest"),
    "Greece": ("greece", "greek", "athens"),
    "Netherlands": ("netherlands", "dutch", "the hague", "amsterdam"),
    "Belgium": ("belgium", "belgian"),
    "Sweden": ("sweden", "swedish", "stockholm"),
    "Norway": ("norway", "norwegian", "oslo"),
    "Finland": ("finland", "finnish", "helsinki"),
    "Switzerland": ("switzerland", "swiss", "bern", "geneva"),
    "Austria": ("austria", "austrian", "vienna"),
    "Ireland": ("ireland", "irish", "dublin"),
    "Nigeria": ("nigeria", "nigerian", "abuja"),
    "South Africa": ("south africa", "south african", "pretoria"),
    "Kenya": ("kenya", "kenyan", "nairobi"),
    "Ethiopia": ("ethiopia", "ethiopian", "addis ababa"),
    "Sudan": ("sudan", "sudanese", "khartoum"),
    "Indonesia": ("indonesia", "indonesian", "jakarta"),
    "Philippines": ("philippines", "philippine", "filipino", "manila"),
    "Vietnam": ("vietnam", "vietnamese", "hanoi"),
    "Thailand": ("thailand", "thai", "bangkok"),
    "Myanmar": ("myanmar", "burma", "burmese", "naypyidaw"),
    # more of the world's states: general knowledge, so that any article's sides are found
    "Democratic Republic of the Congo": ("democratic republic of the congo", "drc", "dr congo", "congolese",
                                         "kinshasa"),
    "Republic of the Congo": ("republic of the congo", "congo-brazzaville", "brazzaville"),
    "Rwanda": ("rwanda", "rwandan", "kigali"),
    "Uganda": ("uganda", "ugandan", "kampala"),
    "Burundi": ("burundi", "burundian", "gitega"),
    "Tanzania": ("tanzania", "tanzanian", "dodoma", "dar es salaam"),
    "South Sudan": ("south sudan", "south sudanese", "juba"),
    "Somalia": ("somalia", "somali", "mogadishu"),
    "Eritrea": ("eritrea", "eritrean", "asmara"),
    "Libya": ("libya", "libyan", "tripoli"),
    "Tunisia": ("tunisia", "tunisian", "tunis"),
    "Algeria": ("algeria", "algerian", "algiers"),
    "Morocco": ("morocco", "moroccan", "rabat"),
    "Mali": ("mali", "malian", "bamako"),
    "Niger": ("niger", "nigerien", "niamey"),
    "Chad": ("chadian", "n'djamena"),  # not "chad": a first name
    "Senegal": ("senegal", "senegalese", "dakar"),
    "Ghana": ("ghana", "ghanaian", "accra"),
    "Togo": ("togo", "togolese", "lome", "lomé"),
    "Benin": ("benin", "beninese", "cotonou", "porto-novo"),
    "Cameroon": ("cameroon", "cameroonian", "yaounde", "yaoundé"),
    "Angola": ("angola", "angolan", "luanda"),
    "Mozambique": ("mozambique", "mozambican", "maputo"),
    "Zimbabwe": ("zimbabwe", "zimbabwean", "harare"),
    "Zambia": ("zambia", "zambian", "lusaka"),
    "Botswana": ("botswana", "gaborone"),
    "Namibia": ("namibia", "namibian", "windhoek"),
    "Armenia": ("armenia", "armenian", "yerevan"),
    "Azerbaijan": ("azerbaijan", "azerbaijani", "baku"),
    "Georgia": ("tbilisi", "georgian government"),
    "Kazakhstan": ("kazakhstan", "kazakh", "astana"),
    "Uzbekistan": ("uzbekistan", "uzbek", "tashkent"),
    "Kyrgyzstan": ("kyrgyzstan", "kyrgyz", "bishkek"),
    "Tajikistan": ("tajikistan", "tajik", "dushanbe"),
    "Turkmenistan": ("turkmenistan", "turkmen", "ashgabat"),
    "Mongolia": ("mongolia", "mongolian", "ulaanbaatar"),
    "Bangladesh": ("bangladesh", "bangladeshi", "dhaka"),
    "Sri Lanka": ("sri lanka", "sri lankan", "colombo"),
    "Nepal": ("nepal", "nepalese", "nepali", "kathmandu"),
    "Malaysia": ("malaysia", "malaysian", "kuala lumpur"),
    "Singapore": ("singapore", "singaporean"),
    "Cambodia": ("cambodia", "cambodian", "phnom penh"),
    "Laos": ("laos", "lao", "vientiane"),
    "New Zealand": ("new zealand", "wellington"),
    "Jordan": ("jordanian", "amman", "kingdom of jordan"),  # not "jordan": a name
    "United Arab Emirates": ("united arab emirates", "uae", "emirati", "abu dhabi", "dubai"),
    "Kuwait": ("kuwait", "kuwaiti"),
    "Bahrain": ("bahrain", "bahraini", "manama"),
    "Oman": ("oman", "omani", "muscat"),
    "Colombia": ("colombia", "colombian", "bogota", "bogotá"),
    "Peru": ("peru", "peruvian", "lima"),
    "Chile": ("chile", "chilean"),
    "Ecuador": ("ecuador", "ecuadorian", "quito"),
    "Bolivia": ("bolivia", "bolivian", "la paz"),
    "Paraguay": ("paraguay", "paraguayan", "asuncion", "asunción"),
    "Uruguay": ("uruguay", "uruguayan", "montevideo"),
    "Panama": ("panama", "panamanian"),
    "Guatemala": ("guatemala", "guatemalan"),
    "Honduras": ("honduras", "honduran", "tegucigalpa"),
    "El Salvador": ("el salvador", "salvadoran", "san salvador"),
    "Nicaragua": ("nicaragua", "nicaraguan", "managua"),
    "Costa Rica": ("costa rica", "costa rican"),
    "Haiti": ("haiti", "haitian", "port-au-prince"),
    "Dominican Republic": ("dominican republic", "santo domingo"),
    "Portugal": ("portugal", "portuguese", "lisbon"),
    "Denmark": ("denmark", "danish", "copenhagen"),
    "Czech Republic": ("czech republic", "czechia", "czech", "prague"),
    "Slovakia": ("slovakia", "slovak", "bratislava"),
    "Romania": ("romania", "romanian", "bucharest"),
    "Bulgaria": ("bulgaria", "bulgarian"),
    "Serbia": ("serbia", "serbian", "belgrade"),
    "Croatia": ("croatia", "croatian", "zagreb"),
    "Bosnia and Herzegovina": ("bosnia and herzegovina", "bosnia", "bosnian", "sarajevo"),
    "Kosovo": ("kosovo", "kosovar", "pristina"),
    "Albania": ("albania", "albanian", "tirana"),
    "North Macedonia": ("north macedonia", "macedonian", "skopje"),
    "Moldova": ("moldova", "moldovan", "chisinau"),
    "Lithuania": ("lithuania", "lithuanian", "vilnius"),
    "Latvia": ("latvia", "latvian", "riga"),
    "Estonia": ("estonia", "estonian", "tallinn"),
    "Cyprus": ("cyprus", "cypriot", "nicosia"),
    "African Union": ("african union", "african union commission"),
    "European Union": ("european union", "eu", "european commission", "brussels",
                       "european parliament"),
    "NATO": ("nato", "north atlantic treaty organization"),
    "United Nations": ("united nations", "un", "u.n.", "security council", "unicef"),
    # other international organisations that take positions in talks of their own
    "IAEA": ("iaea", "international atomic energy agency"),
    "IMF": ("imf", "international monetary fund"),
    "World Bank": ("world bank",),
    "WHO": ("who", "world health organization"),
    "WTO": ("wto", "world trade organization"),
    "OPEC": ("opec",),
    "ASEAN": ("asean", "association of southeast asian nations"),
    "OSCE": ("osce", "organization for security and co-operation in europe",
             "organization for security and cooperation in europe"),
    "Arab League": ("arab league", "league of arab states"),
    "Organization of American States": ("organization of american states", "oas"),
    "ECOWAS": ("ecowas", "economic community of west african states"),
    "Gulf Cooperation Council": ("gulf cooperation council", "gcc"),
}

# Lower-case phrase -> side.
_PHRASE_TO_SIDE = {p: side for side, phrases in COUNTRIES.items() for p in phrases}
# "us", "un" and "who" are ordinary words in lower-cased text; "un" likewise in other languages.
_CASE_SENSITIVE = {"us": "US", "un": "UN", "who": "WHO"}


def _trie_pattern(phrases) -> str:
    """An alternation of ``phrases`` as a character trie (``ch(?:ina|ile)``...): the regex
    engine follows one branch per character instead of trying every phrase at every
    position, ~30x faster than the flat alternation. At each node the longer continuations
    come before the end of a phrase, so of the phrases that match at a position the longest
    is tried first, as in a flat alternation sorted longest first."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body

    return build(trie)


# Matched against the lower-cased text (see sides_in), so without re.IGNORECASE, which
# slows every comparison of a large alternation.
# 'Britain-based', 'Moscow-backed': a place that says where, or who backs, not whose side
_PATTERN = re.compile(r"(?<![\w.])(" + _trie_pattern(_PHRASE_TO_SIDE) + r")(?:['’]s)?(?![\w])(?![-–](?:based|backed)\b)")
_PATTERN_ANY_CASE = re.compile(_PATTERN.pattern, re.IGNORECASE)


# sides_in of the texts one brief has read: the scan before the calls, the engine's reading
# after them and the checks of the picks ask for the same sentences (and names) again.
# Emptied when a brief starts (``forget_texts``), and when it grows large.
_SIDES_SEEN: dict[str, tuple[str, ...]] = {}
_MENTIONS_SEEN: dict[str, tuple[tuple[str, str], ...]] = {}  # the same for side_mentions
_SIDES_SEEN_MAX = 100_000


_PER_BRIEF: list[dict] = [_SIDES_SEEN, _MENTIONS_SEEN]  # other modules' memos of the same kind


def forget_texts() -> None:
    """Empty the memos of texts read (a brief starts)."""
    for memo in _PER_BRIEF:
        memo.clear()


def per_brief_memo() -> dict:
    """A memo of texts read, emptied with the others when a brief starts."""
    memo: dict = {}
    _PER_BRIEF.append(memo)
    return memo


def sides_in(text: str) -> list[str]:
    """Sides named in ``text``, in order of first mention, without repeats."""
    found = _SIDES_SEEN.get(text)
    if found is None:
        if len(_SIDES_SEEN) >= _SIDES_SEEN_MAX:
            _SIDES_SEEN.clear()
        found = _SIDES_SEEN[text] = tuple(dict.fromkeys(side for side, _ in _mentions(text)))
    return list(found)


def side_mentions(text: str) -> list[tuple[str, str]]:
    """Each mention of a side in ``text``: (the side, the words as written)."""
    return list(_mentions(text))


def _mentions(text: str) -> tuple[tuple[str, str], ...]:
    found = _MENTIONS_SEEN.get(text)
    if found is None:
        if len(_MENTIONS_SEEN) >= _SIDES_SEEN_MAX:
            _MENTIONS_SEEN.clear()
        found = _MENTIONS_SEEN[text] = tuple(_scan_mentions(text))
    return found


def _scan_mentions(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    low = text.lower()
    if len(low) != len(text):  # a rare character that lower-cases to two: offsets would shift
        low, pattern = text, _PATTERN_ANY_CASE
    else:
        pattern = _PATTERN
    for match in pattern.finditer(low):
        start, end = match.span(1)
        key = low[start:end].lower()
        upper = _CASE_SENSITIVE.get(key)
        if upper is not None and text[start:end] != upper:
            continue
        if key != _PHRASE_TO_SIDE[key].lower() and _IN_LANGUAGE_BEFORE.search(low, 0, start) \
                and _IN_LANGUAGE_AFTER.match(low, end):
            continue  # 'in English and Spanish', '(In Spanish.)': a language, no side
        found.append((_PHRASE_TO_SIDE[key], text[start:end]))
    return found


# what may stand between the parties of a subject that names several together
_JOINT_BETWEEN = re.compile(r"(?:\s*,)?\s*(?:and\s+|&\s+)?(?:the\s+)?", re.I)
_JOINT_FIRST = re.compile(r"(?:the\s+)?(?:(?:leaders|governments|delegations|representatives|ministers)\s+of\s+(?:the\s+)?)?",
                           re.I)


def joint_subject(text: str) -> list[str]:
    """The sides a sentence opens on as one subject, two or more of them with nothing else
    between them ('Australia, the United Kingdom, and the United States of America recently
    held ...'); none for a sentence that opens otherwise."""
    sides: list[str] = []
    at = 0
    for side, as_written in side_mentions(text):
        start = text.find(as_written, at)
        if start < 0 or not (_JOINT_BETWEEN if sides else _JOINT_FIRST).fullmatch(text, at, start):
            break
        sides.append(side)
        at = start + len(as_written)
        if text.startswith(" of America", at):
            at += len(" of America")
    found = list(dict.fromkeys(sides))
    return found if len(found) >= 2 else []


def listed_together(text: str) -> list[str]:
    """Three sides or more a sentence lists together anywhere ('cooperation between
    Australia, India, Japan, and the United States'), the longest such list; else none."""
    best: list[str] = []
    run: list[str] = []
    at = end = 0
    for side, as_written in side_mentions(text):
        start = text.find(as_written, at)
        if start < 0:
            break
        if not (run and _JOINT_BETWEEN.fullmatch(text, end, start)):
            run = []
        run.append(side)
        at = end = start + len(as_written)
        if text.startswith(" of America", end):
            end += len(" of America")
        best = max(best, list(dict.fromkeys(run)), key=len)
    return best if len(best) >= 3 else []


_IN_LANGUAGE_BEFORE = re.compile(r"\bin\s+(?:[a-z]+\s+(?:and|or)\s+)?\Z", re.I)
_IN_LANGUAGE_AFTER = re.compile(r"\s*(?:[.,;:)]|and\b|or\b|\Z)", re.I)


# words of a body's name that are topics too ('Department of Homeland Security': security)
_TOPIC_WORDS = frozenset("security energy health trade defense defence".split())


def side_words(side: str) -> set[str]:
    """Single lower-case tokens that name ``side`` (used to keep them out of topic words)."""
    words: set[str] = set()
    for phrase in COUNTRIES.get(side, ()):
        words.update(w for w in re.findall(r"[a-z]+", phrase) if w not in _TOPIC_WORDS)
    words.update(re.findall(r"[a-z]+", side.lower()))
    return words


# canonical_token's inverse: a canonical key -> the single tokens it is the key of
_TOKENS_OF: dict[str, list[str]] = {}
for _phrase, _side in _PHRASE_TO_SIDE.items():
    if " " not in _phrase:
        _TOKENS_OF.setdefault(_side.lower(), []).append(_phrase)


def tokens_of(key: str) -> list[str]:
    """The single tokens ``canonical_token`` maps to ``key`` (besides ``key`` itself)."""
    return _TOKENS_OF.get(key, [])


def canonical_token(token: str) -> str:
    """Map a single lower-case token to its country's canonical key, so 'russian' and
    'russia' count as the same topic word; other tokens come back unchanged."""
    side = _PHRASE_TO_SIDE.get(token)
    return side.lower() if side and " " not in token else token
