"""The cross-document step of a digest: per-document briefs in, grounded stories out.

Each document's brief is re-labelled with its digest id (``S7`` of document D3 becomes
``D3.S7``) and sent through ``prompts/digest.j2``. The answer is untrusted like any other:
ids must name sentences of the day's documents, items without them are re-anchored or
dropped, and a story's sources are read from its evidence, never from the model's say.

The offline engine's answer to the digest prompt is ``briefer.offline.stories``.
"""

from __future__ import annotations

import json

from ..schema import Brief, DigestDraft, Point, Story, StoryDraft
from ..text.grounding import Grounder, keep_grounded

SAME_STORY = 0.5  # share of the smaller document's headline words the other one repeats
POINTS_PER_STORY = 4


def _relabel(ids: list[str], doc_id: str) -> list[str]:
    return [f"{doc_id}.{sid}" for sid in ids]


def brief_items(brief: Brief, doc_id: str) -> list[dict]:
    """A brief's items as short texts with digest ids, most important first."""
    items = []
    for dispute in brief.disputes:
        for stance in dispute.stances:
            items.append({"text": f"{dispute.issue}: {stance.side}: {stance.text}",
                          "evidence": _relabel(stance.evidence, doc_id)})
    for step in brief.next_steps:
        when = f" ({step.timing})" if step.timing else ""
        items.append({"text": f"{step.actor}: {step.action}{when}", "evidence": _relabel(step.evidence, doc_id)})
    for side in brief.sides:
        for position in side.positions:
            items.append({"text": f"{side.name}: {position.text}", "evidence": _relabel(position.evidence, doc_id)})
    for agreement in brief.agreements:
        items.append({"text": agreement.text, "evidence": _relabel(agreement.evidence, doc_id)})
    return items


def payload(briefs: list[tuple[str, Brief]]) -> dict:
    """What the digest prompt shows the model: one entry per document."""
    return {"documents": [{"id": doc_id, "title": brief.title, "bluf": brief.bluf,
                           "bluf_evidence": _relabel(brief.bluf_evidence, doc_id),
                           "items": brief_items(brief, doc_id)} for doc_id, brief in briefs]}


def payload_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------- grounding


def ground_stories(draft: DigestDraft, grounder: Grounder, previous: set[str] | None,
                   sha_of: dict[str, str]) -> list[Story]:
    """Stories whose every item cites real sentences; ``new`` when a source document was
    not in the previous digest (``previous`` None: there was none, all is new)."""
    stories = []
    for story in draft.stories:
        story.points = keep_grounded(grounder, story.points, lambda p: p.text)[:POINTS_PER_STORY]
        evidence = grounder.anchor(story.summary, story.evidence)
        if evidence is None:
            if not story.points:
                grounder.dropped += 1
                continue
            evidence = []  # the summary stands on its points' evidence
        ids = evidence + [sid for point in story.points for sid in point.evidence]
        sources = sorted({sid.split(".", 1)[0] for sid in ids}, key=lambda d: int(d[1:]))
        new = previous is None or any(sha_of[d] not in previous for d in sources)
        stories.append(Story(headline=story.headline.strip(), summary=story.summary.strip(), evidence=evidence,
                             points=[Point(text=p.text, evidence=p.evidence) for p in story.points],
                             sources=sources, new=new))
    return stories


def used_ids(stories: list[Story | StoryDraft]) -> list[str]:
    ids: list[str] = []
    for story in stories:
        ids += story.evidence
        for point in story.points:
            ids += point.evidence
    return list(dict.fromkeys(ids))
