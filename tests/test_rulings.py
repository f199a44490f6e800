"""Court decisions: parties, holding, answered arguments, disposition and vote, on a made-up
syllabus shaped unlike the one in tests/data (federal courts, plural petitioners, a
dissent, the disposition after a law-report citation)."""

from briefer import brief
from briefer.offline.extractive import extract_notes
from briefer.offline.lexicon import Line
from briefer.offline.rulings import is_ruling
from briefer.text.ingest import split_sentences

SYLLABUS = """HARLOW ET AL. v. MERIDIAN WATER DISTRICT

CERTIORARI TO THE UNITED STATES COURT OF APPEALS FOR THE TENTH CIRCUIT

No. 24–101. Argued March 3, 2025—Decided June 9, 2025

Petitioners Ana Harlow and Ben Okafor own farms downstream of a dam operated by respondent Meridian Water District. Petitioners sued the District, arguing that its 2019 release schedule took their water rights without just compensation. The District Court dismissed the suit as untimely. The Court of Appeals for the Tenth Circuit affirmed, holding that the six-year limitations period began when the schedule was adopted.

Held: The limitations period for a takings claim of this kind begins when the property is actually taken, not when a plan to take it is adopted. Pp. 4–15.

(a) A claim accrues when the plaintiff has a complete and present cause of action. Lee v. Ortiz, 512 U. S. 88, 94. A release schedule that may never be carried out takes nothing. Pp. 4–9.

(b) The District argues that landowners must sue as soon as a schedule is published. We disagree. Requiring suit before any water is withheld would force landowners to litigate harms that may never occur. Pp. 9–15.

88 F. 4th 310, reversed and remanded.

PARK, J., delivered the opinion of the Court, in which four other Justices joined. NOLAN, J., filed a dissenting opinion.
"""


def _brief(tmp_path, text):
    source = tmp_path / "syllabus.txt"
    source.write_text(text, encoding="utf-8")
    return brief([source], backend="mock", notice=lambda message: None)


def test_a_syllabus_is_read_as_a_ruling(tmp_path):
    result = _brief(tmp_path, SYLLABUS)
    cited = result.citations
    # what the case is, the holding, the disposition
    assert result.bluf_evidence == ["S1", "S5", "S15"]
    assert result.bluf.split(". The Court held: ")[1].endswith("is adopted. 88 F. 4th 310, reversed and remanded.")
    assert [(s.name, s.actors) for s in result.sides] == [
        ("Court", []), ("Courts below", ["District Court", "Court of Appeals for the Tenth Circuit"]),
        ("Harlow", []), ("Meridian Water District", []), ("Dissent", ["Nolan"])]
    below, argument = result.disputes
    assert below.issue == "The decision below"
    assert [(s.side, s.evidence) for s in below.stances] == [("Harlow", ["S2"]), ("Courts below", ["S4"])]
    assert argument.issue == "Meridian Water District’s argument"
    assert [(s.side, [cited[i] for i in s.evidence]) for s in argument.stances] == [
        ("Meridian Water District", ["(b) The District argues that landowners must sue as soon as a schedule is published."]),
        ("Court", ["We disagree.", cited["S5"]])]
    [step] = result.next_steps
    assert (step.actor, step.action) == ("Court of Appeals for the Tenth Circuit",
                                         "take the case up again in line with this decision")
    assert cited[result.agreements[0].evidence[-1]] == "NOLAN, J., filed a dissenting opinion."
    assert [q.text for q in result.quotes] == ["The limitations period for a takings claim of this kind begins "
                                               "when the property is actually taken, not when a plan to take it "
                                               "is adopted."]


def test_a_prosecutor_statement_is_not_a_ruling():
    lines = [Line("S1", "The defendant was sentenced to five years in prison."),
             Line("S2", "The court held that the evidence was admissible.")]
    assert not is_ruling(lines, "Man sentenced for fraud")
    assert extract_notes(lines).next_steps == []


def test_law_report_abbreviations_do_not_end_a_sentence():
    text = "781 Fed. Appx. 824, reversed and remanded. See 141 S. Ct. 792. The Fed. It said no."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "781 Fed. Appx. 824, reversed and remanded.", "See 141 S. Ct. 792.", "The Fed.", "It said no."]


def test_a_lower_cased_caption_ending_in_et_al_is_the_title(tmp_path):
    from briefer.text.ingest import read_source

    source = tmp_path / "caption.txt"
    source.write_text("doe et al. v. roe et al.\n\nthe district court dismissed the suit. held: the suit may go on.\n",
                      encoding="utf-8")
    doc = read_source(str(source))
    assert doc.title == "doe et al. v. roe et al."
    assert [s.text for s in doc.sentences] == ["the district court dismissed the suit.", "held: the suit may go on."]


UNCAPTIONED = """No. 23–55. Argued October 2, 2024—Decided January 14, 2025

Petitioners are retired teachers of the Oakvale school system who were paid their pensions late. The teachers sued several county treasurers, arguing that the delays violated the Due Process Clause. The treasurers later paid every pension and sought dismissal, arguing that the payments left nothing to decide. The parties agreed that the claim for back pay was moot, but disputed whether the claim for interest survived. The Court of Appeals held that the whole case was moot.

Held: A claim for interest on a late payment survives the payment itself. Pp. 3–9.

(a) Paying the principal does not pay the interest that ran while it was owed. The Court leaves for the District Court to decide how much interest is due. Pp. 3–9.

Reversed and remanded.

LEE, J., delivered the opinion of the Court, in which all other Justices joined except DIAZ, J., who filed a dissenting opinion. DIAZ, J., filed a dissenting opinion.
"""


def test_a_decision_without_caption_names_its_parties_as_the_text_calls_them(tmp_path):
    result = _brief(tmp_path, UNCAPTIONED)
    cited = result.citations
    sides = {s.name: [cited[p.evidence[0]] for p in s.positions] for s in result.sides}
    assert sides["Petitioners"] == [cited["S2"]]  # 'The teachers sued ...': the petitioners, by what they are
    assert sides["Respondent"] == [cited["S3"]]  # 'The treasurers later paid ...': whom they sued
    assert result.agreements[0].evidence == ["S4"]
    assert result.agreements[0].text == "The parties agreed that the claim for back pay was moot."
    assert [(s.actor, s.action) for s in result.next_steps][0] == ("District Court", "decide how much interest is due")
    assert "Dissent" in sides
