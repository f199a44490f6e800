"""Rendering formats, and the installed wheel carrying its prompt templates."""

import zipfile
from pathlib import Path

import pytest

from briefer import UsageError, brief, render
from briefer.formats.render import cite

ROOT = Path(__file__).resolve().parent.parent


def test_cite_is_compact():
    assert cite(["S3", "S7"]) == " [S3, S7]"
    assert cite([]) == ""


def test_txt_format(example_path):
    text = render(brief([example_path], backend="mock"), "txt")
    assert text.startswith("BLINKEN AND CHINA’S WANG YI HOLD FIRST MEETING SINCE SPY BALLOON INCIDENT\n")
    assert "\nBOTTOM LINE: Senior officials from the U.S. and China" in text
    for heading in ("\nPOSITIONS\n", "\nDISPUTES\n", "\nNEXT STEPS\n", "\nKEY QUOTES\n"):
        assert heading in text
    assert "**" not in text and "##" not in text


def test_unknown_format_rejected(example_path):
    with pytest.raises(UsageError, match="unknown format 'pdf'"):
        render(brief([example_path], backend="mock"), "pdf")


def test_as_of_and_title_shown(example_path):
    result = brief([example_path], backend="mock", as_of="2023-02-19", title="Munich readout")
    md = render(result, "md")
    assert md.startswith("# Munich readout\n\nAs of 2023-02-19 · Sources: ")
    assert result.as_of == "2023-02-19"


def test_wheel_carries_prompt_templates(tmp_path):
    from hatchling.builders.wheel import WheelBuilder

    wheel = next(iter(WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])))
    names = zipfile.ZipFile(wheel).namelist()
    for template in ("extract.j2", "reduce.j2", "brief.j2", "retry.j2", "verify.j2"):
        assert f"briefer/prompts/{template}" in names
    for template in ("brief.md.j2", "brief.html.j2", "digest.md.j2", "digest.html.j2", "_html.j2", "_brief.css"):
        assert f"briefer/templates/{template}" in names
    assert "briefer/compare/judge-weights.json" in names  # the trained judge's weights
