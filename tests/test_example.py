"""The example article: golden files and the content the acceptance list asks for."""

import json
import os

import pytest
from typer.testing import CliRunner

from briefer import brief
from briefer.cli import app

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
