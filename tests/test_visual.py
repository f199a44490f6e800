"""The visual tier (``pytest -m visual``): the HTML brief as a reader sees it, in headless
Chromium, saved as PNG files in tests/visual-output/ for a person to look at.

- ``brief.html``, ``brief-desktop.png`` (1280 px wide) and ``brief-phone.png`` (390 px):
  the example brief on a screen and on a phone;
- ``brief-a4.html``/``brief-letter.html`` printed by Chromium to ``chromium-a4.pdf`` and
  ``chromium-letter.pdf``, which must be one page each (the HTML fitted with ``--paper``);
- ``pdf-a4.png``/``pdf-letter.png``: briefer's own PDFs rasterised with ``pdftoppm``
  (poppler-utils), when it is installed.

Chromium comes from Debian's ``chromium`` package (``apt-get install chromium``); without
it these tests are skipped. The checks here are that the files exist and are not blank;
whether the brief looks right is for the person who opens them.
"""

import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from briefer import brief, render
from briefer.formats.paper import fit_to_page
from briefer.formats.render import render_html

pytestmark = pytest.mark.visual

OUT = Path(__file__).resolve().parent / "visual-output"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "blinken-wang-munich.txt"


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    pytest.skip("no Chromium: apt-get install chromium")


@pytest.fixture(scope="module")
def example():
    OUT.mkdir(exist_ok=True)
    return brief([EXAMPLE], backend="mock")


def run_chromium(chromium: str, *args: str) -> None:
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
                   check=True, capture_output=True, timeout=120)


def not_blank(png: Path) -> Image.Image:
    image = Image.open(png).convert("L")
    darkest, lightest = image.getextrema()
    assert darkest < 80 and lightest > 200, f"{png} looks blank"  # dark text on a light page
    return image


@pytest.mark.parametrize("name, width, height", [("desktop", 1280, 1800), ("phone", 390, 3400)])
def test_screenshot(chromium, example, name, width, height):
    page = OUT / "brief.html"
    page.write_text(render(example, "html"), encoding="utf-8")
    png = OUT / f"brief-{name}.png"
    png.unlink(missing_ok=True)
    run_chromium(chromium, f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri())
    assert not_blank(png).size == (width, height)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_chromium_prints_the_fitted_html_on_one_page(chromium, example, paper):
    fitted = fit_to_page(example, paper)
    page = OUT / f"brief-{paper}.html"
    page.write_text(render_html(fitted.brief, paper), encoding="utf-8")
    pdf = OUT / f"chromium-{paper}.pdf"
    pdf.unlink(missing_ok=True)
    run_chromium(chromium, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert len(pypdf.PdfReader(pdf).pages) == 1
    if shutil.which("pdftoppm"):  # briefer's own PDF, as an image
        ours = OUT / f"pdf-{paper}.pdf"
        ours.write_bytes(fitted.pdf())
        subprocess.run(["pdftoppm", "-r", "110", "-png", "-singlefile", str(ours), str(OUT / f"pdf-{paper}")],
                       check=True, timeout=60)
        not_blank(OUT / f"pdf-{paper}.png")
