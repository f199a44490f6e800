"""The example article: golden files and the content the acceptance list asks for."""

import json
import os
import re

import pytest
from typer.testing import CliRunner

from briefer import brief
from briefer.cli import app
from briefer.text.ingest import split_sentences

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = "examples/blinken-wang-munich.txt"


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def _without_timing(data: dict) -> dict:
    data["meta"].pop("elapsed_s")
    return data


def test_markdown_golden(in_root):
    result = CliRunner().invoke(app, ["brief", "-q", SOURCE])
    with open("examples/blinken-wang-munich.md", encoding="utf-8") as handle:
        assert result.stdout == handle.read(), "regenerate with: bash examples/regenerate.sh"


def test_json_golden(in_root):
    result = CliRunner().invoke(app, ["brief", "-q", "--format", "json", SOURCE])
    with open("examples/blinken-wang-munich.json", encoding="utf-8") as handle:
        golden = json.load(handle)
    assert _without_timing(json.loads(result.stdout)) == _without_timing(golden)


@pytest.fixture(scope="module")
def example_brief():
    return brief([os.path.join(ROOT, SOURCE)], backend="mock")


def test_both_sides_with_positions(example_brief):
    sides = {s.name: s for s in example_brief.sides}
    assert {"United States", "China"} <= set(sides)
    assert "Antony Blinken" in sides["United States"].actors
    assert "Wang Yi" in sides["China"].actors
    assert sides["United States"].positions and sides["China"].positions


def test_balloon_and_russia_are_disputes(example_brief):
    issues = [d.issue.lower() for d in example_brief.disputes]
    assert any("balloon" in issue for issue in issues)
    assert any("russia" in issue for issue in issues)
    for dispute in example_brief.disputes:
        assert {s.side for s in dispute.stances} == {"United States", "China"}


def test_next_steps(example_brief):
    steps = [(s.actor, s.action, s.timing, s.certainty) for s in example_brief.next_steps]
    assert ("Wang Yi", "visit Russia", "after the Munich conference", "expected") in steps
    assert ("Washington", "release more details", None, "expected") in steps


def test_quotes_verbatim(example_brief):
    with open(os.path.join(ROOT, SOURCE), encoding="utf-8") as handle:
        source = handle.read()
    assert example_brief.quotes
    for quote in example_brief.quotes:
        assert quote.text in source
        assert all(sid in example_brief.citations for sid in quote.evidence)


BARE_START = re.compile(r"^[“\"‘']?(?:it|this|that|these|those|they|he|she|such|the move|the decision|"
                        r"the two sides)\b", re.I)
GREETING = re.compile(r"^\W*(?:[\w’' ,]{0,60}\b(?:said|says|tweeted|wrote),?\s*)?[“\"]?\s*(?:just\s+)?"
                      r"(?:met|meeting|spoke) with\b[^.]*\.?[”\"]?$", re.I)


def items_shown(brief_):
    for side in brief_.sides:
        for position in side.positions:
            yield "position", position.text
    for dispute in brief_.disputes:
        for stance in dispute.stances:
            yield "stance", stance.text
    for quote in brief_.quotes:
        yield "quote", quote.text


def test_every_item_reads_alone(example_brief):
    """No position, stance or quote leans on a sentence the reader does not see (a bare
    'it', 'this', 'the two sides') or says nothing but that two people met."""
    for kind, text in items_shown(example_brief):
        assert not BARE_START.match(text), f"{kind} starts with a bare pronoun: {text}"
        assert not GREETING.match(text), f"{kind} is only a meeting mention: {text}"


def test_the_checks_catch_what_they_should():
    assert BARE_START.match("China deplores it and strongly protests it.") is None
    assert BARE_START.match("“It must never happen again.”")
    assert GREETING.match("In a tweet on Saturday, Blinken said, “Just met with the PRC’s top diplomat, Wang Yi.")
    assert not GREETING.match("Blinken said, “Just met with Wang Yi. I condemned the incursion.”")


def test_worries_and_demands_are_not_next_steps(example_brief):
    assert [s.certainty for s in example_brief.next_steps] == ["expected", "expected"]
    for step in example_brief.next_steps:
        assert not re.search(r"\b(?:considering|contemplating|providing lethal|show sincerity|resolve the damage)\b",
                             step.action), step


def test_bottom_line_says_what_happened_and_where_each_side_stands(example_brief):
    first, *rest = [example_brief.bluf[a:b] for a, b in split_sentences(example_brief.bluf)]
    assert first == example_brief.citations["S1"]
    assert len(rest) == 2
    sides = {s.name: [w for a in s.actors for w in a.split()] for s in example_brief.sides}
    assert any(name in rest[0] for name in sides["United States"])
    assert any(name in rest[1] for name in sides["China"])
    for sentence in rest:  # each is one cited sentence's own words (its attribution may be trimmed)
        words = set(re.findall(r"\w+", sentence.lower()))
        assert any(words <= set(re.findall(r"\w+", example_brief.citations[i].lower()))
                   for i in example_brief.bluf_evidence), sentence
