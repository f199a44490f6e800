"""Questions and the answers they get, in a transcript: what the press pressed on.

A press conference's news is often in the exchange: what a reporter asked, and what the
speaker said to it, or would not say ("I'm not going to comment on a story that posted a
few hours ago"). The question is the press's position (the side ``PRESS``), cited from its
own sentence; the answer is the speaker's, cited from theirs. An answer that refuses or
denies makes the exchange a dispute between the press and the speaker.
"""

from __future__ import annotations

import re
from collections import Counter

from ..schema import Dispute, Position, Stance
from .lexicon import GENERIC_TOPIC_WORDS, ROLE_WORDS, STOP, Line, content_words

PRESS = "Press"
# declining to say: a hedge in any text (``extractive._HEDGE``), an answer in a press exchange
REFUSE_TO_SAY = (r"(?:not going to|won[’']t|will not|can[’']t|cannot) (?:comment|get into|talk about|discuss|"
                 r"speculate|characterize)|no comment")
REFUSAL = re.compile(r"\b(?:" + REFUSE_TO_SAY + r"|not going to play|not playing|decline to (?:comment|discuss))\b", re.I)
# An answer that says no: 'No, that's not the way ...', 'That's not true', 'I disagree'.
DENIAL = re.compile(r"^\W*(?:no\b|not\b|nope\b|that[’']s not\b|that is not\b|i disagree\b|"
                    r"i don[’']t (?:think so|accept|agree)\b)|\b(?:not true|is false|is wrong|nonsense|ridiculous)\b", re.I)
_ADDRESS = re.compile(r"^\W*(?:(?:mr|madam|madame)\.?\s+(?:secretary|president|minister|ambassador|prime minister)"
                      r"|sir|ma[’']am)\s*[,—–-]\s*", re.I)


class Interview:
    """Follows a transcript's turns: the question pending, and the answer turn's sentences.
    At the end of each answer turn (``close``) the exchange is decided: the question with
    the answer's first refusal, else its first denial, else its first telling sentence."""

    def __init__(self, lines: list[Line]):
        self._asked: list[Line] = []  # question sentences since the last answer turn
        self._question: Line | None = None  # the question the current answer turn answers
        self._answers: list[tuple[Line, str, object, str | None]] = []
        self._lines = lines
        self._weights: Counter | None = None  # the transcript's word counts, made for the first dispute
        self.positions: list[Position] = []
        self.disputes: list[Dispute] = []

    def question(self, line: Line, text: str) -> None:
        self.close()
        if len(text.split()) >= 8 and "inaudible" not in text.lower():
            self._asked.append(Line(line.id, text, line.heading))

    def answer_turn(self) -> None:
        self.close()
        # the question most worth its answer: the longest of those just asked that asks
        # ('... ?', or cut off: '... had sought financial —'), not the remark before it
        asking = [q for q in self._asked if q.text.rstrip().endswith(("?", "—", "–", "-"))] or self._asked
        self._question = max(asking, key=lambda q: len(q.text.split())) if asking else None
        self._asked = []

    def answer(self, line: Line, spoken: str, speaker, statement: str | None) -> None:
        """A sentence of the current answer turn; ``statement`` is its position text, if any."""
        if self._question is not None:
            self._answers.append((line, spoken, speaker, statement))

    def close(self) -> None:
        """Decide the exchange of the answer turn that just ended."""
        question, answers = self._question, self._answers
        self._question, self._answers = None, []
        refusals = [a for a in answers if REFUSAL.search(a[1])]
        denials = [a for a in answers[:3] if DENIAL.search(a[1])]
        telling = [a for a in answers if a[3]]
        chosen = (refusals or denials or telling or [None])[0]
        if question is None or chosen is None:
            return
        line, spoken, speaker, statement = chosen
        asked_text = _ADDRESS.sub("", question.text).strip()
        asked_text = asked_text[:1].upper() + asked_text[1:]
        self.positions.append(Position(actor=PRESS, side=PRESS, text=asked_text, evidence=[question.id]))
        answer_text = statement or spoken.strip()
        if statement is None:
            self.positions.append(Position(actor=speaker.name, side=speaker.side, text=answer_text,
                                           evidence=[line.id]))
        if not (refusals or denials):
            return
        topic = self._topic(asked_text)
        if topic:
            self.disputes.append(Dispute(issue=topic, stances=[
                Stance(side=speaker.side or speaker.name, text=answer_text, evidence=[line.id]),
                Stance(side=PRESS, text=asked_text, evidence=[question.id])]))

    def _topic(self, question: str) -> str | None:
        """What a question is about: the name it asks about ('The Wall Street Journal', 'IG'),
        the one the transcript names most; else its word the transcript uses most."""
        if self._weights is None:
            self._weights = Counter(w for line in self._lines for w in content_words(line.text))
        runs = re.findall(r"(?<=\s)((?:[A-Z][\w’'\-]*\s?)+)", question)
        runs = [re.sub(r"^(?:The|A|An)\s+", "", r.strip()) for r in runs]
        runs = [r for r in runs if r and not all(w.lower() in STOP | ROLE_WORDS for w in r.split())]
        if runs:
            return max(runs, key=lambda r: (self._weights[r.split()[-1].lower()], len(r)))
        words = [w for w in content_words(question) if w not in GENERIC_TOPIC_WORDS]
        return max(words, key=lambda w: (self._weights[w], w)) if words else None
