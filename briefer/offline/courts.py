"""Court texts: charges, pleas and whose account court documents give.

A prosecutor's release speaks through its records ("According to court documents, ...",
"X is charged with ...") rather than through a quoted official; the defendant's plea of not
guilty disputes those charges. Rules about court and prosecutor prose in general.
"""

from __future__ import annotations

import re

from ..schema import Dispute, Position, Stance
from .gazetteer import sides_in
from .lexicon import Line

COURT_RECORD = re.compile(r"\baccording to (?:the )?(?:court documents|court records|(?:superseding )?indictment|"
                           r"(?:criminal )?complaint|charging documents|plea agreement|plea documents|"
                           r"evidence (?:presented )?at trial|prosecutors)\b", re.I)
CHARGED = re.compile(r"\b(?:is|are|was|were|has been|have been)\s+(?:charged|indicted|arraigned|extradited|"
                      r"convicted|sentenced)\b|\bfaces? (?:a maximum|up to|a mandatory)\b", re.I)
CHARGED_WORDS = ("charged", "indicted", "arraigned", "extradited", "convicted", "sentenced", "face")
PLEA = re.compile(r"\b(?:pleaded|pled|pleads)\s+(?:not\s+)?guilty\b", re.I)
_PROSECUTOR = re.compile(r"\b(?:justice department|department of justice|u\.\s?s\. attorney|attorney general|"
                         r"district attorney|prosecutors?|public prosecutor)\b", re.I)


_DENIES_CHARGES = re.compile(r"\b(?:pleaded|pled|pleads|pleading)\s+not\s+guilty\b|"
                             r"\b(?:denied|denies|deny|rejected|rejects|disputes?)\s+(?:the|all|any)\s+(?:charges|allegations)\b",
                             re.I)


def plea_dispute(positions: list[Position]) -> Dispute | None:
    """A defendant who pleads not guilty disputes the charges: the prosecution's first
    charge against the plea."""
    plea = next((p for p in positions if _DENIES_CHARGES.search(p.text)), None)
    if plea is None:
        return None
    others = [p for p in positions if p.side != plea.side and not _DENIES_CHARGES.search(p.text)]
    charge = next((p for p in others if re.search(r"\b(?:charged|indicted)\s+(?:\w+\s+){0,6}?with\b", p.text, re.I)),
                  None) or next((p for p in others if CHARGED.search(p.text)), None)
    if charge is None:
        return None
    return Dispute(issue="The charges", stances=[
        Stance(side=charge.side or charge.actor, text=charge.text, evidence=list(charge.evidence)),
        Stance(side=plea.side or plea.actor, text=plea.text, evidence=list(plea.evidence))])


def prosecution_side(lines: list[Line]) -> str:
    """Whose account court documents give: the side of the prosecutors the text names
    (the U.S. Attorney's Office -> United States), else simply 'Prosecution'."""
    for line in lines:
        low = line.text.lower()
        if ("justice" in low or "attorney" in low or "prosecutor" in low) and (match := _PROSECUTOR.search(line.text)):
            sides = sides_in(line.text[max(0, match.start() - 30): match.end() + 30])
            if sides:
                return sides[0]
    return "Prosecution"
