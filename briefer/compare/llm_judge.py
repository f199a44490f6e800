"""``compare --judge llm``: a model judges each claim against its best source sentences.

The lexical judge first finds each claim's candidate sentences (its evidence window and
the next best matches); the model sees only those, through ``prompts/verify.j2``. Its ids
are checked like everywhere else: a verdict that cites no real candidate keeps the lexical
evidence, and its score follows the verdict.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from pydantic import BaseModel, Field

from ..llm.asking import Asker
from ..llm.prompts import Prompts

MAX_CANDIDATES = 6


class ModelVerdict(BaseModel):
    verdict: Literal["supported", "contradicted", "not_in_source"]
    evidence: list[str] = Field(default_factory=list)


_VERDICT = {"supported": "supported", "contradicted": "contradicted", "not_in_source": "unsupported"}
_SCORE = {"supported": 1.0, "contradicted": 0.0, "unsupported": 0.0}


def _candidate_lines(result, index) -> tuple[str, list[str]]:
    ids = list(result.evidence.ids) if result.evidence else []
    ranked = sorted(range(len(index.sentences)),
                    key=lambda i: -len(set(index.tokens[i]) & set(result.text.lower().split())))
    for i in ranked:
        if len(ids) >= MAX_CANDIDATES:
            break
        if index.sentences[i].id not in ids:
            ids.append(index.sentences[i].id)
    by_id = {s.id: s for s in index.sentences}
    return "\n".join(f"[{sid}] {' '.join(by_id[sid].text.split())}" for sid in ids), ids


def judge_with_model(results, index, backend, prompts: Prompts | None = None):
    return asyncio.run(_judge_all(results, index, backend, prompts or Prompts()))


async def _judge_all(results, index, backend, prompts):
    try:
        return await _judge_each(results, index, backend, prompts)
    finally:
        await backend.aclose()


async def _judge_each(results, index, backend, prompts):
    asker = Asker(backend, prompts)
    limit = asyncio.Semaphore(4)

    async def one(result):
        lines, allowed = _candidate_lines(result, index)
        messages = prompts.render("verify.j2", claim=result.text, lines=lines)
        async with limit:
            answer = await asker.ask("verify", messages, ModelVerdict, f"claim {result.number}")
        verdict = _VERDICT[answer.verdict]
        cited = [sid for sid in answer.evidence if sid in allowed]  # ids checked like everywhere
        update = {"verdict": verdict, "score": _SCORE[verdict] if verdict != "supported" else max(result.score, 0.75)}
        if cited and result.evidence is not None:
            by_id = {s.id: s for s in index.sentences}
            update["evidence"] = result.evidence.model_copy(
                update={"ids": cited, "text": " ".join(by_id[sid].text for sid in cited)})
        return result.model_copy(update=update)

    return list(await asyncio.gather(*(one(r) for r in results)))
