"""The trained judge: the lexical judge's score corrected by a logistic regression for what
overlap misses (words and numbers the source lacks), learned from synthetic claims (no
human labels).

``benchmarks/train_judge.py`` takes sentences of articles that are not the QAGS test
articles, keeps or rewrites them as a faithful summary would and corrupts them as a model
hallucinates, computes ``features`` for each claim against its article, and fits the
weights in ``judge-weights.json`` beside this module. The model is residual: the lexical
score's weight is held fixed, not fitted, so the judge keeps the lexical one's ranking of
claims that add nothing to the source, and the fit only learns how much novel rare words,
novel common words and absent numbers lower it; features the weights file leaves at 0 are
not used. Judging applies the weights with the standard library. Flags, evidence and
contradictions stay the lexical judge's; the score becomes the model's probability that
the claim is supported, so a summary's mean score estimates its share of supported claims.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from ..text.tokens import get_encoding
from ..text.words import STOP, ngrams, precision, word_tokens
from .lexical import SUPPORTED_AT as LEXICAL_SUPPORTED_AT
from .lexical import SourceIndex, is_number, number_key, score_claim
from .models import Claim, ClaimResult

WEIGHTS = Path(__file__).with_name("judge-weights.json")

FEATURES = (
    "lexical",  # the lexical judge's score
    "bigram_doc", "trigram_doc",  # share of the claim's word pairs / triples anywhere in the source
    "bigram_best",  # share of its word pairs in the single best sentence
    "unigram_best", "unigram_best3",  # share of its content words in the best 1 and 3 sentences
    "trigram_evidence",  # share of its word triples in the lexical judge's evidence window
    "novel_words",  # share of its words (stop words too) the source lacks
    "novel_rare",  # share of its content words the source lacks and the tokenizer finds rare
    "novel_common",  # the same for common words: paraphrase more than invention
    "numbers_absent", "numbers_elsewhere",  # numbers not in the source / not in the evidence
    "dates", "names", "negation", "quote",  # the lexical judge's flags by kind
)
# The direction each feature may push the score: training drops a feature whose fitted
# weight comes out the other way (correlated signals cancelling on synthetic data, which
# does not carry over to real summaries).
SUPPORTS = ("lexical", "bigram_doc", "trigram_doc", "bigram_best", "unigram_best", "unigram_best3",
            "trigram_evidence")


@lru_cache(maxsize=50_000)
def is_rare(word: str) -> bool:
    """A word the cl100k tokenizer splits: names, rare words, "150th"; common words are one token."""
    return len(get_encoding().encode(" " + word, disallowed_special=())) > 1


def features(claim: Claim, index: SourceIndex, lexical: ClaimResult | None = None) -> list[float]:
    """The signals the model weighs for one claim against the indexed sources."""
    lexical = lexical or score_claim(claim, index, 1)
    tokens = word_tokens(claim.text)
    content = [t for t in tokens if t not in STOP]
    bigrams, trigrams = ngrams(tokens, 2), ngrams(tokens, 3)
    wanted = set(content)
    overlap = sorted(((len(wanted & set(toks)), -i) for i, toks in enumerate(index.tokens)), reverse=True)[:3]
    covered: set[str] = set()
    shares = []
    for _, minus_i in overlap:
        covered |= wanted & set(index.tokens[-minus_i])
        shares.append(len(covered) / len(wanted) if wanted else 1.0)
    shares = shares or [0.0]
    evidence_ids = set(lexical.evidence.ids) if lexical.evidence else set()
    evidence_trigrams = {g for i, s in enumerate(index.sentences) if s.id in evidence_ids
                         for g in ngrams(index.tokens[i], 3)}
    novel = [t for t in content if t not in index.unigrams]
    rare = sum(1 for t in novel if is_rare(t))
    kinds = [f.kind for f in lexical.flags]
    absent = sum(1 for t in set(tokens) if is_number(t) and number_key(t) not in index.numbers)
    share = (lambda n, d: n / d if d else 0.0)
    return [
        lexical.score,
        precision(bigrams, index.bigrams),
        precision(trigrams, index.trigrams),
        max((precision(bigrams, pairs) for pairs in index.sentence_bigrams), default=0.0),
        shares[0], shares[-1],
        precision(trigrams, evidence_trigrams),
        share(sum(1 for t in tokens if t not in index.unigrams), len(tokens)),
        share(rare, len(content)),
        share(len(novel) - rare, len(content)),
        min(absent, 3),
        min(max(kinds.count("number") - absent, 0), 3),
        kinds.count("date"), kinds.count("entity"), kinds.count("negation"), kinds.count("quote"),
    ]


@lru_cache(maxsize=None)
def load_model(path: Path = WEIGHTS) -> dict:
    model = json.loads(path.read_text(encoding="utf-8"))
    if model.get("features") != list(FEATURES):
        raise ValueError(f"{path} was trained on other features: run benchmarks/train_judge.py")
    return model


def probability(values: list[float], model: dict | None = None) -> float:
    """P(supported) from the logistic regression: standardised features, weights, intercept."""
    model = model or load_model()
    z = model["intercept"] + sum(w * (x - m) / s for x, m, s, w in
                                 zip(values, model["mean"], model["scale"], model["coef"]))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=None)
def supported_at(path: Path = WEIGHTS) -> float:
    """The probability from which an unflagged claim counts as supported: the model's score
    for a claim at the lexical judge's threshold that adds nothing the source lacks, so
    the two judges draw the line at the same place for such claims."""
    values = [0.0] * len(FEATURES)
    values[FEATURES.index("lexical")] = LEXICAL_SUPPORTED_AT
    return probability(values, load_model(path))


def judge_claim(claim: Claim, index: SourceIndex, number: int) -> ClaimResult:
    """The lexical result with the model's score; a flag or a low score keeps it from "supported"."""
    result = score_claim(claim, index, number)
    score = probability(features(claim, index, result))
    verdict = result.verdict
    if verdict != "contradicted":
        verdict = "supported" if score >= supported_at() and not result.flags else "unsupported"
    return result.model_copy(update={"score": round(score, 4), "verdict": verdict})
