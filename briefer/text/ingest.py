"""Read source articles and cut them into sentences with stable ids.

``read_source`` turns a path (or ``-`` for stdin) into a :class:`~briefer.document.Document`:
it checks size, detects the encoding, strips Markdown/HTML markup, finds the title and
section headings, drops web boilerplate ("Share this", "Advertisement", ...) and splits
body paragraphs into sentences.  Every ``Sentence.text`` is an exact substring of
``Document.text`` so citations can be checked verbatim.

``split_sentences`` is a rule-based splitter built on one regex scan for candidate
boundaries (sentence punctuation, optional closing quotes/brackets, whitespace); only the
candidates are examined in Python, so it runs at tens of MB/s on plain text.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import sys
import typing
from collections.abc import Callable
from html.parser import HTMLParser

from ..errors import InputError
from .document import Document, Sentence

__all__ = [
    "DEFAULT_MAX_BYTES",
    "read_source",
    "load_sources",
    "parse_text",
    "split_sentences",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_MB = 1024 * 1024

# --------------------------------------------------------------------------------------
# Sentence splitting
# --------------------------------------------------------------------------------------

_OPENERS = "\"'“‘«„‚([{`"
_CLOSERS = "\"'”’»)]}"

# Candidate boundary: sentence punctuation, closing quotes/brackets, then whitespace.
_CANDIDATE = re.compile(r"([.!?…]+)([\"'”’»)\]}]*)\s+")
_NEXT_TOKEN = re.compile(r"\S+")
_SPACED_INITIAL_BEFORE = re.compile(r"(?<!\S)[^\W\d_]\.\s+\Z")
_INITIALISM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # "u.s", "e.g", "a.m" (final dot excluded)

# Abbreviations that never end a sentence (titles before names, Latin connectives).
_NEVER_END = frozenset(
    """mr mrs ms messrs mme mlle dr prof gen sen rep gov lt col capt sgt cpl pvt maj adm
    cmdr brig rev hon pres supt insp det vs v cf viz""".split()
)
# Abbreviations that usually sit mid-sentence but may end one before a common starter.
_MAY_END = frozenset("inc ltd co corp jr sr st bros plc llc dept univ esq fed".split())
# Abbreviations that never end a sentence when a number follows ("Feb. 4", "No. 5").
_BEFORE_DIGIT = frozenset(
    """no nos jan feb mar apr jun jul aug sep sept oct nov dec vol vols pp p fig figs
    art arts sec secs ch chap para approx est ed eds op nr tel ext
    appx supp ct stat reg app rep""".split()  # and law reports': '781 Fed. Appx. 824', '141 S. Ct. 792'
)
_LATIN = frozenset({"e.g", "i.e"})
# Known abbreviations after which a lowercase word does not start a new sentence
# (only matters for lower-cased text, where lowercase starts are otherwise accepted).
_ABBREVIATIONS = _NEVER_END | _MAY_END | _BEFORE_DIGIT | frozenset({"etc", "al", "ca", "approx"})

_DOMAIN_PARTS = frozenset("com co uk org net gov edu au ca ie nz html htm php".split())

# Capitalised words that commonly start a sentence; after "U.S." or "Inc." they signal
# that the abbreviation also ended the sentence ("... in the U.S. It said ...").
_STARTERS = frozenset(
    """The It He She They We I You But And In On At A An This That These Those There
    Here His Her Its Their Our My Your So Yet If When While After Before As For However
    Meanwhile Then Now Some Many Most What Why How Who Where One Also Still Both Each
    Officials Last Earlier Later Since During Although Though Because According Under
    Despite Instead Nor Or Such Several Another Other Others No Not""".split()
)

_NOT_ASCII_LETTER = bytes(c for c in range(256) if not (65 <= c <= 90 or 97 <= c <= 122))
_NOT_ASCII_UPPER = bytes(c for c in range(256) if not 65 <= c <= 90)
LOWERCASE_RATIO = 0.02


def _is_lowercased(text: str) -> bool:
    """True when text has (almost) no uppercase letters, as in tokenised corpora.

    Normal news prose runs at 3-6% uppercase letters; the lower-cased CNN/DailyMail and
    XSum releases, which re-capitalise the first word after every full stop, stay below
    2.3% and usually near 1%.  Text of at least 200 letters is lower-cased below 2%
    uppercase; shorter text only when it has no uppercase letter at all.  Only ASCII letters are counted (fast: bytes.translate).
    """
    raw = text.encode("ascii", "ignore")
    letters = len(raw.translate(None, _NOT_ASCII_LETTER))
    if letters < 20:
        return False
    upper = len(raw.translate(None, _NOT_ASCII_UPPER))
    if upper == 0:
        return True
    # A short normal paragraph ("The meeting lasted three hours.") has one capital in
    # 50 letters too, so a low ratio only counts with enough text to judge by.
    return letters >= 200 and upper < LOWERCASE_RATIO * letters


def _start_kind(token: str) -> str:
    c = token[0]
    if c in _OPENERS:
        return "open"
    if c.isupper():
        return "upper"
    if c.isdigit() or c in "$£€¥":
        return "digit"
    if c.islower():
        return "lower"
    return "other"


_LIST_NUMBER = re.compile(r"\(?(?:\d{1,3}|[ivxIVX]{1,5})\)?")


def _is_boundary(p: str, m: re.Match[str], nxt: str, lowercase: bool) -> bool:
    punct = m.group(1)
    kind = _start_kind(nxt)
    if kind == "other":
        return False
    if kind == "lower" and not lowercase:
        return False
    if "…" in punct or ".." in punct:
        # An ellipsis followed by lowercase continues the sentence.
        return kind != "lower"
    if punct != ".":
        # ? ! ?! etc. In lower-cased text, `"why?" he asked` must not split.
        if kind == "lower" and m.group(2):
            return False
        return True

    # A single full stop: look at the token in front of it.
    ps = m.start()
    window = p[max(0, ps - 64) : ps]
    if not window or window[-1].isspace():
        return True
    tok = window.rsplit(None, 1)[-1]
    stripped = tok.lstrip(_OPENERS)
    low = stripped.lower()
    word = nxt.lstrip(_OPENERS)

    if low in _NEVER_END:
        return False
    if low in _LATIN:
        return False
    if _LIST_NUMBER.fullmatch(stripped) and not p[: ps - len(tok)].strip():
        return False  # '1. We have convened ...': a paragraph's number opens its first sentence
    if len(stripped) == 1 and stripped.isalpha():
        # Single letter: an initial ("John F. Kennedy") never ends a sentence, but the
        # last letter of a spaced initialism ("u. s.", "U. S.") may, like "U.S." below.
        before = window[: len(window) - len(tok)]
        if _SPACED_INITIAL_BEFORE.search(before):
            return word in _STARTERS and word not in ("A", "I")
        return False
    if _INITIALISM.fullmatch(stripped):
        return word in _STARTERS
    if low in _MAY_END:
        return word in _STARTERS
    if low in _BEFORE_DIGIT and kind == "digit":
        return False
    if lowercase:
        if word.rstrip(".,;:").lower() in _DOMAIN_PARTS:
            # tokenised web addresses: "dailymail. Co. Uk", "ktvb. Com"
            return False
        if kind == "lower" and low in _ABBREVIATIONS:
            return False
        if kind == "digit" and stripped[-1:].isdigit():
            # tokenised decimals: "26. 2 miles"
            return False
    return True


_QUOTE_CHAR = re.compile(r'[“”"]')
MAX_QUOTE_CHARS = 1200  # a longer "quotation" is more likely a stray quote mark: split inside it


def quotations(paragraph: str) -> list[tuple[int, int]]:
    """``(open, close)`` offsets of the double-quoted passages in ``paragraph``.

    Curly quotes pair by nesting depth; straight ones alternate open/close. A quotation
    left open runs to the paragraph's end (a quote that goes on in the next paragraph
    opens it again there). Passages over ``MAX_QUOTE_CHARS`` are not returned.
    """
    spans: list[tuple[int, int]] = []
    depth, opened, straight_open = 0, -1, -1
    for m in _QUOTE_CHAR.finditer(paragraph):  # the quote marks only, not every character
        i, c = m.start(), m.group()
        if c == "“":
            if depth == 0 and straight_open < 0:
                opened = i
            depth += 1
        elif c == "”" and depth:
            depth -= 1
            if depth == 0 and straight_open < 0:
                spans.append((opened, i))
        elif c == '"' and depth == 0:
            if straight_open < 0:
                straight_open = i
            else:
                spans.append((straight_open, i))
                straight_open = -1
    start = opened if depth else straight_open
    if start >= 0:
        spans.append((start, len(paragraph)))
    return [(a, b) for a, b in spans if b - a <= MAX_QUOTE_CHARS]


def split_sentences(paragraph: str, *, lowercase: bool | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of each sentence in ``paragraph``.

    Offsets index into ``paragraph``; each span is stripped of surrounding whitespace.
    ``lowercase`` forces (True) or disables (False) the lower-cased-text rules; by default
    they apply when fewer than 2% of the paragraph's letters are uppercase. A sentence
    never ends inside a quotation: a quote of several sentences stays one citable unit.
    """
    start = len(paragraph) - len(paragraph.lstrip())
    end_all = len(paragraph.rstrip())
    if start >= end_all:
        return []
    if lowercase is None:
        lowercase = _is_lowercased(paragraph)

    spans: list[tuple[int, int]] = []
    quoted = quotations(paragraph) if ('"' in paragraph or "“" in paragraph) else []
    next_token = _NEXT_TOKEN.match
    for m in _CANDIDATE.finditer(paragraph, start, end_all):
        after = m.end()  # < end_all: the paragraph ends in a non-space character
        if not lowercase and paragraph[after].islower():
            continue  # fast path: in normal text a sentence never starts lowercase
        if quoted and any(a < m.start() and b >= m.end(2) for a, b in quoted):
            continue  # inside a quotation that does not close in this candidate
        nm = next_token(paragraph, after)
        if not _is_boundary(paragraph, m, nm.group(), lowercase):
            continue
        end = m.end(2)
        if end > start:
            spans.append((start, end))
        start = after
    if start < end_all:
        spans.append((start, end_all))
    return spans


# --------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _decode(data: bytes, path: str, warn: Callable[[str], None] | None) -> str:
    binary = InputError(f"{path} looks like a binary file, not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise binary from exc
            break
    else:
        if b"\x00" in data:
            raise binary
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
                name = "Windows-1252"
            except UnicodeDecodeError:
                text = data.decode("latin-1")
                name = "Latin-1"
            if warn is not None:
                warn(f"{path}: not valid UTF-8; decoded as {name}")
    if text:
        controls = len(_CONTROL.findall(text))
        if controls and controls > 0.10 * len(text):
            raise binary
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# --------------------------------------------------------------------------------------
# Blocks: every format is reduced to a list of (kind, text) with kind in
# {"title", "heading", "para", "skip"}.
# --------------------------------------------------------------------------------------

_BOILERPLATE = re.compile(
    r"""(?:share(?:\s+(?:this|on|via|article|story))?(?:\s+(?:article|story|page|post))?
    |advertisement|advert|sponsored(?:\s+content)?
    |scroll\s+down\s+for\s+(?:video|more)
    |read\s+more|continue\s+reading|related\s+(?:articles?|stories|content)
    |click\s+here(?:\s+to\s+[\w\s]+)?|print|e-?mail|follow\s+us|subscribe)
    \s*[:.!…»›>|\-–—]*""",
    re.I | re.X,
)
_TXT_PARAGRAPHS = re.compile(r"\n[ \t\f\v]*\n\s*")
_ENDS_SENTENCE = re.compile(r"[.!?:;,…][\"'”’»)\]]*\Z")


def _is_boilerplate(text: str) -> bool:
    return len(text) <= 60 and _BOILERPLATE.fullmatch(text.strip()) is not None


def _heading_like(par: str, first: bool = False) -> bool:
    """A line standing alone: no sentence punctuation at its end, short (a headline, the
    first paragraph, may run longer), or a label such as "Moscow:" over a section."""
    if "\n" in par:
        return False
    words = len(par.split(None, 33))  # the words, or 34 for more: every test below is of <= 32
    if par.endswith(":") and words <= 4:
        return True
    if words <= 12 and " v. " in par and re.search(r"\bet al\.$", par, re.I):
        return True  # 'uzuegbunam et al. v. preczewski et al.': a caption, lower-cased too
    if words <= 12 and _in_capitals(par):
        return True  # 'UZUEGBUNAM ET AL. v. PRECZEWSKI ET AL.': a caption, its full stop an abbreviation's
    if _ENDS_SENTENCE.search(par) is not None:
        return False
    # 'Schemed to Bribe the President of Chad, President and Foreign Minister of Uganda': a
    # subtitle in title case runs longer than a plain heading
    return words <= (32 if first else 12) or words <= 24 and _title_cased(par)


_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or the to with v. vs.".split())


def _title_cased(par: str) -> bool:
    """Every word but the small ones ('of', 'the') capitalised, as a headline is."""
    words = [w for w in par.split() if w[:1].isalpha() and w.lower() not in _SMALL_WORDS]
    # (a headline may keep one participle small: '..., including One Linking Attacks to ...')
    return len(words) >= 4 and sum(not w[:1].isupper() for w in words) <= (1 if len(words) >= 8 else 0)


_CAPTION_SMALL = frozenset("v. vs. v of and the for et al.".split())


def _in_capitals(par: str) -> bool:
    """Every word in capitals but a caption's small words ('v.', 'of')."""
    letters = [w for w in par.split() if any(c.isalpha() for c in w)]
    return len(letters) >= 2 and all(w.isupper() or w in _CAPTION_SMALL for w in letters) \
        and sum(w.isupper() for w in letters) >= 2


def _txt_blocks(text: str) -> list[tuple[str, str]]:
    pars = [p.strip() for p in _TXT_PARAGRAPHS.split(text)]
    pars = [p for p in pars if p]
    blocks: list[tuple[str, str]] = []
    for i, par in enumerate(pars):
        if _is_boilerplate(par):
            blocks.append(("skip", par))
        elif i + 1 < len(pars) and _heading_like(par, first=i == 0):
            blocks.append(("title" if i == 0 else "heading", par))
        else:
            blocks.append(("para", par))
    return blocks


# Markdown ------------------------------------------------------------------------------

_MD_ATX = re.compile(r"(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*\Z")
_MD_SETEXT = re.compile(r"=+|-+")
_MD_RULE = re.compile(r"(?:[-*_][ \t]*){3,}")
_MD_LIST = re.compile(r"(?:[-*+]|\d{1,9}[.)])\s+(.*)")
_MD_LINKDEF = re.compile(r"\[[^\]]+\]:\s*\S+.*")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])")
_MD_IMAGE = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])?")
_MD_LINK = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_MD_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+|[^>\s@]+@[^>\s@]+)>")
_MD_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_MD_EMPHASIS = re.compile(r"\*+|~~|(?<![^\W_])_+|_+(?![^\W_])|`+")


def _md_inline(text: str) -> str:
    text = _MD_ESCAPE.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_AUTOLINK.sub(r"\1", text)
    text = _MD_TAG.sub("", text)
    text = _MD_EMPHASIS.sub("", text)
    text = re.sub("[\ue000-\ue0ff]", lambda m: chr(ord(m.group()) - 0xE000), text)
    return " ".join(text.split())


def _md_blocks(text: str) -> list[tuple[str, str]]:
    raw: list[tuple[int, str]] = []  # (heading level or 0 for paragraph, text)
    cur: list[str] = []

    def flush() -> None:
        if cur:
            raw.append((0, " ".join(cur)))
            cur.clear()

    fence = ""
    for line in text.split("\n"):
        s = line.strip()
        if fence:
            if s.startswith(fence):
                fence = ""
            continue
        if s.startswith("```") or s.startswith("~~~"):
            flush()
            fence = s[:3]
            continue
        while s.startswith(">"):
            s = s[1:].strip()
        if not s:
            flush()
            continue
        m = _MD_ATX.fullmatch(s)
        if m:
            flush()
            raw.append((len(m.group(1)), m.group(2) or ""))
            continue
        if _MD_SETEXT.fullmatch(s) and len(cur) == 1:
            raw.append((1 if s[0] == "=" else 2, cur.pop()))
            continue
        if _MD_RULE.fullmatch(s):
            flush()
            continue
        m = _MD_LIST.fullmatch(s)
        if m:
            flush()
            cur.append(m.group(1))
            continue
        if not cur and _MD_LINKDEF.fullmatch(s):
            continue
        cur.append(s)
    flush()

    cleaned = [(level, _md_inline(t)) for level, t in raw]
    cleaned = [(level, t) for level, t in cleaned if t]
    title_at = next((i for i, (level, _) in enumerate(cleaned) if level == 1), None)
    if title_at is None and cleaned and cleaned[0][0]:
        title_at = 0
    return _classify(cleaned, title_at)


def _classify(raw: list[tuple[int, str]], title_at: int | None) -> list[tuple[str, str]]:
    """(heading level or 0, text) pairs -> ("title" | "heading" | "skip" | "para", text)."""
    blocks: list[tuple[str, str]] = []
    for i, (level, t) in enumerate(raw):
        if i == title_at:
            blocks.append(("title", t))
        elif level:
            blocks.append(("heading", t))
        elif _is_boilerplate(t):
            blocks.append(("skip", t))
        else:
            blocks.append(("para", t))
    return blocks


# HTML ----------------------------------------------------------------------------------

_HTML_SKIP = frozenset(
    "script style noscript template svg head nav footer aside form iframe object canvas".split()
)
_HTML_BLOCK = frozenset(
    """p div li h1 h2 h3 h4 h5 h6 br hr blockquote section article main body tr td th pre
    header figure figcaption dd dt dl ul ol table thead tbody tfoot caption details
    summary address""".split()
)
_HTML_HEADINGS = {f"h{i}": i for i in range(1, 7)}


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.raw: list[tuple[int, str]] = []  # (heading level or 0, collapsed text)
        self.title_text: str | None = None
        self._buf: list[str] = []
        self._title_buf: list[str] | None = None
        self._skipping: list[str] = []
        self._level = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        self._buf.clear()
        if text:
            self.raw.append((self._level, text))
        self._level = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            if self.title_text is None and all(t == "head" for t in self._skipping):
                self._title_buf = []
            return
        if tag in _HTML_SKIP:
            self._skipping.append(tag)
            return
        if self._skipping:
            return
        if tag in _HTML_BLOCK:
            self._flush()
        if tag in _HTML_HEADINGS:
            self._level = _HTML_HEADINGS[tag]

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            if self._title_buf is not None:
                self.title_text = " ".join("".join(self._title_buf).split()) or None
                self._title_buf = None
            return
        if tag in _HTML_SKIP:
            if tag in self._skipping:
                # pop up to and including the innermost open element of this name
                idx = len(self._skipping) - 1 - self._skipping[::-1].index(tag)
                del self._skipping[idx:]
            return
        if self._skipping:
            return
        if tag in _HTML_BLOCK:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HTML_SKIP or tag == "title":
            return
        if not self._skipping and tag in _HTML_BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._title_buf is not None:
            self._title_buf.append(data)
        elif not self._skipping:
            self._buf.append(data)

    def close(self) -> None:
        super().close()
        if self._title_buf is not None:
            self.title_text = " ".join("".join(self._title_buf).split()) or None
            self._title_buf = None
        self._flush()


def _html_blocks(text: str) -> list[tuple[str, str]]:
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    title_at = next((i for i, (level, _) in enumerate(parser.raw) if level == 1), None)
    blocks: list[tuple[str, str]] = []
    if title_at is None and parser.title_text:
        blocks.append(("title", parser.title_text))
    return blocks + _classify(parser.raw, title_at)


# --------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------


def parse_text(
    text: str,
    *,
    fmt: str,
    doc_id: str = "D1",
    id_prefix: str = "",
    path: str = "-",
    sha256: str = "",
) -> Document:
    """Build a Document from already-decoded text in format ``txt``, ``md`` or ``html``.

    Raises InputError(``{path} is empty``) when no sentence is found.
    """
    if fmt == "txt":
        blocks = _txt_blocks(text)
        doc_text = text
    elif fmt == "md":
        blocks = _md_blocks(text)
        doc_text = "\n\n".join(t for _, t in blocks)
    elif fmt == "html":
        blocks = _html_blocks(text)
        doc_text = "\n\n".join(t for _, t in blocks)
    else:
        raise ValueError(f"unknown input format {fmt!r}; expected txt, md or html")

    body = [t for kind, t in blocks if kind == "para"]
    doc_lower = _is_lowercased(" ".join(body)) if body else False

    title: str | None = None
    heading: str | None = None
    section = 0
    paragraph = 0
    sentences: list[Sentence] = []
    known_spans: dict[str, list[tuple[int, int]]] = {}  # repeated paragraphs split once
    for kind, block in blocks:
        if kind == "title":
            if title is None:
                title = block
            continue
        if kind == "heading":
            heading = block
            section += 1
            continue
        if kind == "skip":
            continue
        spans = known_spans.get(block)
        if spans is None:
            spans = known_spans[block] = split_sentences(block, lowercase=True if doc_lower else None)
        if not spans:
            continue
        make = Sentence.make
        for start, end in spans:
            sentences.append(make(f"{id_prefix}S{len(sentences) + 1}", block[start:end], paragraph, section, heading))
        paragraph += 1

    if not sentences:
        raise InputError(f"{path} is empty")
    return Document(
        id=doc_id, path=path, sha256=sha256, text=doc_text, title=title, sentences=sentences
    )


_HTML_SNIFF = re.compile(r"\s*(?:<!doctype|<html|<!--|<[a-z][a-z0-9-]*[\s/>])", re.I)


def _format_for(path: str, text: str) -> str:
    if path == "-":
        return "html" if _HTML_SNIFF.match(text) else "txt"
    ext = os.path.splitext(path)[1].lower()
    if ext in (".html", ".htm", ".xhtml"):
        return "html"
    if ext in (".md", ".markdown"):
        return "md"
    return "txt"


def _too_big(path: str, size: int, max_bytes: int) -> InputError:
    return InputError(
        f"{path} is {size / _MB:.1f} MB, over the {max_bytes / _MB:g} MB input limit "
        "(--max-input-mb)"
    )


def _read_bytes(path: str, max_bytes: int, stdin: typing.BinaryIO | None) -> bytes:
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        try:
            data = stream.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
        if len(data) > max_bytes:
            raise _too_big(path, len(data), max_bytes)
        return data
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise InputError(f"no such file: {path}") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path} is a directory, not a file")
    if st.st_size > max_bytes:
        raise _too_big(path, st.st_size, max_bytes)
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except IsADirectoryError as exc:
        raise InputError(f"{path} is a directory, not a file") from exc
    except FileNotFoundError as exc:
        raise InputError(f"no such file: {path}") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:  # a file that grew, or a pipe/device with no size
        raise _too_big(path, len(data), max_bytes)
    return data


def read_source(
    path: str,
    *,
    doc_id: str = "D1",
    id_prefix: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: typing.BinaryIO | None = None,
    warn: Callable[[str], None] | None = None,
) -> Document:
    """Read one source file (``-`` for stdin) into a Document. Raises InputError."""
    data = _read_bytes(path, max_bytes, stdin)
    sha = hashlib.sha256(data).hexdigest()
    text = _decode(data, path, warn)
    if not text.strip():
        raise InputError(f"{path} is empty")
    return parse_text(
        text,
        fmt=_format_for(path, text),
        doc_id=doc_id,
        id_prefix=id_prefix,
        path=path,
        sha256=sha,
    )


def load_sources(
    paths: list[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: typing.BinaryIO | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[Document]:
    """Read several sources: D1, D2, ...; sentence ids get a "D2." prefix when n > 1."""
    several = len(paths) > 1
    docs = []
    for i, path in enumerate(paths, start=1):
        doc_id = f"D{i}"
        docs.append(
            read_source(
                path,
                doc_id=doc_id,
                id_prefix=f"{doc_id}." if several else "",
                max_bytes=max_bytes,
                stdin=stdin,
                warn=warn,
            )
        )
    return docs
