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
                      "trump administration", "capitol hill"),
    "China": ("china", "chinese", "beijing", "prc", "people's republic of china", "xinhua",
              "global times", "zhongnanhai", "communist party of china", "cpc"),
    "Russia": ("russia", "russian", "russians", "moscow", "kremlin", "tass", "ria novosti"),
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
    "Palestinians": ("palestine", "palestinian", "palestinians", "hamas", "gaza",
                     "palestinian authority", "ramallah"),
    "Lebanon": ("lebanon", "lebanese", "beirut", "hezbollah"),
    "Saudi Arabia": ("saudi arabia", "saudi", "saudis", "riyadh"),
    "Egypt": ("egypt", "egyptian", "cairo"),
    "Turkey": ("turkey", "turkish", "ankara", "türkiye"),
    "Qatar": ("qatar", "qatari", "doha"),
    "Yemen": ("yemen", "yemeni", "houthi", "houthis", "sanaa"),
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
    "European Union": ("european union", "eu", "european commission", "brussels",
                       "european parliament"),
    "NATO": ("nato", "north atlantic treaty organization"),
    "United Nations": ("united nations", "un", "u.n.", "security council", "unicef"),
}

# Lower-case phrase -> side, longest phrases first so "south korea" beats "korea".
_PHRASE_TO_SIDE = {p: side for side, phrases in COUNTRIES.items() for p in phrases}
# "us" and "un" are ordinary words in lower-cased text; "un" likewise in other languages.
_CASE_SENSITIVE = {"us": "US", "un": "UN"}
_PATTERN = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(p) for p in sorted(_PHRASE_TO_SIDE, key=len, reverse=True))
    + r")(?:['’]s)?(?![\w])",
    re.IGNORECASE,
)


def sides_in(text: str) -> list[str]:
    """Sides named in ``text``, in order of first mention, without repeats."""
    found: list[str] = []
    for match in _PATTERN.finditer(text):
        surface = match.group(1)
        key = surface.lower()
        upper = _CASE_SENSITIVE.get(key)
        if upper is not None and surface != upper:
            continue
        side = _PHRASE_TO_SIDE[key]
        if side not in found:
            found.append(side)
    return found


def side_words(side: str) -> set[str]:
    """Single lower-case tokens that name ``side`` (used to keep them out of topic words)."""
    words: set[str] = set()
    for phrase in COUNTRIES.get(side, ()):
        words.update(re.findall(r"[a-z]+", phrase))
    words.update(re.findall(r"[a-z]+", side.lower()))
    return words


def canonical_token(token: str) -> str:
    """Map a single lower-case token to its country's canonical key, so 'russian' and
    'russia' count as the same topic word; other tokens come back unchanged."""
    side = _PHRASE_TO_SIDE.get(token)
    return side.lower() if side and " " not in token else token
