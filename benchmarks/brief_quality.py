"""How much of what an analyst expects a brief holds: checklist coverage on real articles.

Each `tests/data/articles/<slug>.txt` has a `<slug>.checklist.toml`, written from the text
alone before briefer was run on it: the sides, positions, disputes, agreements, next
steps, quotes and bottom line that a one-page brief must carry. An item is covered when
one entry of the brief's section for it (its text, its actor, speaker or side, and the
full text of the sentences it cites) holds, for every inner list of the item's `terms`,
at least one of them (case-insensitive, whole-word prefix: "visit" matches "visits").

Every article is briefed three ways: as published, lower-cased, and with no headline or
headings (`--variants`). The run also checks that every citation is a sentence of the
source and every quote stands in it word for word.

    python benchmarks/brief_quality.py                 # offline engine, all articles
    python benchmarks/brief_quality.py --show voa-iran-nuclear-talks-geneva
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import briefer
from briefer.schema import Brief

ARTICLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "articles"
VARIANTS = ("published", "lower-cased", "no-headings")


@dataclass
class Item:
    section: str
    what: str
    terms: list[list[str]]
    side: list[str] | None = None


def load_checklist(path: Path) -> tuple[dict, list[Item]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    items = [Item(i["section"], i["what"], i["terms"], i.get("side")) for i in data.get("item", [])]
    return data, items


def _norm(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").lower()


def has_term(text: str, term: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(_norm(term)), text) is not None


def entries(brief: Brief) -> dict[str, list[tuple[str, str]]]:
    """Per section, (who, everything the entry says and cites) in normalised text."""
    cited = brief.citations

    def said(text: str, ids: list[str]) -> str:
        return _norm(" ".join([text, *(cited.get(i, "") for i in ids)]))

    out: dict[str, list[tuple[str, str]]] = {k: [] for k in
                                             ("bluf", "side", "position", "dispute", "agreement", "next_step", "quote")}
    out["bluf"].append(("", said(brief.bluf, brief.bluf_evidence)))
    for side in brief.sides:
        who = _norm(" ".join([side.name, *side.actors]))
        out["side"].append((who, who))
        for position in side.positions:
            out["position"].append((who, said(position.text, position.evidence)))
    for dispute in brief.disputes:
        out["dispute"].append(("", said(dispute.issue + " " + " ".join(f"{s.side} {s.text}" for s in dispute.stances),
                                        [i for s in dispute.stances for i in s.evidence])))
        for stance in dispute.stances:  # a side's stance in a dispute is one of its positions too
            actors = next((s.actors for s in brief.sides if s.name == stance.side), [])
            out["position"].append((_norm(" ".join([stance.side, *actors])), said(stance.text, stance.evidence)))
    for agreement in brief.agreements:
        out["agreement"].append(("", said(agreement.text, agreement.evidence)))
    for step in brief.next_steps:
        out["next_step"].append((_norm(step.actor), said(f"{step.actor} {step.action} {step.timing or ''}",
                                                         step.evidence)))
    for quote in brief.quotes:
        out["quote"].append((_norm(quote.speaker), said(f"{quote.speaker} {quote.text}", quote.evidence)))
    return out


def covered(item: Item, found: dict[str, list[tuple[str, str]]]) -> bool:
    for who, text in found.get(item.section, []):
        if item.side and not any(has_term(who, s) for s in item.side):
            continue
        if all(any(has_term(text, t) for t in group) for group in item.terms):
            return True
    return False


def variant_text(text: str, variant: str) -> str:
    if variant == "lower-cased":
        return text.lower()
    if variant == "no-headings":
        paragraphs = [p for p in re.split(r"\n\s*\n", text.strip())]
        body = paragraphs[1:]  # the headline
        # and any other short line without a full stop: a subheading
        return "\n\n".join(p for p in body if re.search(r"[.!?:”\"]\s*$", p.strip()) or len(p.split()) > 14) + "\n"
    return text


def verbatim_problems(brief: Brief, source: str) -> list[str]:
    problems = []
    flat = re.sub(r"\s+", " ", source)
    for sid, sentence in brief.citations.items():
        if re.sub(r"\s+", " ", sentence) not in flat:
            problems.append(f"citation {sid} not in the source: {sentence[:60]!r}")
    for quote in brief.quotes:
        if re.sub(r"\s+", " ", quote.text) not in flat:
            problems.append(f"quote not verbatim: {quote.text[:60]!r}")
    return problems


@dataclass
class Score:
    slug: str
    variant: str
    hits: list[bool]
    problems: list[str]

    @property
    def coverage(self) -> float:
        return sum(self.hits) / len(self.hits) if self.hits else 1.0


def score_all(slugs: list[str] | None = None, variants: tuple[str, ...] = VARIANTS, backend: str = "mock",
              show: str | None = None) -> list[Score]:
    """Brief every article in every variant and score it against its checklist."""
    paths = sorted(ARTICLES.glob("*.checklist.toml"))
    if slugs:
        paths = [p for p in paths if p.name.split(".")[0] in slugs]
    scores = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            slug = path.name.split(".")[0]
            _, items = load_checklist(path)
            text = (ARTICLES / f"{slug}.txt").read_text(encoding="utf-8")
            for variant in variants:
                source = Path(tmp) / f"{slug}.{variant}.txt"
                source.write_text(variant_text(text, variant), encoding="utf-8")
                brief = briefer.brief([source], backend=backend, notice=lambda message: None)
                found = entries(brief)
                score = Score(slug, variant, [covered(item, found) for item in items],
                              verbatim_problems(brief, source.read_text(encoding="utf-8")))
                scores.append(score)
                if show == slug:
                    print(briefer.render(brief, "md"))
                    for item, hit in zip(items, score.hits):
                        print(f"  [{'x' if hit else ' '}] {item.section:<10} {item.what}")
    return scores


def run(slugs: list[str] | None, variants: tuple[str, ...], backend: str, show: str | None) -> int:
    started = time.perf_counter()
    scores = score_all(slugs, variants, backend, show)
    width = max([48, *(len(s.slug) for s in scores)])
    print(f"{'article':<{width}} " + " ".join(f"{v:>12}" for v in variants) + f" {'items':>6}")
    for slug in dict.fromkeys(s.slug for s in scores):
        row = [s for s in scores if s.slug == slug]
        print(f"{slug:<{width}} " + " ".join(f"{s.coverage:>12.2f}" for s in row) + f" {len(row[0].hits):>6}")
    for s in scores:
        for problem in s.problems:
            print(f"  {s.slug} [{s.variant}]: {problem}")
    hits = sum(sum(s.hits) for s in scores)
    total = sum(len(s.hits) for s in scores)
    problems = sum(len(s.problems) for s in scores)
    overall = hits / total if total else 0.0
    print(f"\noverall coverage = {overall:.3f} ({hits}/{total} items over {len({s.slug for s in scores})} articles x "
          f"{len(variants)} variants); lowest article-variant {min(s.coverage for s in scores):.2f}; "
          f"verbatim problems {problems}; {time.perf_counter() - started:.1f} s")
    print(f"target: overall coverage >= 0.85: {'PASS' if overall >= 0.85 else 'FAIL'}; "
          f"every citation and quote verbatim: {'PASS' if problems == 0 else 'FAIL'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("slugs", nargs="*", help="only these articles")
    parser.add_argument("--variants", default=",".join(VARIANTS), help=f"comma-separated, of {', '.join(VARIANTS)}")
    parser.add_argument("--backend", default="mock")
    parser.add_argument("--show", help="print the brief of this article and each item's verdict")
    args = parser.parse_args(argv)
    return run(args.slugs, tuple(args.variants.split(",")), args.backend, args.show)


if __name__ == "__main__":
    sys.exit(main())
