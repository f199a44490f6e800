"""The offline engine's digest answer: documents whose headline words overlap form one
story (the story told by most sources first), written from the briefs' own items so that
it passes grounding by construction."""

from __future__ import annotations

from ..text.ingest import split_sentences
from .lexicon import content_words

SAME_STORY = 0.5  # share of the smaller document's headline words the other one repeats
POINTS_PER_STORY = 4


def _headline_words(document: dict) -> set[str]:
    # the headline and the lead say what the story is; the rest of a bottom line says who stands where
    lead = next((document["bluf"][a:b] for a, b in split_sentences(document["bluf"])), "")
    return set(content_words(f"{document['title']} {lead}"))


def _same_story(a: set[str], b: set[str]) -> bool:
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= SAME_STORY


def offline_digest(data: dict) -> dict:
    """Stories from the payload by rules: documents with overlapping headlines form one."""
    documents = data["documents"]
    words = [_headline_words(d) for d in documents]
    groups: list[list[int]] = []
    for i in range(len(documents)):
        home = next((g for g in groups if any(_same_story(words[i], words[j]) for j in g)), None)
        if home is None:
            groups.append([i])
        else:
            home.append(i)
    # most sources first, then the document with most items, then source order
    groups.sort(key=lambda g: (-len(g), -max(len(documents[i]["items"]) for i in g), g[0]))
    stories = []
    for group in groups:
        lead = documents[group[0]]
        points: list[dict] = []
        for i in group[1:]:  # each other source's bottom line, then the lead's items
            other = documents[i]
            if other["bluf_evidence"]:
                points.append({"text": other["bluf"], "evidence": other["bluf_evidence"]})
        for i in group:
            points += [item for item in documents[i]["items"][:2] if item["evidence"]]
        evidence = lead["bluf_evidence"] or (points[0]["evidence"] if points else [])
        stories.append({"headline": lead["title"], "summary": lead["bluf"], "evidence": evidence,
                        "points": points[:POINTS_PER_STORY]})
    return {"stories": stories}
