"""HTML and PDF briefs: self-contained HTML, one page on A4 and Letter as WeasyPrint lays
it out (pages counted in the PDF itself), trimming in the word budget's order, and source
markup that stays text."""

import io
import sys
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
import weasyprint
from typer.testing import CliRunner

from briefer import brief, render
from briefer.briefs.budget import body_words, drop_order
from briefer.cli import app
from briefer.errors import UsageError
from briefer.formats.paper import fit_to_page, render_pdf, without_lowest
from briefer.formats.render import render_html
from briefer.schema import (
    Brief,
    Dispute,
    Meta,
    NextStep,
    Point,
    Quote,
    Side,
    SourceRef,
    Stance,
)

runner = CliRunner()

PAYLOADS = ('<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>')
MEDIA_BOXES = {"a4": (595, 842), "letter": (612, 792)}  # points, rounded


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "blinken-wang-munich.txt"


@pytest.fixture(scope="module")
def example_brief():
    return brief([EXAMPLE], backend="mock")


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text, as a browser's parser sees them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def named(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


def pdf_pages(pdf: bytes):
    return pypdf.PdfReader(io.BytesIO(pdf)).pages


def assert_inert(html: str) -> None:
    """No tag or attribute from a payload is live: no script or img, no event handler, and
    every link stays inside the page."""
    parsed = Tags(html)
    names = {name for name, _ in parsed.tags}
    assert not names & {"script", "img", "iframe", "object", "embed", "link"}
    for name, attrs in parsed.tags:
        assert not [a for a in attrs if a.startswith("on")], (name, attrs)
        for key in ("href", "src", "action"):
            assert attrs.get(key) is None or attrs[key].startswith("#"), (name, attrs)
    assert "javascript:" not in "".join(str(attrs.get("href")) for _, attrs in parsed.tags)


# --------------------------------------------------------------------------- HTML


def test_html_is_self_contained_and_ordered(example_brief):
    html = render(example_brief, "html")
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    parsed = Tags(html)
    assert parsed.named("meta")[1] == {"name": "viewport", "content": "width=device-width, initial-scale=1"}
    assert len(parsed.named("style")) == 1
    assert_inert(html)  # no scripts, external files or fonts
    assert "@import" not in html and "url(" not in html and "@font-face" not in html
    assert "@page" in html and "size:" not in html.split("@page")[1].split("}")[0]  # the printer's paper
    text = " ".join(" ".join(parsed.text).split())
    order = [text.index(label) for label in ("Bottom line", "Positions", "Disputes", "Next steps",
                                             "Key quotes", "Cited source sentences")]
    assert order == sorted(order)
    assert f"Source: {EXAMPLE}" in text
    sides = [tag for tag, attrs in parsed.tags if attrs.get("class") == "side"]
    assert len(sides) == 2


def test_citations_reveal_their_sentence_and_are_listed(example_brief):
    parsed = Tags(render(example_brief, "html"))
    links = [attrs for attrs in parsed.named("a") if attrs.get("href", "").startswith("#src-")]
    assert links
    for attrs in links:
        sid = attrs["href"][len("#src-"):]
        assert attrs["title"] == f"{sid}: {example_brief.citations[sid]}"
    anchors = {attrs["id"] for _, attrs in parsed.tags if attrs.get("id", "").startswith("src-")}
    assert anchors == {f"src-{sid}" for sid in example_brief.citations}  # every link has a target
    listed = {attrs["id"] for attrs in parsed.named("li") if attrs.get("id", "").startswith("src-")}
    # sentences the body already shows whole are named, not printed twice
    assert "S1" not in {i[len("src-"):] for i in listed}
    assert example_brief.bluf.startswith(example_brief.citations["S1"])  # the lead, then where each side stands
    assert "src-S4" in listed


def test_next_steps_dated_first():
    steps = [NextStep(actor="A", action="undated", certainty="possible", evidence=["S1"]),
             NextStep(actor="B", action="later", date="2024-05-02", certainty="scheduled", evidence=["S1"]),
             NextStep(actor="C", action="sooner", date="2024-04-30", certainty="expected", evidence=["S1"])]
    html = render_html(Brief(title="t", bluf="b", next_steps=steps, citations={"S1": "s"}, meta=Meta(backend="mock")))
    assert html.index("sooner") < html.index("later") < html.index("undated")
    assert '<time datetime="2024-04-30">2024-04-30</time>' in html


def test_paper_sets_the_print_page_size(example_brief):
    assert "@page { size: A4; }" in render_html(example_brief, "a4")
    assert "@page { size: letter; }" in render_html(example_brief, "letter")


def test_a_digest_renders_to_html_with_its_stories_whole_on_paper(tmp_path):
    from briefer import digest

    root = Path(__file__).resolve().parent.parent
    sources = [str(root / "examples" / "blinken-wang-munich.txt"), str(root / "examples" / "inbox")]
    made = digest(sources, since="3650d", formats=("html",), out_dir=tmp_path, state=tmp_path / "s.sqlite3",
                  backend="mock").digest
    html = (tmp_path / f"{made.date}.html").read_text()
    parsed = Tags(html)
    assert [a for a in parsed.named("section") if a.get("class") == "story"] == [{"class": "story"}] * 3
    assert ".story { margin-bottom: 1.1rem; break-inside: avoid-page; }" in html
    ids = [attrs["id"] for _, attrs in parsed.tags if "id" in attrs]
    assert len(ids) == len(set(ids)) and "src-D1.S1" in ids and "doc-D4" in ids
    assert set(made.citations) == {i.removeprefix("src-") for i in ids if i.startswith("src-")}
    assert "<script" not in html and "http" not in html.split("<body>")[0]  # self-contained


# --------------------------------------------------------------------------- injection


def injected_brief() -> Brief:
    s, i, j = PAYLOADS
    return Brief(
        title=f"Title {s}", as_of="2024-01-02", bluf=f"Bottom {i} line", bluf_evidence=["S1"],
        sides=[Side(name=f"Side {j}", actors=[f"Actor {s}"], positions=[Point(text=f"Position {i}", evidence=["S1"])])],
        agreements=[Point(text=f"Agreed {j}", evidence=["S2"])],
        disputes=[Dispute(issue=f"Issue {s}", stances=[Stance(side=f"Side {i}", text=f"Stance {j}", evidence=["S2"])])],
        next_steps=[NextStep(actor=f"Actor {i}", action=f"act {s}", timing=f"soon {j}", date="2024-02-03",
                             certainty="expected", evidence=["S1"])],
        quotes=[Quote(speaker=f"Speaker {j}", text=f"Quote {s}", evidence=["S2"])],
        citations={"S1": f"One {s} {i}", "S2": f'Two {j} " onmouseover="alert(1)'},
        sources=[SourceRef(id="D1", path=f"notes {i}.txt", sha256=f'{s}"')],
        meta=Meta(backend="mock", dropped_for_page=[f"quote: {s}"]))


def test_hand_built_brief_renders_inert():
    brief_ = injected_brief()
    html = render_html(brief_)
    assert_inert(html)
    text = "".join(Tags(html).text)
    for payload in PAYLOADS:  # shown to the reader as the characters they are
        assert payload in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<script") == 0


@pytest.fixture
def injected_source(tmp_path):
    path = tmp_path / "talks.txt"
    path.write_text(
        "Talks <script>alert(1)</script> collapse over pay\n\n"
        "Health Minister Jane Doe said on Monday that the government would not raise the pay offer "
        "<script>alert(1)</script> beyond 3 percent.\n\n"
        "Union leader Tom Baker said the nurses rejected the offer <img src=x onerror=alert(1)> and would "
        "strike next week.\n\n"
        "\"We will not accept <a href=\"javascript:alert(1)\">x</a> a real-terms pay cut,\" Baker said.\n\n"
        "Doe said the government \"cannot afford <img src=x onerror=alert(1)> more than 3 percent\" this year.\n\n"
        "The two sides are expected to meet again next month <a href=\"javascript:alert(1)\">x</a>, "
        "officials said.\n", encoding="utf-8")
    return path


def test_source_markup_renders_inert(injected_source):
    result = brief([injected_source], backend="mock")
    made = result.model_dump_json()
    for payload in PAYLOADS:  # the engine carried every payload into the brief ...
        assert payload in made or payload.replace('"', '\\"') in made
    html = render(result, "html")
    assert_inert(html)  # ... and the page shows them as text
    text = "".join(Tags(html).text)
    for payload in PAYLOADS:
        assert payload in text


def test_pdf_of_injected_source_is_one_page_and_fetches_nothing(injected_source, monkeypatch):
    fit = fit_to_page(brief([injected_source], backend="mock"), "a4")
    assert fit.pages == 1
    text = pdf_pages(fit.pdf())[0].extract_text()
    assert "<script>alert(1)</script>" in text
    # even markup that got past escaping could not load a file: the layout fetches nothing
    from PIL import Image

    import briefer.formats.paper

    image = injected_source.parent / "pixel.png"
    Image.new("RGB", (8, 8), "red").save(image)
    leaked = f'<p>x</p><img src="{image.as_uri()}">'
    assert len(pdf_pages(weasyprint.HTML(string=leaked).write_pdf())[0].images) == 1  # would load by default
    monkeypatch.setattr(briefer.formats.paper, "render_html", lambda brief_, paper: leaked)
    assert len(pdf_pages(render_pdf(injected_brief(), "a4"))[0].images) == 0


# --------------------------------------------------------------------------- one page


def text_sizes(page) -> list[tuple[float, set[str], str]]:
    """(font size in pt, classes and tags around it, text) for every piece of laid-out text."""
    found = []

    def walk(box, around):
        element = getattr(box, "element", None)
        if element is not None and getattr(box, "element_tag", None):
            around = around | {box.element_tag} | set((element.get("class") or "").split())
        if hasattr(box, "text") and box.text.strip():
            found.append((box.style["font_size"] * 0.75, around, box.text))
        for child in getattr(box, "children", []):
            walk(child, around)

    walk(page._page_box, frozenset())  # WeasyPrint's layout tree: what is really on the page
    return found


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_example_fits_one_page_readably(example_brief, paper):
    fit = fit_to_page(example_brief, paper)
    pages = pdf_pages(fit.pdf())
    assert len(pages) == 1 and fit.pages == 1
    assert tuple(round(float(x)) for x in pages[0].mediabox[2:]) == MEDIA_BOXES[paper]
    text = pages[0].extract_text()
    for label in ("BOTTOM LINE", "POSITIONS", "United States", "China", "DISPUTES", "Support to Russia",
                  "Balloon incursion", "NEXT STEPS", "CITED SOURCE SENTENCES"):
        assert label in text, label
    kept = fit.brief
    # Russia, named with no position of its own, is the first item to go for a page (Letter)
    assert [s.name for s in kept.sides] == ["United States", "China", "Russia"][:3 if paper == "a4" else 2]
    assert len(kept.disputes) == len(example_brief.disputes) and len(kept.next_steps) >= 2
    # what was dropped is said, in the budget's order, and the quotes went first
    dropped = kept.meta.dropped_for_page
    assert dropped == [d.label() for d in drop_order(example_brief.model_copy(deep=True))[:len(dropped)]]
    assert dropped and all(label.split(" ")[0].rstrip(":") in ("quote", "position", "named") for label in dropped)
    sizes = text_sizes(fit.document.pages[0])
    body = [size for size, around, _ in sizes
            if (around & {"stance", "what"} or {"side", "li"} <= around) and "sup" not in around]
    assert body and min(body) == 9.0  # normal size: never shrunk to fit
    assert min(size for size, around, _ in sizes if "sup" not in around) == 7.5
    assert min(size for size, around, _ in sizes) == 6.5  # citation ids


def overlong_brief() -> Brief:
    sentence = "The delegation said the proposal on grain corridors would be reviewed in detail by experts"

    def point(n):
        return Point(text=f"{sentence} ({n}).", evidence=[f"S{n}"])

    citations = {f"S{n}": f"{sentence} ({n}), officials said." for n in range(1, 41)}
    return Brief(
        title="Grain corridor talks", as_of="2024-03-01", bluf="The talks ended without a deal.", bluf_evidence=["S1"],
        sides=[Side(name=name, actors=[f"{name} envoy"], positions=[point(k + n) for n in range(4)])
               for k, name in ((1, "Ukraine"), (7, "Russia"), (13, "Turkey"))],
        disputes=[Dispute(issue=f"Issue {n}",
                          stances=[Stance(side="Ukraine", text=point(20 + n).text, evidence=[f"S{20 + n}"]),
                                   Stance(side="Russia", text=point(25 + n).text, evidence=[f"S{25 + n}"])])
                  for n in range(1, 4)],
        next_steps=[NextStep(actor="Turkey", action=f"host round {n}", date=f"2024-04-0{n}", certainty="scheduled",
                             evidence=[f"S{30 + n}"]) for n in range(1, 5)],
        quotes=[Quote(speaker="Ukraine envoy", text=point(35 + n).text, evidence=[f"S{35 + n}"]) for n in range(1, 4)],
        citations=citations, sources=[SourceRef(id="D1", path="talks.txt", sha256="0" * 64)],
        meta=Meta(backend="mock", words=900))


def test_overlong_brief_is_trimmed_to_one_page():
    long = overlong_brief()
    notices = []
    fit = fit_to_page(long, "letter", notice=notices.append)
    assert fit.pages == 1 and len(pdf_pages(fit.pdf())) == 1
    dropped = fit.brief.meta.dropped_for_page
    order = drop_order(long.model_copy(deep=True))
    assert 5 < len(dropped) < len(order)
    assert dropped == [d.label() for d in order[:len(dropped)]]
    assert dropped[:3] == ["quote: Ukraine envoy “The delegation said the proposal on ...",
                           "next step: Turkey: host round 4",
                           "position (Turkey): The delegation said the proposal on grain corridors ..."]
    assert notices == [f"briefer: dropped {len(dropped)} items to fit one Letter page: " + "; ".join(dropped)]
    assert long.meta.dropped_for_page == [] and len(long.quotes) == 3  # the input is left alone
    # the fewest drops that fit: one item fewer takes two pages
    one_fewer = render_html(without_lowest(long, len(dropped) - 1), "letter")
    assert len(weasyprint.HTML(string=one_fewer).render().pages) == 2
    kept = fit.brief
    cited = set(kept.bluf_evidence) | {i for s in kept.sides for p in s.positions for i in p.evidence} \
        | {i for d in kept.disputes for s in d.stances for i in s.evidence} \
        | {i for item in [*kept.next_steps, *kept.quotes] for i in item.evidence}
    assert set(kept.citations) == cited  # the footer lists only what is still cited
    assert kept.meta.words == body_words(kept)
    assert "Left out to fit one page:" in pdf_pages(fit.pdf())[0].extract_text()


def test_too_long_even_when_trimmed_keeps_its_pages():
    long = overlong_brief()
    long.sides, long.disputes, long.next_steps, long.quotes = [], [], [], long.quotes[:2]
    long.bluf = " ".join(["The talks ended without a deal after long and difficult sessions."] * 120)
    notices = []
    fit = fit_to_page(long, "a4", notice=notices.append)
    assert fit.pages > 1
    assert notices == [f"briefer: the brief takes {fit.pages} A4 pages even without its optional items"]
    assert len(fit.brief.meta.dropped_for_page) == len(drop_order(long.model_copy(deep=True)))


# --------------------------------------------------------------------------- command line


def test_cli_html(example_path, tmp_path):
    result = runner.invoke(app, ["brief", "-q", str(example_path), "--format", "html"])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("<!DOCTYPE html>")
    out = tmp_path / "brief.html"
    result = runner.invoke(app, ["brief", "-q", str(example_path), "-f", "html", "--paper", "a4", "-o", str(out)])
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "@page { size: A4; }" in html and "Left out to fit one page:" in html


def test_cli_pdf_letter(example_path, tmp_path):
    out = tmp_path / "brief.pdf"
    result = runner.invoke(app, ["brief", str(example_path), "--format", "pdf", "--paper", "letter", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.splitlines()[1].startswith("briefer: dropped ")
    assert result.stderr.splitlines()[1].count(" items to fit one Letter page: ") == 1
    pages = pdf_pages(out.read_bytes())
    assert len(pages) == 1 and tuple(round(float(x)) for x in pages[0].mediabox[2:]) == (612, 792)
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]  # written atomically, no temp file left


def test_cli_pdf_to_a_pipe_defaults_to_a4(example_path):
    result = runner.invoke(app, ["brief", "-q", str(example_path), "--format", "pdf"])
    assert result.exit_code == 0
    pages = pdf_pages(result.stdout_bytes)
    assert len(pages) == 1 and tuple(round(float(x)) for x in pages[0].mediabox[2:]) == (595, 842)


def test_cli_refuses_pdf_to_a_terminal(monkeypatch):
    from briefer import cli

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdout", Terminal())
    with pytest.raises(UsageError, match="^a PDF is binary: write it with -o FILE or redirect stdout$"):
        cli._check_page_options("pdf", None, None, dry_run=False)
    assert cli._check_page_options("pdf", "a4", Path("brief.pdf"), dry_run=False) is True
    assert cli._check_page_options("html", None, None, dry_run=False) is False


def test_cli_without_weasyprint_names_the_extra(example_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    monkeypatch.setitem(sys.modules, "weasyprint.urls", None)
    result = runner.invoke(app, ["brief", "-q", str(example_path), "--format", "pdf", "-o", "never.pdf"])
    assert result.exit_code == 2
    assert result.stderr == "briefer: error: PDF output needs WeasyPrint: pip install 'briefer[pdf]'\n"
