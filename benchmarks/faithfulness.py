"""How well `briefer compare` agrees with human faithfulness judgments (QAGS).

Protocol (../shared/data/qags/README.md): a summary's human score is the share of its
sentences that at least 2 of 3 annotators judged supported; each method scores every
(article, summary) pair; we report Pearson and Spearman correlation with the human scores
per set, and, in the same run, ROUGE-2 F1 of the joined summary against the article
(`rouge-score`, stemming on) as the baseline. Each offline judge (lexical, trained) is
scored in the same run, with pairs per second on one core (CPU time of this process).

    python benchmarks/faithfulness.py                 # both sets, all pairs
    python benchmarks/faithfulness.py --limit 10      # a quick smoke run
    python benchmarks/faithfulness.py --folds 2       # also per fold: pairs with line index % 2 == 0, == 1

The folds are fixed (line index modulo k), so a scoring rule or threshold can be chosen on
one fold and reported on the other: the spread between folds shows how far a figure on
~120 pairs may move on the unseen half of the data.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

from briefer.compare import Claim, compare_claims
from briefer.text.ingest import parse_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "qags"


def load(path: Path, limit: int | None) -> list[tuple[str, list[str], float]]:
    pairs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            sentences = [s["sentence"] for s in item["summary_sentences"]]
            supported = sum(1 for s in item["summary_sentences"]
                            if sum(r["response"] == "yes" for r in s["responses"]) >= 2)
            pairs.append((item["article"], sentences, supported / len(sentences)))
            if limit and len(pairs) >= limit:
                break
    return pairs


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    return sxy / (sx * sy) if sx and sy else float("nan")


def ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1  # ties share their mean rank
        i = j + 1
    return out


def spearman(xs: list[float], ys: list[float]) -> float:
    return pearson(ranks(xs), ranks(ys))


JUDGES = ("lexical", "trained")


def judge_scores(pairs, judge: str) -> tuple[list[float], float]:
    started = time.process_time()
    scores = []
    for article, sentences, _ in pairs:
        doc = parse_text(article, fmt="txt")
        scores.append(compare_claims([Claim(s, []) for s in sentences], [doc], judge=judge).faithfulness)
    return scores, len(pairs) / max(time.process_time() - started, 1e-9)


def rouge2_scores(pairs) -> list[float] | None:
    try:
        from rouge_score import rouge_scorer
    except ImportError:
        return None
    scorer = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)
    return [scorer.score(article, " ".join(sentences))["rouge2"].fmeasure for article, sentences, _ in pairs]


def report(name: str, label: str, scores: list[float], human: list[float], rate: float | None = None) -> None:
    tail = f" {rate:>8.1f}" if rate is not None else ""
    print(f"{name:<9} {label:<16} {len(scores):>5} {pearson(scores, human):>8.3f} "
          f"{spearman(scores, human):>9.3f}{tail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="pairs per set (default: all)")
    parser.add_argument("--folds", type=int, default=1,
                        help="also report each fold of pairs by line index modulo FOLDS (default: 1, none)")
    args = parser.parse_args()
    print(f"{'set':<9} {'method':<16} {'pairs':>5} {'pearson':>8} {'spearman':>9} {'pairs/s':>8}")
    for name in ("cnndm", "xsum"):
        pairs = load(args.data / f"{name}.dev.jsonl", args.limit)
        human = [h for _, _, h in pairs]
        judged = {judge: judge_scores(pairs, judge) for judge in JUDGES}
        baseline = rouge2_scores(pairs)
        subsets = [(name, list(range(len(pairs))))]
        if args.folds > 1:
            subsets += [(f"{name}/{f}", list(range(f, len(pairs), args.folds))) for f in range(args.folds)]
        for label, rows in subsets:
            for judge, (scores, rate) in judged.items():
                report(label, f"briefer {judge}", [scores[i] for i in rows], [human[i] for i in rows],
                       rate if label == name else None)
            if baseline is None:
                print(f"{label:<9} {'ROUGE-2 F1':<16} skipped: pip install rouge-score (or '.[bench]')")
            else:
                report(label, "ROUGE-2 F1", [baseline[i] for i in rows], [human[i] for i in rows])

if __name__ == "__main__":
    main()
