"""Checking a summary against its sources: claims in, a ``Comparison`` out, with the
lexical judge (offline, default), the trained judge (offline, ``judge="trained"``) or the
configured model (``judge="llm"``)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..errors import UsageError
from ..schema import SourceRef
from ..text.document import Document
from ..text.ingest import load_sources
from .claims import read_summary
from .coverage import coverage
from .lexical import SourceIndex, score_claim
from .models import Claim, Comparison, Counts

JUDGES = ("lexical", "trained", "llm")


def compare_claims(claims: list[Claim], docs: list[Document], judge: str = "lexical", backend=None,
                   label: str = "summary") -> Comparison:
    if judge not in JUDGES:
        raise UsageError(f"unknown judge {judge!r} (choose {', '.join(JUDGES)})")
    index = SourceIndex(docs)
    if judge == "trained":
        from .trained import judge_claim

        results = [judge_claim(claim, index, n) for n, claim in enumerate(claims, 1)]
    else:
        results = [score_claim(claim, index, n) for n, claim in enumerate(claims, 1)]
    if judge == "llm":
        from .llm_judge import judge_with_model

        results = judge_with_model(results, index, backend)
    cover, missing = coverage(index, results)
    verdicts = Counter(r.verdict for r in results)
    return Comparison(
        summary=label, sources=[SourceRef(id=d.id, path=d.path, sha256=d.sha256) for d in docs], judge=judge,
        faithfulness=round(sum(r.score for r in results) / len(results), 4), coverage=cover,
        counts=Counts(claims=len(results), supported=verdicts["supported"], unsupported=verdicts["unsupported"],
                      contradicted=verdicts["contradicted"], flagged=sum(1 for r in results if r.flags)),
        claims=results, missing=missing)


def compare(summary: str | Path, sources: list[str | Path] | str | Path, *, judge: str = "lexical",
            backend="auto", notice=None, **settings) -> Comparison:
    """Check the summary file against the source files."""
    paths = [str(sources)] if isinstance(sources, (str, Path)) else [str(s) for s in sources]
    if not paths:
        raise UsageError("no source given")
    claims, label = read_summary(str(summary))
    docs = load_sources(paths, warn=notice)
    model_backend = None
    if judge == "llm":
        from ..backends import make_backend
        from ..llm.cache import ResponseCache
        from ..llm.config import load_settings

        config = load_settings(**settings)
        model_backend = backend if not isinstance(backend, str) else make_backend(
            backend, settings=config, notice=notice, cache=ResponseCache() if config.wants_llm() else None)
    return compare_claims(claims, docs, judge, model_backend, label)

