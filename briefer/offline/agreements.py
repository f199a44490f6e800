"""Agreements: what parties agreed, committed to together, or what their talks produced.

"agreed to", "reached an agreement", "signed a memorandum"; several parties as one subject
committing together ("The United States, Armenia, and Azerbaijan reaffirm ..."); what
talks led to. An agreement missed ("failed to reach an agreement") is none.
"""

from __future__ import annotations

import re

from .gazetteer import sides_in
from .lexicon import NEGATION_RE, VERB_RE

_AGREE_RE = re.compile(
    r"\b(?:(?:both|the two|all)\s+(?:\w+\s+){0,2}(?:agreed|agree|pledged|committed|vowed)|"
    r"(?:agreed|agree) (?:to (?:a|an|the|work|cooperate|resume|hold|continue|meet|establish|keep|maintain|"
    r"reconvene|advance|convene|organi[sz]e|bolster|strengthen|develop|implement|"
    r"extend|expand|restore|set up|create|launch|form)|on (?:a|an|the)\b)|"
    r"reached (?:a|an|the)? ?(?:\w+ )?(?:agreement|deal|consensus|understanding|accord)|"
    r"signed (?:a|an|the)? ?(?:\w+ )?(?:agreement|deal|accord|treaty|memorandum|declaration)|"
    # 'Negotiators struck a deal', 'announced a deal to share ...', 'concluded a free trade agreement'
    r"(?:announced|concluded|struck|sealed|clinched|finali[sz]ed|brokered)\s+(?:a|an|the)?\s?(?:[\w\-]+\s+){0,3}?"
    r"(?:agreement|deal|accord|treaty|truce|ceasefire|cease-fire|settlement)|"
    # 'Peru accepted Chile's proposal': one side taking up the other's offer
    r"accepted\s+(?:(?:the|a|an|its|their)\s+|[\w\-]+[’']s?\s+)(?:[\w\-]+\s+){0,2}?(?:proposal|offer|plan|terms|invitation)|"
    r"(?:agreement|deal|accord|treaty|memorandum|convention)s?\s+(?:was|were|has been|have been)\s+ratified|"
    # 'The two countries established a joint working group': a body they set up together
    r"(?:established|set up|created|formed)\s+(?:a|an|the)\s+(?:new\s+)?joint\s+|"
    r"(?:agreement|deal|consensus) (?:was|has been|had been) reached|joint statement|"
    # 'we jointly declare our intention to ...': issuers committing as one
    r"jointly (?:declare|decide|commit|resolve|pledge|affirm)\w*|"
    # '(The Memorandum of Understanding was signed.)': a transcript's note of the act
    r"(?:agreement|deal|accord|treaty|memorandum|declaration|understanding|mou)s? (?:was|were|has been|have been) signed|"
    r"(?:it was|it has been|have|has|both sides|they|leaders|ministers)\s+agreed|"
    r"\b\w+ and (?:\w+\s+){1,4}agreed (?:that|to|on)|"
    # what talks produced: 'The talks led to the creation of ...', '... producing significant results'
    r"(?:talks|negotiations|dialogue|meetings?|summit)\s+(?:have\s+|has\s+)?(?:led to|produced|resulted in|yielded|"
    r"delivered)|producing (?:significant |concrete |tangible )?(?:results|reforms|progress)|"
    # 'Ceasefire talks ... appeared to have made some progress with agreement reported on easing ...'
    r"(?:talks|negotiations|dialogue)\s+(?:\w+\s+){0,5}made\s+(?:some\s+|significant\s+|real\s+|good\s+|"
    r"substantial\s+)?progress|(?:with|an?)\s+agreement\s+(?:reported\s+|reached\s+)?on\s+\w+ing)\b", re.I)


_AGREE_WORDS = ("agree", "pledged", "committed", "vowed", "reached", "signed", "joint", "jointly", "deal", "accord",
                "treaty", "truce", "ceasefire", "cease-fire", "settlement", "accepted", "ratified",
                "led to", "produced", "resulted in", "yielded", "delivered", "producing", "progress")


_JOINT_VERB = re.compile(
    r"\s+(?:(?:also|jointly|again|today|fully)\s+)?(?:reaffirm\w*|remain(?:s)? committed|are committed|commit\w*|"
    r"agree\w*|pledg\w*|vow\w*|welcome\w*|maintain\w*|are taking|have taken|will continue|continue to|"
    r"underscore\w*|support\w*|call on|urge\w*|intend to|plan to|look forward)\b", re.I)
_COLLECTIVE = re.compile(r"^(?:(?:the|both|all)\s+(?:(?:two|three|four|five|several|participating|member|signatory|"
                         r"neighbou?ring)\s+)?(?:sides|states|countries|parties|"
                         r"governments|leaders|ministers|nations|delegations|signatories|participants)|"
                         # 'Participating states also intend to ...': no article needed
                         r"(?:participating|member|signatory)\s+(?:states|countries|governments|parties))$", re.I)


_GROUP = re.compile(r"(?:(?:the|both|all)\s+)?(?:(?:two|three|four|five|several|participating|member|signatory)\s+)?"
                    r"(?:sides|parties|leaders|ministers|delegations|signatories|participants)", re.I)
DIVIDED = re.compile(r"\b(?:disagree\w*|differ\w*|divergen\w*|clash\w*|disput\w*|at odds|failed|no agreement|"
                      r"not agree\w*|accus\w*|blam\w*)", re.I)


# the group, then its verb (any word but one that goes on the subject: 'of', 'and', 'who')
_VERB_NEXT = r"\s+(?:also\s+|jointly\s+)?(?!(?:of|and|or|who|which|that|in|from|at|to)\b)[a-z]+\b"
_OPENS_WITH_GROUP = re.compile(r"^\W*(?:[^,;:“”\"]{0,80},\s+)?" + _GROUP.pattern + _VERB_NEXT, re.I)
_THEY = re.compile(r"^\W*(?:[^,;:“”\"]{0,80},\s+)?they" + _VERB_NEXT, re.I)
# (but 'discussed continued cooperation on ...', 'discussed ways to deepen ...': a shared aim)
_NOT_COMMON = re.compile(r"\b(?:exchanged (?:views|opinions)|discussed(?!\s+(?:(?:continued|further|closer|deeper|expanded|"
                         r"enhanced|increased|new|future)\s+(?:\w+\s+){0,2}?(?:cooperation|collaboration|coordination|"
                         r"partnership)|ways\s+to\s+(?:strengthen|deepen|expand|enhance|advance|increase|improve))\b)|"
                         r"held (?:a|an|talks))\b", re.I)


def done_together(text: str, after_group: bool) -> bool:
    """'The two leaders made progress on ...', then 'They welcomed the resumption of ...':
    what a group acting as one did is common ground (not where they part, not a talk held)."""
    opens = _OPENS_WITH_GROUP.match(text) or (after_group and _THEY.match(text))
    return bool(opens) and not DIVIDED.search(text) and not _NOT_COMMON.search(text)


def opens_with_group(text: str) -> bool:
    return _OPENS_WITH_GROUP.match(text) is not None


def refers_to_group(text: str) -> bool:
    """'The participants decided ...', 'They welcomed ...': its subject is a group named before."""
    return _OPENS_WITH_GROUP.match(text) is not None or _THEY.match(text) is not None


def group_named(text: str) -> str | None:
    """The group a sentence opens with ('Both sides welcomed ...': 'Both sides')."""
    if not _OPENS_WITH_GROUP.match(text):
        return None
    found = _GROUP.search(text)
    return found.group(0) if found else None


def said_together(speaker: str, text: str) -> bool:
    """'The two leaders reiterated ...', 'The Parties expressed their gratitude ...': what a
    group speaking as one says is common ground, unless it says where they part."""
    return _GROUP.fullmatch(speaker.strip()) is not None and not DIVIDED.search(text)


# Words one of which every alternative of _JOINT_VERB holds (lower-cased, blanks as in it):
# an ASCII sentence with none of them is spared its search, which tries it at every blank.
_JOINT_WORDS = ("reaffirm", "remain", "commit", "agree", "pledg", "vow", "welcome", "maintain", "are taking",
                "have taken", "continue", "underscore", "support", "call on", "urge", "intend to", "plan to",
                "look forward")


def _is_joint_commitment(text: str) -> bool:
    """'The United States, Armenia, and Azerbaijan reaffirm ...', 'The three states remain
    committed to ...': two or more parties, as one subject, committing together."""
    if text.isascii():
        low = text.lower()
        if not any(word in low for word in _JOINT_WORDS):
            return False
    match = _JOINT_VERB.search(text)
    if not match:
        return False
    subject = re.sub(r"^\s*(?:(?:today|together|now|in addition|additionally|moreover),?\s+)+", "",
                     text[: match.start()], flags=re.I).strip(" ,")
    if len(subject.split()) > 12 or VERB_RE.search(subject) or NEGATION_RE.search(text[: match.end()]):
        return False
    return bool(_COLLECTIVE.match(subject)) or (" and " in subject and len(sides_in(subject)) >= 2)


# What a deliberating body settled: 'The Board approved renewal of ...', 'the existing rate
# was maintained', 'The council voted to adopt ...': the decision the meeting produced
_DECIDED_BY_BODY = re.compile(
    r"(?:^|[,;]\s+)(?:the\s+)?(?:[\w’'.\-]+\s+){0,4}?(?:board|committee|council|commission|assembly|parliament|"
    r"senate|cabinet|governors|directors|shareholders|members|panel|meeting)\s+(?:(?:\w+ly|today|yesterday|also)\s+)?"
    r"(?:approved|adopted|ratified|endorsed|renewed|voted\s+(?:unanimously\s+)?to\s+\w+|"
    # 'The National Assembly established a commission to reform ...', 'passed a law ...'
    r"(?:established|created|set\s+up)\s+(?:a|an)\s+(?:\w+\s+){0,2}?(?:commission|committee|council|body|office|"
    r"working\s+group|task\s+force|panel)|(?:passed|enacted)\s+(?:a|an|the)\s+(?:\w+\s+){0,2}?(?:law|bill|act|"
    r"budget|resolution))\b|"
    r"\b(?:was|were|has\s+been|have\s+been)\s+(?:\w+ly\s+)?(?:approved|adopted|ratified|endorsed|renewed|maintained)"
    r"(?!\s+(?:by|that)\b)", re.I)
_DECIDED_WORDS = ("approved", "adopted", "ratified", "endorsed", "renewed", "maintained", "voted ", "established",
                  "created", "set up", "passed", "enacted")


def is_decision(text: str) -> bool:
    """A body's decision, not a proposal to make one ('asked the Board to approve ...')."""
    low = text.lower()
    if not any(word in low for word in _DECIDED_WORDS) or not (match := _DECIDED_BY_BODY.search(text)):
        return False
    before = " ".join(re.findall(r"[\w’']+", text[: match.start()])[-5:] + [match.group(0)])
    return not NEGATION_RE.search(before)  # ('no sentiment was expressed ..., and the rate was maintained')


def is_agreement(text: str) -> bool:
    """An agreement reached, not one missed: no negation in the five words before it
    ('failed to reach an agreement', 'did not agree'); or parties committing together;
    or what a deliberating body decided."""
    if _is_joint_commitment(text) or is_decision(text):
        return True
    low = text.lower()
    if not any(word in low for word in _AGREE_WORDS):
        return False  # every form of _AGREE_RE holds one of these words
    match = _AGREE_RE.search(text)
    if not match:
        return False
    before = " ".join(re.findall(r"[\w’']+", text[: match.start()])[-5:] + [match.group(0)])
    return not NEGATION_RE.search(before)


# an agreement that settles something or commits to an act ('decided to instruct the CCWG to
# reconvene', 'signed a memorandum'), not one that affirms or recognises ('reaffirmed the vital
# nature of the relationship', 'remain committed to')
_SETTLED = re.compile(r"\b(?:decided|decide|agreed|agree|(?<!remain )(?<!remains )(?<!are )(?<!is )(?<!fully )committed|"
                      r"commit|pledged|pledge|undertook|resolved|signed|"
                      r"concluded|established|launched|adopted|approved|ratified|initialed|finali[sz]ed|welcomed|"
                      r"welcome|announced|set\s+up|passed|voted|maintained|renewed|extended)\b"
                      # (not a participle after its noun: 'the accord signed by both in 2015')
                      r"(?!\s+(?:that|on\s+the\s+importance|by)\b)|\bwill\s+\w+", re.I)


def settled_first(agreements: list) -> list:
    """What the parties settled or will do first, then what they affirmed or recognised
    (each group in text order)."""
    return sorted(agreements, key=lambda a: _SETTLED.search(a.text) is None)
