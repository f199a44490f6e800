"""Statements as a brief shows them: quotes found in a sentence, a trailing attribution
or dateline trimmed, a long statement cut to its head clause."""

from __future__ import annotations

import re

_QUOTE_PAIRS = [("“", "”"), ('"', '"'), ("‘", "’"), ("`", "'")]


_TRAILING_ATTRIBUTION = re.compile(
    r"[,;]?\s*(?:[”\"’']\s*)?,?\s*(?:according to [^,.]+|(?:the\s+)?[\w’'.\- ]{1,60}?\s+"
    r"(?:said|says|added|told [\w\s]{1,30}?|wrote|tweeted)(?:\s+(?:in|on|at)\s+[^,.]{1,40})?)"
    r"\s*[.!]?\s*$", re.I)
_INVERTED_ATTRIBUTION = re.compile(
    r"(?:[,;]\s*|[”\"’']\s*,?\s*)(?:said|says|added|explained|explains|wrote)\s+(?:the\s+)?"
    r"[\w’'.\- ]{1,40}?\s*[.!]?\s*$", re.I)
DATELINE = re.compile(r"^\s*(?:[A-Z][A-Za-z .,]{0,40}\s*)?\(\s*\w[\w ]{0,20}\)\s*[-—–]+\s*|"
                       r"^\s*[A-Z]{3,}[A-Z ,.]{0,30}(?:,?\s+[A-Z][a-z]{1,5}\.?)?\s*[-—–]+\s*|"  # 'MONTGOMERY, Ala. –'
                      # lower-cased text: 'boise, id - ' (a place, a comma, a state or country, a dash)
                      r"^\s*[a-z]{3,}(?: [a-z]{3,})?, (?:[a-z]{2}|[a-z]\.[a-z]\.|[a-z]{3,6}\.)\s+[-—–]+\s+(?=[a-z])")


# ---------------------------------------------------------------- quotes


# openers a speaker says before the point ('Yeah, I mean, ...')
FILLER = re.compile(r"^(?:(?:yeah|yes|no|well|look|so|okay|ok|and|but|i mean|you know|again|now)\b[,.]?\s+|"
                    # '2. Together, we commit ...': a paragraph's number
                    r"\(?\d{1,3}[.)]\s+(?=[A-Z“\"])|"
                    # 'As I said in my opening statement, ...': the speaker repeating himself
                    r"as (?:i|we) (?:said|mentioned|noted)(?: (?:in my opening (?:statement|remarks)|earlier|before|yesterday))?,\s+|"
                    r"\((?:via |through )?(?:an )?interpret\w*\)\s+|in (?:spanish|english|french|arabic|russian|"
                    r"chinese|portuguese),\s+what i mean is(?: that)?\s+)+", re.I)  # '(Via interpreter) In Spanish, ...'


def quoted_spans(text: str) -> list[tuple[int, int]]:
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


def _is_title(text: str) -> bool:
    """'Agreement on the Establishment of Peace and Inter-State Relations': the name of a
    document or a show in quotation marks, not words somebody said."""
    words = [w for w in re.findall(r"[^\W\d_][\w’'\-]*", text) if w.lower() not in _TITLE_SMALL]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words) \
        and not re.search(r"[.!?]$", text.strip())


_TITLE_SMALL = frozenset("a an the of on in and or for to with between by at from".split())


# 'what he called a “fool's deal”', 'dismissed it as “a stunt”': a short quote that is the
# speaker's own word for something, which a reader wants as much as a whole sentence
_NAMING = re.compile(r"(?:\bcalled|\bcalling|\bdubbed|\bdescribed (?:it |them |this )?as|\bdismissed (?:it |them |this )?as|"
                     r"\blabell?ed (?:it |them )?(?:as )?|\btermed)\s+(?:it\s+|them\s+)?(?:a\s+|an\s+|the\s+)?[“\"‘]?$", re.I)


# 'the working paper on ‘Cooperation under the AUKUS partnership’', 'a report entitled “...”':
# the title of a document, in sentence case too
_TITLED = re.compile(r"(?:\b(?:entitled|titled)|\b(?:paper|report|study|document|book|article|strategy|declaration|"
                     r"resolution|framework|initiative|programme|program|campaign|exercise|operation|theme|slogan)"
                     r"\s+(?:on|called|named))\s+[“\"‘']?$", re.I)


def find_quotes(text: str) -> list[str]:
    quotes = []
    for a, b in quoted_spans(text):
        inner = text[a:b].strip().rstrip(",").strip()
        named = len(inner.split()) >= 2 and _NAMING.search(text[: a]) is not None
        if (len(inner.split()) >= 4 or named) and not _is_title(inner) and not _TITLED.search(text[:a]):
            quotes.append(inner.rstrip(".,;") if len(inner.split()) < 4 else inner)
    return quotes


# Words without which neither attribution pattern can match: most sentences hold none, and
# this check spares them two searches that try every position (~150 us a sentence).
_TRAILING_WORDS = ("according to", "said", "says", "added", "told", "wrote", "tweeted")
_INVERTED_WORDS = ("said", "says", "added", "explained", "explains", "wrote")


_SPACE_RUN = re.compile(r"\s\s")


def _attribution(pattern: re.Pattern, text: str, low: str, verbs: tuple[str, ...], after: int,
                 before: int) -> re.Match | None:
    """``pattern.search(text)``, started where a match can start. Both patterns end at
    the end of the text with one of ``verbs`` at most ``after`` characters before it, and,
    but for runs of blank space and "according to ...", begin at most ``before``
    characters before that verb: the search starts there (searching every position of a
    long sentence cost ~200 us), or is not made when no such verb is there."""
    if "according to" in low or len(low) != len(text) or _SPACE_RUN.search(text):
        return pattern.search(text)
    tail = max(0, len(text) - after)
    first = min((at for at in (low.find(verb, tail) for verb in verbs) if at >= 0), default=-1)
    if first < 0:
        return None
    return pattern.search(text, max(0, first - before))


_LIST_NUMBER = re.compile(r"^\s*\(?\d{1,3}[.)]\s+(?=[A-Z“\"])")


def compress_statement(text: str) -> str:
    """Drop a dateline, a paragraph's number ('2. Together, we ...') and a trailing
    attribution (", the official said.") from a statement."""
    text = _LIST_NUMBER.sub("", DATELINE.sub("", text))
    low = text.lower()
    # a trailing attribution's verb is within 82 characters of the end, its start within 71
    # before the verb; an inverted one's within 57 and 4 (margins added)
    match = (any(w in low for w in _TRAILING_WORDS)
             and _attribution(_TRAILING_ATTRIBUTION, text, low, _TRAILING_WORDS[1:], 100, 80)) \
        or (any(w in low for w in _INVERTED_WORDS)
            and _attribution(_INVERTED_ATTRIBUTION, text, low, _INVERTED_WORDS, 70, 10)) or None
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
        dashes = len(re.findall(r"\s[–—]\s", head))  # a dash pair encloses an aside: cut after it
        if len(head.split()) >= 12 and head.count("“") == head.count("”") and head.count('"') % 2 == 0 \
                and dashes % 2 == 0:
            return head + " …"
    return text


def head_clause(text: str, names: list[str]) -> str | None:
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
