"""The trained judge: reproducible weights, training text apart from QAGS, claim-level checks."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefer.cli import app
from briefer.compare import Claim, compare, compare_claims
from briefer.compare.lexical import SourceIndex, score_claim
from briefer.compare.trained import FEATURES, WEIGHTS, judge_claim, load_model
from briefer.errors import UsageError
from briefer.text.ingest import parse_text

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "train_judge.py"
QAGS = ROOT.parent / "shared" / "data" / "qags"  # where CI lays shared/ beside the clone
SOURCE = ("The finance minister said on Tuesday that the government will cut fuel taxes by 5 percent "
          "next year. The opposition leader, Maria Lopez, did not support the plan. \"We cannot afford "
          "another giveaway to oil companies,\" Lopez told reporters. Parliament will vote on the "
          "budget in March.")


def training_script():
    spec = importlib.util.spec_from_file_location("train_judge", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(claim: str):
    return compare_claims([Claim(claim, [])], [parse_text(SOURCE, fmt="txt")], judge="trained").claims[0]


def test_training_script_reproduces_the_shipped_weights(tmp_path):
    out = tmp_path / "weights.json"
    run = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], capture_output=True, text=True,
                         timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes() == WEIGHTS.read_bytes()


def test_shipped_weights_fit_the_features():
    model = load_model()
    assert model["features"] == list(FEATURES)
    assert len(model["coef"]) == len(model["mean"]) == len(model["scale"]) == len(FEATURES)


@pytest.mark.parametrize("folder", [ROOT / "tests" / "data" / "qags-mini", QAGS], ids=["qags-mini", "qags"])
def test_training_text_shares_no_sentence_with_qags(folder):
    if not folder.is_dir():
        pytest.skip(f"no QAGS data at {folder}")
    script = training_script()
    articles = script.load_articles(script.TRAINING_TEXT)
    assert len(articles) >= 30 and len(script.training_sentences(articles)) >= 300  # articles and summaries
    assert script.qags_overlap(articles, folder) == []


def test_overlap_check_finds_a_shared_sentence(tmp_path):
    script = training_script()
    articles = script.load_articles(script.TRAINING_TEXT)
    sentence = parse_text(articles[0][1], fmt="txt").sentences[1].text
    item = {"article": "an unrelated opening sentence about weather. " + sentence.lower(),
            "summary_sentences": [{"sentence": "a summary.", "responses": []}]}
    (tmp_path / "x.dev.jsonl").write_text(json.dumps(item) + "\n")
    assert len(script.qags_overlap(articles, tmp_path)) == 1


def test_faithful_claim_supported():
    result = check("The government will cut fuel taxes by 5 percent next year, the finance minister said.")
    assert (result.verdict, result.flags) == ("supported", [])


def test_changed_number_swapped_name_and_misquote_flagged():
    number = check("The finance minister said the government will cut fuel taxes by 8 percent next year.")
    assert number.verdict == "contradicted" and [f.kind for f in number.flags] == ["number"]
    name = check("The opposition leader, Maria Gonzalez, did not support the plan.")
    assert name.verdict == "unsupported" and [f.kind for f in name.flags] == ["entity"]
    quote = check("Lopez said: \"We cannot afford another gift to oil companies.\"")
    assert quote.verdict == "unsupported" and [f.kind for f in quote.flags] == ["quote"]
    assert max(number.score, name.score, quote.score) < check(
        "Parliament will vote on the budget in March.").score


def test_invented_claim_scores_low():
    assert check("Fishermen in the northern provinces staged a protest against new quotas.").score < 0.2


def test_example_brief_fully_supported():
    result = compare(ROOT / "examples/blinken-wang-munich.json", ROOT / "examples/blinken-wang-munich.txt",
                     judge="trained")
    assert result.judge == "trained"
    assert result.counts.supported == result.counts.claims > 0 and result.counts.flagged == 0


def test_cli_judge_trained(tmp_path):
    summary = tmp_path / "s.md"
    summary.write_text("- The government will cut fuel taxes by 5 percent next year.\n")
    source = tmp_path / "source.txt"
    source.write_text(SOURCE)
    result = CliRunner().invoke(app, ["compare", str(summary), str(source), "--judge", "trained", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["judge"] == "trained"


def test_unknown_judge_names_the_choices():
    with pytest.raises(UsageError, match="choose lexical, trained, llm"):
        compare_claims([Claim("A claim with words.", [])], [parse_text(SOURCE, fmt="txt")], judge="nli")


def test_model_is_residual_on_the_lexical_score():
    model, script = load_model(), training_script()
    fitted = {f for f, w in zip(FEATURES, model["coef"]) if w}
    assert fitted <= {"lexical", *script.CORRECTIONS}
    assert model["coef"][FEATURES.index("lexical")] == script.LEXICAL_WEIGHT > 0
    assert all(w <= 0 for f, w in zip(FEATURES, model["coef"]) if f != "lexical")  # corrections only lower


def test_claims_adding_nothing_keep_the_lexical_ranking():
    index = SourceIndex([parse_text(SOURCE, fmt="txt")])
    claims = ["Parliament will vote on the budget in March.",  # verbatim
              "The opposition leader did not support the plan of the finance minister.",  # fused, reworded
              "Lopez told reporters the budget will cut fuel taxes."]  # fragments of three sentences
    lexical = [score_claim(Claim(c, []), index, 1).score for c in claims]
    judged = [judge_claim(Claim(c, []), index, 1).score for c in claims]
    assert sorted(range(3), key=lexical.__getitem__) == sorted(range(3), key=judged.__getitem__)


def test_invented_name_lowers_the_score_more_than_lexical_does():
    index = SourceIndex([parse_text(SOURCE, fmt="txt")])
    faithful = Claim("The opposition leader, Maria Lopez, did not support the plan.", [])
    invented = Claim("The opposition leader, Maria Lopez, did not support the plan of Rasmussen.", [])
    drop = judge_claim(faithful, index, 1).score - judge_claim(invented, index, 1).score
    assert drop > score_claim(faithful, index, 1).score - score_claim(invented, index, 1).score


def test_validation_sets_score_both_styles_and_the_judge_beats_lexical_on_xsum():
    script = training_script()
    items = script.load_validation()
    assert {style for _, style, _ in items} == {"cnndm", "xsum"} and len(items) >= 90
    assert all((script.ARTICLES / f"{slug}.txt").is_file() for slug, _, _ in items)
    assert len(script.load_summeval()) >= 25  # real model summaries with expert ratings
    result = script.validate(load_model())
    assert result["xsum/lower trained"] > result["xsum/lower lexical"] + 0.1
    # the rule the settings were chosen by: within 0.02 of lexical on the real CNN/DM summaries
    assert result["summeval trained"] >= result["summeval lexical"] - 0.02


def test_hallucinated_claims_differ_from_the_source_sentence():
    script = training_script()
    sentences = ["The mayor of Kelmouth said the flood wall would cost 40 million pounds.",
                 "Work on the river front will start in May.",
                 "Local shop owners on Quay Street welcomed the decision of the council.",
                 "Residents have waited nine years for a decision from Helen Marsh."]
    made = script.hallucinated(sentences, 0, " ".join(sentences), [], __import__("random").Random(1))
    assert made and all(claim != sentences[0] for claim in made)
    assert "The mayor of Kelmouth welcomed the decision of the council." in made  # subject of one, predicate of another
    assert any("Helen Marsh" in claim and "40 million" in claim for claim in made)  # a name from elsewhere


def test_fused_claims_join_two_sentences_and_add_what_the_article_lacks():
    script = training_script()
    sentences = ["The council of Kelmouth voted on Wednesday to build a flood wall along the river.",
                 "Helen Marsh said the decision was long overdue.",
                 "Work on the wall will start in May."]
    article = " ".join(sentences)
    supported, unsupported = script.fused(sentences, 0, article, ["Minister Peter Hale spoke."],
                                          __import__("random").Random(3))
    assert len(supported) == 1 and (" and " in supported[0] or " as " in supported[0])
    assert "Helen Marsh" in supported[0]  # a name keeps its capital where the second clause joins
    assert unsupported and all(claim not in article for claim in unsupported)
    words = set(article.lower().replace(".", "").split())
    assert all(set(claim.lower().rstrip(".").split()) - words - set(supported[0].lower().rstrip(".").split())
               for claim in unsupported)  # each adds a word neither the article nor the fusion has
