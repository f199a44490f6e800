"""Disputes: subjects on which two sides' positions meet with a word of disagreement,
and one side's charge against another that names it; readable labels for them."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..schema import Dispute, Position, Stance
from ..text.ingest import split_sentences
from .gazetteer import COUNTRIES, canonical_token, side_words, sides_in, tokens_of
from .interviews import PRESS
from .lexicon import (
    GENERIC_TOPIC_WORDS,
    NEGATION_RE,
    SPEECH_VERBS,
    STOP,
    TIME_WORDS,
    content_words,
    regex,
)
from .speakers import ANALYSTS
from .steps import NEXT_CUES

# ---------------------------------------------------------------- disputes


def _own_words(pos: Position) -> str:
    """A position's own sentence: without the antecedent brought in to explain its 'it'."""
    if len(pos.evidence) < 2:
        return pos.text
    spans = split_sentences(pos.text)
    return pos.text[spans[-1][0]:] if spans else pos.text


_SPEECH_WORDS = frozenset(w for verb in SPEECH_VERBS.split("|") for w in content_words(verb))


def find_disputes(positions: list[Position], limit: int = 4, names: list[str] = (),
                  hints: list[str] = (), fallback: bool = True) -> list[Dispute]:
    """Disputes: subjects on which positions of two or more sides meet (with ``fallback``,
    when none do and the lead says the sides are at odds, the lead's main subject)."""
    by_side: dict[str, list[tuple[Position, set[str]]]] = {}
    for pos in positions:
        side = pos.side or pos.actor
        by_side.setdefault(side, []).append((pos, set(content_words(_own_words(pos)))))
    if len(by_side) < 2:
        return []
    excluded = set(GENERIC_TOPIC_WORDS) | _SPEECH_WORDS  # a subject, never 'demanded' or 'warned'
    for side in by_side:
        excluded |= side_words(side) | {canonical_token(w) for w in side_words(side)}
        excluded |= set(content_words(side))
    for name in [*names, *(p.actor for p in positions)]:  # people are not subjects
        excluded |= set(content_words(name))
    used: set[int] = set()
    disputes: list[Dispute] = []
    at_odds = bool(hints) and CONFLICT_RE.search(" ".join(hints)) is not None  # 'traded accusations'
    for _ in range(limit * 3):
        if len(disputes) >= limit:
            break
        score: Counter = Counter()
        sides_of: dict[str, set[str]] = {}
        for side, items in by_side.items():
            counts = Counter(w for pos, words in items if id(pos) not in used for w in words
                             if w not in excluded)
            for word, count in counts.items():
                score[word] += min(count, 3)
                sides_of.setdefault(word, set()).add(side)
        candidates = [(s, w) for w, s in score.items() if len(sides_of[w]) >= 2 and s >= 3]
        if not candidates:
            break
        candidates.sort(key=lambda c: (-c[0], c[1]))
        topic = candidates[0][1]
        excluded.add(topic)
        picked = [next(pos for pos, words in items if topic in words and id(pos) not in used)
                  for side, items in by_side.items()
                  if any(topic in words and id(pos) not in used for pos, words in items)]
        if not (at_odds or any(CONFLICT_RE.search(p.text) for p in picked)
                or sum(bool(NEGATION_RE.search(p.text)) for p in picked) >= 2):
            continue  # sides speaking on one subject without a word of disagreement: no dispute
        used.update(id(p) for p in picked)
        picked = [p for p in picked if p.side != ANALYSTS]  # commentators are no party to a dispute
        if len(picked) < 2:
            continue
        stances = [Stance(side=p.side or p.actor, text=p.text, evidence=list(p.evidence)) for p in picked]
        stances.sort(key=lambda s: -len(by_side[s.side]))
        disputes.append(Dispute(issue=topic, stances=stances))
    paired = {frozenset(s.side for s in d.stances) for d in disputes if len(d.stances) == 2}
    for dispute in _accusations(by_side, used, excluded):
        # a charge between two sides that no dispute above already sets against each other
        if len(disputes) < limit and not any(frozenset(s.side for s in dispute.stances) <= p for p in paired):
            disputes.append(dispute)
    if fallback and not disputes and hints and CONFLICT_RE.search(" ".join(hints)):
        fallback = _main_topic_dispute(by_side, hints, excluded)
        if fallback:
            disputes.append(fallback)
    return disputes


CONFLICT_RE = re.compile(
    r"\b(?:accus\w*|reject\w*|denied|denies|deny|clash\w*|disput\w*|condemn\w*|protest\w*|"
    r"critici[sz]\w*|oppos\w*|blam\w*|refus\w*|dismiss\w*|rebuff\w*|retaliat\w*|"
    r"tension\w*|standoff|at odds|feud\w*|row over|spat|fail\w* to agree|split over)\b", re.I)


def _accusations(by_side: dict, used: set[int], excluded: set[str]) -> list[Dispute]:
    """'The United States accuses Iran of seeking a bomb' / 'Iran insists its program is
    peaceful': one side's charge against another that names it, and the named side's
    statement sharing most of its subject words."""
    found = []
    for side, items in by_side.items():
        for pos, words in items:
            if id(pos) in used or not CONFLICT_RE.search(pos.text):
                continue
            for other in sides_in(pos.text):
                answers = [(len((words & w) - excluded), p) for p, w in by_side.get(other, []) if id(p) not in used]
                shared, answer = max(answers, key=lambda a: a[0], default=(0, None))
                if other == side or answer is None or shared < 1:
                    continue
                topic = sorted((words & set(content_words(answer.text))) - excluded)[0]
                used.update({id(pos), id(answer)})
                found.append(Dispute(issue=topic, stances=[Stance(side=side, text=pos.text, evidence=list(pos.evidence)),
                                                           Stance(side=other, text=answer.text, evidence=list(answer.evidence))]))
                break
    return found


def _is_plan(text: str) -> bool:
    return any(cue.search(text) for cue, _ in NEXT_CUES)


def _main_topic_dispute(by_side: dict, hints: list[str], excluded: set[str]) -> Dispute | None:
    """When the lead says the sides are at odds but their statements share no word, the
    dispute is the lead's main subject, with each of the two main sides' first position."""
    hint_words = Counter(w for h in hints for w in content_words(h) if w not in excluded)
    if not hint_words:
        return None
    everything = Counter(w for items in by_side.values() for _, words in items for w in words)
    topic = max(hint_words, key=lambda w: (hint_words[w] + everything[w], w))
    main = sorted(by_side, key=lambda side: -len(by_side[side]))[:2]
    stances = []
    for side in main:
        # the side's statement on the topic, else its sharpest, else its first
        items = by_side[side]
        pos = next((p for p, words in items if topic in words and not _is_plan(p.text)), None) or \
            next((p for p, _ in items if CONFLICT_RE.search(p.text)), None) or \
            next((p for p, words in items if topic in words), items[0][0])
        stances.append(Stance(side=side, text=pos.text, evidence=list(pos.evidence)))
    return Dispute(issue=topic, stances=stances)


# a phrase ending in one of these is a subject and its verb ('attack appears'), no label,
# and none is a topic
_VERBS_AFTER_A_SUBJECT = frozenset("appears appeared seems seemed remains remained looks looked comes came goes went "
                                   "happened occurred took takes began begins continue continues continued".split())


# a label is a noun phrase: no conjunction, no 'said', no form of 'be' ('boundaries be restored')
_NOT_IN_A_LABEL = frozenset("said and or be been being is are was were".split())


def label_issue(topic: str, texts: list[str]) -> str:
    """A readable label for a topic word: its most frequent short phrase in ``texts``."""
    grams: Counter = Counter()
    first_seen: dict[str, int] = {}
    # a token is the topic only where the topic or a token naming it occurs in the text:
    # an ASCII text that holds none of them adds no phrase (most texts, for a topic word)
    forms = [topic, *tokens_of(topic)]
    for text in texts:
        if text.isascii() and not any(form in text.lower() for form in forms):
            continue
        for piece in re.split(r"[,;:()“”\"]|\s[—–-]\s", text):  # a phrase never runs over a comma
            tokens = re.findall(r"[\w’'\-]+", piece)
            lowered = [t.lower() for t in tokens]
            # which tokens are the topic, worked out once per token rather than once per n-gram
            is_topic = [canonical_token(w.replace("’s", "")) == topic or w.rstrip("s") == topic for w in lowered]
            for n in (2, 3):
                for i in range(len(tokens) - n + 1):
                    if not any(is_topic[i: i + n]):
                        continue
                    gram = tokens[i: i + n]
                    low = lowered[i: i + n]
                    if low[0] in STOP or low[-1] in STOP or any(w in _NOT_IN_A_LABEL for w in low) \
                            or low[-1] in _VERBS_AFTER_A_SUBJECT or low[0] in _VERBS_AFTER_A_SUBJECT \
                            or low[0] in TIME_WORDS or low[-1] in TIME_WORDS:
                        continue
                    phrase = " ".join(gram)
                    grams[phrase] += 1
                    first_seen.setdefault(phrase, len(first_seen))
    if not grams:  # the word as the text writes it ('hostages' for the topic 'hostage')
        written = next((w for text in texts for w in re.findall(r"[\w’'\-]+", text)
                        if w.lower().rstrip("s") == topic and w.islower()), topic)
        return written[:1].upper() + written[1:]
    best = sorted(grams, key=lambda p: (-grams[p], len(p.split()), not p.lower().startswith(topic),
                                        first_seen[p]))[0]
    return best[:1].upper() + best[1:]


# 'urged the Plateforme armed groups to withdraw immediately their forces', 'demanded that
# Russia cease ...': a call on a party to stop what it is doing charges it with doing it
_STOP_VERBS = r"(?:immediately\s+)?(?:withdraw|cease|stop|halt|end|release|free|pull\s+back|pull\s+out|vacate)\b"
_STOP_DEMAND = (r"\b(?:urg(?:e|es|ed|ing)|demand(?:s|ed|ing)?|call(?:s|ed|ing)?\s+(?:on|upon))\s+"
                r"(?:that\s+)?(?:[\w’'\-]+\s+){1,6}?(?:to\s+)?" + _STOP_VERBS)
_STOP_DEMAND_AFTER = re.compile(r"\W*(?:[\w’'\-]+\s+){0,4}?(?:to\s+)?" + _STOP_VERBS, re.I)
# A charge one side lays against another: the dispute stands even when the other side's
# answer is not in the text ('Albertsons filed a lawsuit against The Kroger Co. ...').
CHARGE_RE = re.compile(
    r"\b(?:accus\w*|violat\w*|breach\w*|fail(?:ed|s|ure)? to|refus\w*|threat\w*|illegal\w*|unlawful\w*|"
    r"obstruct\w*|lawsuit|sued|sues|sanction\w*|condemn\w*|blam\w*|deplor\w*|abus\w*|kill\w*|"
    r"neither|(?:has|have|had) not|hasn[’']t|haven[’']t|"
    r"insists? on|(?:raised|raises|expressed|expresses|voiced)\s+(?:\w+\s+){0,2}concerns?|unfair\w*|"
    r"call(?:s|ed)? for restraint)\b|" + _STOP_DEMAND, re.I)
_ADDRESSED = re.compile(r"\b(?:urges?|urged|urging|call(?:s|ed)? on|ask(?:s|ed)?|request(?:s|ed)?|encourages?)\s+"
                        r"(?:\w+\s+){0,2}$", re.I)
_COURT_CASE = re.compile(r"\b(?:pleaded|pled|pleads|charged|indicted|convicted|sentenced|arraigned)\b", re.I)
_ORG_TAIL = re.compile(r"(?:\s+(?:companies|company|inc|corp|corporation|co|ltd|llc|plc|group|holdings)\.?)+$", re.I)


PER_PAIR = 2
_NOBODY = re.compile(r"\b(?:no\s+one|nobody|none|no\s+\w+)\s+(?:was|were|has\s+been|have\s+been)\s+$", re.I)
# 'trafficking cocaine from South America to Mexico': a place things go to or come from
_LOCATIVE = re.compile(r"\b(?:from|to|into|across|throughout|via|through)\s+(?:the\s+)?$", re.I)
# 'an Ecuador-based network' names a place, not the state as a party
_NOT_A_PLACE_OF = r"(?![\w]|-(?:based|born|made|registered|headquartered|flagged)\b)"
# a sentence that names its subject first: 'On Taiwan, ...', 'Regarding the tariffs, ...'
_NAMED_TOPIC = re.compile(r"\W*(?:on|regarding|as for|as to|turning to|with regard to|with respect to)\s+"
                          r"(?:the\s+(?:issue|question|subject|matter)\s+of\s+)?([^,;:]{2,40}?),\s", re.I)


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern:
    """A party's name as a whole word, not as a place ('an Ecuador-based network'); compiled
    once per name (a text's names outnumber the re module's own cache)."""
    return re.compile(r"(?<![\w])" + re.escape(name) + _NOT_A_PLACE_OF, re.I)


_POSSESSIVE = re.compile(r"[’']s?\s+")
_ONE_WORD = re.compile(r"\w+\s+")


def _charged_after(text: str, end: int) -> bool:
    """'Kroger’s failure', 'the DPRK’s continued violations': a possessive of the name that
    ends at ``end``, then a charge word (one word may stand between)."""
    if not (mark := _POSSESSIVE.match(text, end)):
        return False
    if CHARGE_RE.match(text, mark.end()):
        return True
    word = _ONE_WORD.match(text, mark.end())
    return word is not None and CHARGE_RE.match(text, word.end()) is not None


def one_sided_charges(positions: list[Position], targets: dict[str, str], disputes: list[Dispute], texts: list[str],
                      limit: int = 2) -> list[Dispute]:
    """Charges against a party that no two-sided dispute answers: one stance each,
    the issue naming both ('Merger agreement: Albertsons against Kroger'). ``targets`` maps
    the names of the parties and sides the text knows to their sides; ``disputes`` are those
    found already: their sentences are taken, and two sides they set against each other need
    no charge between them."""
    taken = {i for d in disputes for s in d.stances for i in s.evidence}
    paired = {frozenset(s.side for s in d.stances) for d in disputes if len({s.side for s in d.stances}) > 1}
    forms = {}
    for target in targets:
        short = _ORG_TAIL.sub("", re.sub(r"^the\s+", "", target, flags=re.I)).strip()
        forms[target] = {target, short} if len(short) > 2 else {target}
        # a country under any of its names ('DPRK', 'North Korean'), but not 'us' or 'un'
        forms[target] |= {p for p in COUNTRIES.get(target, ()) if len(p) > 2 and "." not in p}
    weights: Counter | None = None  # the texts' word counts, made when a charge needs its topic
    found: list[Dispute] = []
    charged: Counter = Counter()  # (accuser, charged) -> charges taken
    # the earliest charge first: a text opens with its main one ('... filed a lawsuit against ...')
    for pos in sorted(positions, key=lambda p: [int(n) for n in re.findall(r"\d+", p.evidence[-1])]):
        own = _own_words(pos)
        # (not a killing denied: 'no one was killed in this attack')
        charge = next((m for m in CHARGE_RE.finditer(own) if not _NOBODY.search(own, 0, m.start())), None)
        if len(found) >= limit or set(pos.evidence) & taken or not charge or _COURT_CASE.search(own):
            continue  # a defendant's case is the prosecution's position, not a charge against a party it names
        side = pos.side or pos.actor
        if side == PRESS:
            continue  # a reporter's question charges nobody
        at: dict[str, tuple[int, str]] = {}  # the side charged -> (where it is named, its shortest name)
        for target, names in forms.items():
            accusers_own = targets[target] == side or side in sides_in(target)  # 'Israel Defense Forces'
            if accusers_own or frozenset({side, targets[target]}) in paired \
                    or any(n.lower() in side.lower() or side.lower() in n.lower() for n in names):
                continue
            named = [m for n in names for m in _name_pattern(n).finditer(own)]
            spots = [(m.start(), m.group(0)) for m in named
                     if not _LOCATIVE.search(own[max(0, m.start() - 12): m.start()])  # 'from South America to Mexico'
                     and not _ADDRESSED.search(own[max(0, m.start() - 30): m.start()])  # 'we urge the UN to ...'
                     or _STOP_DEMAND_AFTER.match(own[m.end():])]  # '... urged Hamas to release ...
            if possessive := [(m.start() - 1000, m.group(0)) for m in named if _charged_after(own, m.end())]:
                spots = possessive  # 'Kroger’s failure', 'the DPRK’s violations': it, before any other
            if spots:  # where it is named first, and its shortest name as the text writes it
                spots += [at[targets[target]]] if targets[target] in at else []
                at[targets[target]] = (min(spot for spot, _ in spots), min((name for _, name in spots), key=len))
        if not at:
            continue
        if re.search(r"\bneither\b", own, re.I) and len(at) >= 2:
            chosen = sorted(at.values())[:2]  # 'neither the SAF nor the RSF': both
        else:  # the party named nearest the charge, after it first ('a lawsuit against Kroger in ...')
            # (a possessive before its charge word first, then a name after the charge, then one before)
            chosen = [min(at.values(), key=lambda v: (0 if v[0] < 0 else 1 + (v[0] < charge.start()),
                                                      abs(v[0] - charge.start())))]
        target = " and ".join(name.title() if name.islower() else name for _, name in chosen)  # lower-cased text
        key = (side, frozenset(charged_side for charged_side, spot in at.items() if spot in chosen))
        opens_with_charged = all(not re.sub(r"(?i)\bthe\b", "", own[: spot + 1000 * (spot < 0)]).strip()
                                 for spot, _ in chosen)  # 'Zenith refused to ...': its own record
        if charged[key] >= PER_PAIR or (charged[key] and opens_with_charged):
            continue  # a few charges per pair of parties: the most telling, which come first
        charged[key] += 1
        excluded = set(GENERIC_TOPIC_WORDS) | _SPEECH_WORDS | set(content_words(side)) | \
            {w for t in targets for w in content_words(t)} | side_words(side)  # a party is no subject
        # (not what a call demands: 'withdraw immediately' is the charge, not its subject)
        words = [w for w in content_words(own) if w not in excluded and w not in TIME_WORDS
                 and w not in _VERBS_AFTER_A_SUBJECT
                 and not re.fullmatch(_STOP_VERBS + r"|\w+ly", w)]
        if not words:
            continue
        weights = weights or Counter(w for text in texts for w in content_words(text))
        # the most frequent; on a tie, a name ('Ménaka') before a common word ('city')
        topic = max(words, key=lambda w: (weights[w], regex(r"(?<![\w])" + w[:1].upper() + re.escape(w[1:])).search(own)
                                          is not None, w))
        named_topic = _NAMED_TOPIC.match(own)  # 'On Taiwan, President Biden emphasized ...'
        label = named_topic.group(1) if named_topic else label_issue(topic, texts)
        found.append(Dispute(issue=f"{label[:1].upper()}{label[1:]}: {side} against {target}",
                             stances=[Stance(side=side, text=pos.text, evidence=list(pos.evidence))]))
        taken |= set(pos.evidence)
    return found


# 'A demanded X, while B demanded Y': a cut between two clauses that contrasts them
_CONTRAST = re.compile(r",?\s+(?:while|whereas)\s+|;\s+(?:but\s+|while\s+|whereas\s+)?|,\s+but\s+", re.I)
# what a side says or wants, near the start of its clause ('Israel demanded', 'the union wants')
_STANCE_VERB = re.compile(
    r"\b(?:demand\w*|want\w*|seek\w*|sought|insist\w*|prefer\w*|favou?r\w*|oppos\w*|reject\w*|"
    r"call\w* for|push\w* for|propos\w*|argu\w*|says?|said|accus\w*|blam\w*|den(?:y|ies|ied)|refus\w*|"
    r"maintain\w*|contend\w*|claim\w*|express\w*\s+(?:openness|support|opposition|concerns?|readiness|willingness|"
    r"reservations|doubts)|support(?:s|ed|ing)?|back(?:s|ed|ing))\b", re.I)


_DIVISION_WORDS = frozenset("division divided split disagreement idea question issue matter".split())


def contrasted_stances(positions: list[Position], side_of, texts: list[str]) -> list[Dispute]:
    """'Hamas demanded an end to the blockade, while Israel demanded a de-militarization of
    Gaza': one sentence setting two sides' stances against each other is a dispute between
    them, each clause the stance of the side it opens with. ``side_of`` gives the side a
    clause opens with (None when it opens with none)."""
    found: list[Dispute] = []
    for pos in positions:
        own = _own_words(pos)
        cut = _CONTRAST.search(own)
        if cut is None:
            continue
        first, second = own[: cut.start()].strip(), own[cut.end():].strip()
        # 'There was division on ..., with governments such as Britain and Sweden expressing
        # openness to the idea while ...': the first side's clause is the one after 'with'
        framing, _, first = re.split(r"(,\s+with\s+)(?=(?:\S+\s+){1,8}?\w+ing\b)", first, maxsplit=1)[-3:] \
            if re.search(r",\s+with\s+(?=(?:\S+\s+){1,8}?\w+ing\b)", first) else ("", "", first)
        if not all(_STANCE_VERB.search(" ".join(clause.split()[:8])) for clause in (first, second)):
            continue
        first_side, second_side = side_of(first), side_of(second)
        if not first_side or not second_side or first_side == second_side:
            continue
        # the subject: what the first clause wants, its object's head when no word is more frequent
        subjects = set(content_words(" ".join(first.split()[:3]) + " " + " ".join(second.split()[:3])))
        excluded = set(GENERIC_TOPIC_WORDS) | _SPEECH_WORDS | subjects | side_words(first_side) | side_words(second_side)
        # (what a framing says they are divided on, if it does: 'division on the idea of
        # deploying peacekeepers to Ukraine'), else what the first clause wants
        on = re.search(r"\b(?:division|divided|split|disagreement)\s+(?:on|over|about)\s+(?P<what>.+?)"
                       r"(?:\s+(?:to|as|in|for|at)\b|$)", framing)
        words = [w for w in content_words(on.group("what") if on else first) if w not in excluded
                 and w not in TIME_WORDS and not sides_in(w) and not _STANCE_VERB.fullmatch(w) and w not in _DIVISION_WORDS]
        if not words:
            continue
        weights = Counter(w for text in texts for w in content_words(text))
        # a thing before a doing ('boundaries', not 'restored'), then the most frequent
        topic = max(reversed(words), key=lambda w: (not re.search(r"(?:ed|ing)$", w), weights[w]))
        evidence = list(pos.evidence[-1:])
        found.append(Dispute(issue=label_issue(topic, texts), stances=[
            Stance(side=first_side, text=first[:1].upper() + first[1:], evidence=evidence),
            Stance(side=second_side, text=second[:1].upper() + second[1:], evidence=evidence)]))
    return found


# 'Rojas denied the charge.', 'Peru rejects that reading of the treaty': an answer to the
# sentence before it, whose object points back at what that sentence said
_REBUTTAL = re.compile(
    r"\b(?:den(?:y|ies|ied)|reject(?:s|ed)?|dismiss(?:es|ed)?|disput(?:es|ed)|refut(?:es|ed)|rebuff(?:s|ed)?|"
    r"contest(?:s|ed)?)\s+(?:(?:that|this|these|those|the|such|his|her|their|its)\s+(?:[\w\-]+\s+)?"
    r"(?:charges?|accusations?|claims?|allegations?|reading|readings|reports?|assertions?|suggestions?|"
    r"interpretations?|account|characteri[sz]ations?|view|argument|demands?|proposals?)\b|that\s*[,.;]|this\s*[,.;]|it\s*[,.;])",
    re.I)


def rebuttals(positions: list[Position], texts: list[str], order: dict[str, int]) -> list[Dispute]:
    """A side's answer to the sentence just before it, which another side said: 'Soto
    accused Chile of violating the boundary.' / 'Rojas denied the charge.' The two are a
    dispute, the answer cited with what it answers (``order``: sentence id -> position)."""
    by_sentence = {p.evidence[-1]: p for p in positions}
    at = {i: sid for sid, i in order.items()}
    weights: Counter | None = None  # the text's word counts, made for the first rebuttal
    found: list[Dispute] = []
    for pos in positions:
        sid = pos.evidence[-1]
        if not _REBUTTAL.search(_own_words(pos)) or sid not in order:
            continue
        side = pos.side or pos.actor
        # what it answers: of another side's sentences among the three before it, the nearest
        # that charges or disputes ('Moscow was "using hunger as a weapon"', then a quote,
        # then 'Vershinin rejected the accusation'), else the one just before
        earlier = [by_sentence.get(at.get(order[sid] - k, "")) for k in (1, 2, 3)]
        earlier = [p for p in earlier if p is not None and (p.side or p.actor) != side and len(p.evidence) == 1]
        charged = [p for p in earlier if CONFLICT_RE.search(p.text) or CHARGE_RE.search(p.text)]
        just_before = by_sentence.get(at.get(order[sid] - 1, ""))
        before = charged[0] if charged else just_before if just_before in earlier else None
        if before is None:
            continue
        other = before.side or before.actor
        words = [w for w in content_words(before.text) if w not in GENERIC_TOPIC_WORDS and w not in _SPEECH_WORDS
                 and not sides_in(w) and w not in TIME_WORDS and not CONFLICT_RE.fullmatch(w)
                 and w not in side_words(side) | side_words(other)
                 and not any(w in content_words(name) for name in (pos.actor, before.actor))]
        if not words:
            continue
        # a word both say ('that reading of the treaty'), else the first the text uses most,
        # a noun rather than a verb form where they tie
        if weights is None:
            weights = Counter(w for text in texts for w in content_words(text))
        answer = set(content_words(_own_words(pos)))
        topic = max(words, key=lambda w: (w in answer, weights[w], not w.endswith(("ing", "ed"))))
        # the charge's own quoted words name it best ('Moscow was "using hunger as a weapon"')
        quoted = [q for q in re.findall(r"[“\"]([^”\"]{3,60})[”\"]", before.text) if 2 <= len(q.split()) <= 6]
        issue = quoted[0][:1].upper() + quoted[0][1:].rstrip(".,") if quoted else label_issue(topic, texts)
        found.append(Dispute(issue=issue, stances=[
            Stance(side=other, text=before.text, evidence=list(before.evidence)),
            Stance(side=side, text=_own_words(pos), evidence=[sid])]))
    return found
