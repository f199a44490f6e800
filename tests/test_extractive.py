"""The offline engine's rules, on sentences and on whole articles it was not written for."""

from pathlib import Path

import pytest

from briefer import brief
from briefer.offline.extractive import extract_notes
from briefer.offline.gazetteer import sides_in
from briefer.offline.lexicon import Line
from briefer.offline.statements import compress_statement, find_quotes

DATA = Path(__file__).parent / "data"


def notes_for(*texts, heading=None):
    return extract_notes([Line(f"S{i}", t, heading) for i, t in enumerate(texts, 1)])


@pytest.mark.parametrize("text, sides", [
    ("Chinese Foreign Ministry Spokesperson Wang Wenbin", ["China"]),
    ("Secretary of State Antony Blinken", ["United States"]),
    ("u. s. officials said", ["United States"]),
    ("let us know", []),
    ("the Kremlin and Kyiv", ["Russia", "Ukraine"]),
    ("South Korea", ["South Korea"]),
])
def test_sides_from_words(text, sides):
    assert sides_in(text) == sides


def test_speaker_title_and_side():
    notes = notes_for("Chinese Foreign Ministry Spokesperson Wang Wenbin said the U.S. must stop.")
    assert [(a.name, a.side) for a in notes.actors] == [("Wang Wenbin", "China")]


def test_surname_joins_full_name_and_pronoun_follows_person():
    notes = notes_for(
        "Secretary of State Antony Blinken met his counterpart on Saturday.",
        "Blinken said the talks were frank.",
        "He added that the channel must stay open.",
    )
    assert [(p.actor, p.side, p.evidence) for p in notes.positions] == [
        ("Antony Blinken", "United States", ["S2"]), ("Antony Blinken", "United States", ["S3"])]
    assert notes.positions[1].text == "Antony Blinken added that the channel must stay open."


def test_inverted_attribution_after_quote():
    notes = notes_for("“We will not accept any pressure on our ties,” said Wang.",
                      heading="China rejects pressure")
    assert notes.positions[0].actor == "Wang"
    assert notes.positions[0].side == "China"  # from the heading, as nothing else says
    assert notes.quotes[0].text == "We will not accept any pressure on our ties"


def test_appositive_speaker_and_organisation_side():
    notes = notes_for("the hospital's chief executive, tom reyes, said the union's demands would cost $ 40 million a year.")
    assert [(a.name, a.side) for a in notes.actors] == [("Tom Reyes", "Hospital")]


def test_trailing_attribution_dropped_keeping_the_quote_closed():
    text = ("Blinken said incidents like the balloon “must never occur again,” State Department "
            "spokesperson Ned Price said in a statement.")
    assert compress_statement(text) == "Blinken said incidents like the balloon “must never occur again.”"


def test_quotes_need_four_words():
    assert find_quotes("He called it “unfortunate” and said “the two sides should talk.”") == [
        "the two sides should talk."]


@pytest.mark.parametrize("sentence, step", [
    ("Wang Yi, who has visited France and Italy this week, is expected to visit Russia after the Munich conference.",
     ("Wang Yi", "visit Russia", "after the Munich conference", "expected")),
    ("The ministers will meet again in Geneva next week.", ("ministers", "meet again in Geneva", "next week", "scheduled")),
    ("The talks resume November 20 in Geneva.", ("Talks", "resume in Geneva", "November 20", "scheduled")),
    ("The U.S. side shall promptly brief the leaders on any progress.",
     ("U.S. side", "promptly brief the leaders on any progress", None, "scheduled")),
    ("Vershinin said Moscow would decide on the corridor by March 18, 2023.",
     ("Moscow", "decide on the corridor", "by March 18, 2023", "expected")),
])
def test_next_step_cues(sentence, step):
    notes = notes_for(sentence)
    assert [(s.actor, s.action, s.timing, s.certainty) for s in notes.next_steps][:1] == [step]


@pytest.mark.parametrize("sentence", [
    "Beijing urged the U.S. to repair the damage.",  # a demand: a position, not a step
    "Officials said China is considering providing lethal aid.",  # a worry
    "There will always be irritants between the two countries.",
    "We will see how the meeting goes.",
])
def test_demands_worries_and_asides_are_not_next_steps(sentence):
    assert notes_for(sentence).next_steps == []


def test_full_date_becomes_iso():
    notes = notes_for("Vershinin said Moscow would decide on the corridor by March 18, 2023.")
    assert notes.next_steps[0].date == "2023-03-18"


def test_agreement_needs_a_real_agreement():
    assert notes_for("Both sides agreed to resume military talks.").agreements
    assert not notes_for("He agreed to babysit the toddler.").agreements
    assert not notes_for("The two sides failed to reach an agreement.").agreements


def test_unseen_article_both_sides_and_dispute():
    result = brief([DATA / "grain-talks.txt"], backend="mock")
    sides = {s.name: s.actors for s in result.sides}
    assert sides["Ukraine"] == ["Dmytro Kuleba"] and sides["Russia"] == ["Sergei Vershinin"]
    assert [(d.issue, [s.side for s in d.stances]) for d in result.disputes] == [
        ("Grain corridor", ["Russia", "Ukraine"])]
    steps = {(s.actor, s.action) for s in result.next_steps}
    assert ("Dmytro Kuleba", "travel to Brussels to brief NATO allies") in steps
    assert ("United Nations", "convene technical teams") in steps


def test_unseen_lower_cased_article_both_sides_and_dispute():
    result = brief([DATA / "nurses-strike.txt"], backend="mock")
    assert {s.name: s.actors for s in result.sides} == {"Union": ["Linda Park"], "Hospital": ["Tom Reyes"]}
    assert [[s.side for s in d.stances] for d in result.disputes] == [["Union", "Hospital"]]
    assert "staffing" in result.disputes[0].issue.lower()


# ------------------------------------------------------------ the document's own voice


def test_transcript_turns_belong_to_their_labelled_speaker_and_questions_to_nobody():
    notes = extract_notes([
        Line("S1", "QUESTION:  Will the talks resume before the summit next month?"),
        Line("S2", "SECRETARY RUBIO:  Yeah, I mean, we expect the talks to resume in September with both teams."),
        Line("S3", "The straits must stay open to every ship that sails through them, free of tolls."),
    ], title="Secretary of State Marco Rubio Remarks to the Press")
    assert [(p.actor, p.side, p.evidence) for p in notes.positions] == [
        ("Marco Rubio", "United States", ["S2"]), ("Marco Rubio", "United States", ["S3"])]
    assert notes.positions[0].text == "We expect the talks to resume in September with both teams."
    assert notes.key_points[0].evidence == ["S2"]  # a question is never the lead
    assert [q.text for q in notes.quotes] == ["The straits must stay open to every ship that sails through them, free of tolls."]


def test_readout_sections_speak_for_the_government_they_are_labelled_with():
    notes = notes_for("The conversation included the discussion of safe zones to achieve lasting peace.",
                      heading="Moscow:")
    assert [(p.actor, p.side) for p in notes.positions] == [("Russia", "Russia")]


def test_a_statement_speaks_for_the_author_after_its_dateline():
    notes = extract_notes([
        Line("S1", "BOISE, ID - Albertsons Companies today filed a lawsuit against The Kroger Co. in the "
                   "Delaware Court of Chancery."),
        Line("S2", "Kroger willfully breached the merger agreement by refusing to divest assets needed for approval."),
        Line("S3", "Tom Moriarty, Albertsons’ General Counsel and Chief Policy Officer, said, “We will enforce "
                   "and preserve Albertsons’ rights and protect our shareholders.”"),
    ])
    assert {(p.actor, p.side) for p in notes.positions} == {
        ("Albertsons Companies", "Albertsons Companies"), ("Tom Moriarty", "Albertsons Companies")}
    assert notes.positions[0].text.startswith("Albertsons Companies today filed")  # no dateline


def test_a_charge_and_the_answer_of_the_side_it_names_make_a_dispute():
    notes = notes_for("The United States and its allies accuse Iran of seeking to build a nuclear bomb.",
                      "Iran insists its nuclear program is strictly for peaceful civilian uses.")
    assert [(d.issue, [s.side for s in d.stances]) for d in notes.disputes] == [
        ("Nuclear bomb", ["United States", "Iran"])]


def test_sides_on_one_subject_without_disagreement_are_no_dispute():
    notes = notes_for("U.S. officials said the two leaders discussed Syria and the road to a settlement.",
                      "Russian officials said Syria was discussed with an emphasis on coordination.")
    assert notes.disputes == []


def test_a_bare_reference_brings_the_sentence_it_refers_to():
    notes = notes_for("Ukrainian Foreign Minister Dmytro Kuleba said Moscow was using hunger as a weapon and "
                      "demanded that Russia stop holding ships.",
                      "Russia's Deputy Foreign Minister Sergei Vershinin rejected the accusation.")
    rejection = next(p for p in notes.positions if p.side == "Russia")
    assert rejection.evidence == ["S1", "S2"]
    assert rejection.text.endswith("Sergei Vershinin rejected the accusation.")


def test_agreements_missed_are_not_agreements_but_far_negations_do_not_matter():
    assert notes_for("They have agreed to set up a forum not just for talks but for the transition.").agreements
    assert not notes_for("The two sides did not agree on the corridor.").agreements


def test_the_actor_of_a_step_is_the_head_of_its_subject():
    notes = notes_for("nurses at st. mary's hospital will strike next week after talks with management collapsed.")
    assert [(s.actor, s.timing) for s in notes.next_steps] == [("Nurses at St. Mary's Hospital", "next week")]


def test_court_records_speak_for_the_prosecution_and_a_plea_for_the_defendant():
    notes = notes_for("The U.S. Attorney's Office for the District of Columbia announced the charges on Monday.",
                      "According to court documents, the defendant moved $2 million through shell companies in 2021.",
                      "John Doe pleaded not guilty to all counts at his arraignment.")
    assert [(p.actor, p.side, p.evidence) for p in notes.positions if p.evidence != ["S1"]] == [
        ("United States", "United States", ["S2"]), ("John Doe", None, ["S3"])]


def test_a_charged_defendant_pleads_in_his_own_name():
    notes = notes_for("Ovid Lopez, 33, of Culiacan was arraigned in federal court in Chicago today.",
                      "Lopez is charged with conspiring to distribute cocaine and heroin into the United States.",
                      "He was arraigned before U.S. District Judge Ann Coleman and pleaded not guilty.")
    plea = next(p for p in notes.positions if p.evidence == ["S3"])
    assert (plea.actor, plea.text) == ("Lopez", "Lopez was arraigned before U.S. District Judge Ann Coleman and pleaded not guilty.")
    charge = next(p for p in notes.positions if p.evidence == ["S2"])
    assert charge.side == "Prosecution"


def test_experts_are_commentators_not_parties_and_bylines_say_nothing():
    notes = notes_for("North Korean leader Kim Jong Un declared his country a nuclear state.",
                      "South Korea’s Defense Ministry rejected Kim’s assertion that North Korea is a nuclear state.",
                      "Korea expert Bruce Bennett from the RAND Corporation told VOA the North does not need nuclear "
                      "weapons for its defense.",
                      "Bennett said the nuclear state claim lacks credibility.",
                      "Brian Padden and Victor Beattie reported on this story.")
    assert {(a.name, a.side) for a in notes.actors} == {
        ("Kim Jong Un", "North Korea"), ("South Korea’s Defense Ministry", "South Korea"), ("Bruce Bennett", "Analysts")}
    assert [sorted(s.side for s in d.stances) for d in notes.disputes] == [["North Korea", "South Korea"]]


def test_a_publication_preamble_says_nothing_and_a_document_title_is_no_quote():
    notes = extract_notes([
        Line("S1", "The following is the text of a joint statement by the United States and Armenia."),
        Line("S2", "The ministers initialed the draft “Agreement on the Establishment of Peace and Relations”."),
        Line("S3", "We remain committed to peace, and we will meet again in May to sign the agreement."),
        Line("S4", "We welcome the progress; Azerbaijan has lifted all transit restrictions with respect to Armenia."),
    ], title="Joint Statement of the United States of America and Armenia")
    assert notes.key_points[0].evidence != ["S1"]
    assert all(p.evidence != ["S1"] for p in [*notes.positions, *notes.agreements])
    assert notes.quotes == []
    sides = {p.evidence[0]: p.side for p in notes.positions}
    assert sides["S3"] == "United States" and sides["S4"] == "Azerbaijan"  # the voice, or the side it names as subject


def test_a_long_statement_is_not_cut_inside_a_dash_aside():
    from briefer.offline.statements import shorten
    text = ("The Trump Route for International Peace and Prosperity (TRIPP) — a multimodal transit route — is "
            "moving from vision to reality, with concrete progress such as the agreement to form a development "
            "company to lead infrastructure development across the region and beyond it.")
    assert shorten(text) == text
