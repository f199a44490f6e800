"""Words as the lexical checks see them: lower-cased alphanumeric tokens, their n-grams,
and the share of one bag that another carries. Shared by the compare judges and the
offline engine's verify answers."""

from __future__ import annotations

import re

STOP = frozenset("""a an the and or but of to in on at by for with from as that this is are was were be
been has have had it its he she they his her their i you we said says will would not no who which
what when where after before over up out about into than more also being""".split())
_WORD = re.compile(r"[a-z0-9]+")


def word_tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def ngrams(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def precision(items: list, pool: set) -> float:
    """The share of ``items`` found in ``pool`` (1.0 for nothing to find)."""
    return sum(1 for x in items if x in pool) / len(items) if items else 1.0
