"""briefer compare: one test per check, the example brief, the CLI, bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefer.cli import app
from briefer.compare import Claim, compare, compare_claims
from briefer.text.ingest import parse_text

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ("The finance minister said on Tuesday that the government will cut fuel taxes by 5 percent "
          "next year. The opposition leader, Maria Lopez, did not support the plan. \"We cannot afford "
          "another giveaway to oil companies,\" Lopez told reporters. Parliament will vote on the "
          "budget in March.")
runner = CliRunner()


def check(claim: str):
    doc = parse_text(SOURCE, fmt="txt")
    return compare_claims([Claim(claim, [])], [doc]).claims[0]


def test_faithful_paraphrase_passes():
    result = check("The government will cut fuel taxes by 5 percent next year, the finance minister said.")
    assert (result.verdict, result.flags) == ("supported", [])
    assert result.evidence.ids == ["S1"]


def test_changed_number_is_flagged():
    result = check("The finance minister said the government will cut fuel taxes by 8 percent next year.")
    assert result.verdict == "contradicted"
    assert [(f.kind, f.detail) for f in result.flags] == [("number", "8 is not in the source (the evidence has 5 instead)")]


def test_swapped_name_is_flagged():
    result = check("The opposition leader, Maria Gonzalez, did not support the plan.")
    assert [(f.kind, f.detail) for f in result.flags] == [("entity", "Gonzalez is not in the source")]
    assert result.verdict == "unsupported"


def test_dropped_not_is_a_contradiction():
    result = check("The opposition leader, Maria Lopez, did support the plan.")
    assert result.verdict == "contradicted"
    assert [f.kind for f in result.flags] == ["negation"]


def test_misquote_shows_closest_passage_and_diff():
    result = check("Lopez said: \"We cannot afford another gift to oil companies.\"")
    quote = [f for f in result.flags if f.kind == "quote"]
    assert len(quote) == 1
    assert quote[0].diff == "We cannot afford another [-giveaway-] {+gift+} to oil companies."
    assert quote[0].closest == "We cannot afford another giveaway to oil companies"


def test_invented_claim_is_unsupported():
    result = check("Fishermen in the northern provinces staged a protest against new quotas.")
    assert result.verdict == "unsupported" and result.score < 0.3


def test_date_not_in_evidence():
    result = check("Parliament will vote on the budget in April.")
    assert [f.kind for f in result.flags] == ["date"]


def test_may_and_march_are_dates_only_where_they_cannot_be_verbs():
    def kinds(claim):
        return [f.kind for f in check(claim).flags]

    assert kinds("The government may cut fuel taxes by 5 percent next year.") == []  # the modal
    assert "date" not in kinds("the opposition may not support the plan.")
    assert "date" not in kinds("Protesters will march before parliament votes on the budget in March.")
    for claim in ("Parliament will vote on the budget in May.", "parliament will vote on the budget in may.",
                  "Parliament will vote on the budget on 5 may."):
        assert "date" in kinds(claim), claim


def test_coverage_lists_what_the_summary_misses():
    doc = parse_text(SOURCE, fmt="txt")
    result = compare_claims([Claim("The government will cut fuel taxes by 5 percent next year.", [])], [doc])
    assert result.coverage < 1.0
    assert [m.id for m in result.missing][:1] == ["S3"] or "S3" in [m.id for m in result.missing]


def test_example_brief_fully_supported():
    result = compare(ROOT / "examples/blinken-wang-munich.json", ROOT / "examples/blinken-wang-munich.txt")
    assert result.counts.supported == result.counts.claims > 0
    assert result.counts.flagged == 0


@pytest.mark.parametrize("judge", ["lexical", "trained"])
def test_example_brief_with_three_errors_flags_exactly_three(tmp_path, judge):
    brief = json.loads((ROOT / "examples/blinken-wang-munich.json").read_text())
    position = next(p for side in brief["sides"] for p in side["positions"]
                    if p["text"].startswith("Blinken expressed"))
    position["text"] = position["text"].replace("Blinken expressed", "Wang Yi expressed")
    brief["quotes"][0]["text"] = brief["quotes"][0]["text"].replace("lethal assistance", "humanitarian assistance")
    brief["next_steps"][1]["timing"] = "after the Munich conference on March 3"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(brief))
    result = compare(path, ROOT / "examples/blinken-wang-munich.txt", judge=judge)
    flagged = [c.text for c in result.claims if c.flags]
    assert len(flagged) == 3 and result.counts.supported == result.counts.claims - 3
    assert any("Wang Yi expressed" in t for t in flagged)
    assert any("humanitarian" in t for t in flagged)
    assert any("March 3" in t for t in flagged)


def test_markdown_summary_claims(tmp_path):
    summary = tmp_path / "notes.md"
    summary.write_text("# Notes\n\n- The government will cut fuel taxes by 5 percent next year. [S1]\n"
                       "- Parliament will vote on the budget in March.\n")
    source = tmp_path / "source.txt"
    source.write_text(SOURCE)
    result = runner.invoke(app, ["compare", str(summary), str(source), "--format", "md"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[4] == ("**Faithfulness 1.00** · coverage 0.78 · 2 claims: 2 supported, "
                                             "0 unsupported, 0 contradicted, 0 flagged")
    assert "1. **supported** (1.00) The government will cut fuel taxes by 5 percent next year. [S1]" in result.stdout


def test_fail_under_gates(tmp_path):
    summary = tmp_path / "s.txt"
    summary.write_text("Fishermen in the northern provinces staged a protest against new quotas.\n")
    source = tmp_path / "source.txt"
    source.write_text(SOURCE)
    result = runner.invoke(app, ["compare", str(summary), str(source), "--fail-under", "0.8", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["counts"]["unsupported"] == 1
    assert result.stderr.startswith("briefer: faithfulness 0.")


@pytest.mark.parametrize("content, message", [
    ("", "{path} is empty"),
    ("   \n", "{path} is empty"),
    ('{"hello": 1}', "{path} is JSON but not a briefer brief (no schema_version)"),
])
def test_bad_summary_one_line_error(tmp_path, content, message):
    summary = tmp_path / "summary.json"
    summary.write_text(content)
    result = runner.invoke(app, ["compare", str(summary), str(ROOT / "examples/blinken-wang-munich.txt")])
    assert result.exit_code == 2
    assert result.stderr == "briefer: error: " + message.format(path=summary) + "\n"


def test_missing_source_one_line_error(tmp_path):
    result = runner.invoke(app, ["compare", str(ROOT / "examples/blinken-wang-munich.md"), str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert result.stderr == f"briefer: error: no such file: {tmp_path / 'nope.txt'}\n"


def test_llm_judge_through_offline_engine():
    result = compare(ROOT / "examples/blinken-wang-munich.json", ROOT / "examples/blinken-wang-munich.txt",
                     judge="llm", backend="mock")
    assert result.judge == "llm"
    assert result.counts.supported >= result.counts.claims - 2


def test_brief_check_puts_scores_in_meta(example_path):
    from briefer import brief

    result = brief([example_path], backend="mock", check=True)
    assert result.meta.check.faithfulness > 0.9
    assert result.meta.check.unsupported == 0


def test_benchmark_script_runs_on_a_few_pairs():
    script = ROOT / "benchmarks" / "faithfulness.py"
    data = ROOT / "tests" / "data" / "qags-mini"  # QAGS's format, a few pairs written for this test
    out = subprocess.run([sys.executable, str(script), "--data", str(data), "--folds", "2"], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "cnndm" in out.stdout and "xsum" in out.stdout and "pearson" in out.stdout.lower()
    assert "cnndm/0" in out.stdout and "xsum/1" in out.stdout  # the fixed 2-fold split
    assert "briefer lexical" in out.stdout and "briefer trained" in out.stdout and "ROUGE-2" in out.stdout
