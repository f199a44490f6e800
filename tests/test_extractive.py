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
    # an armed movement is its own side, not the state it is in
    ("Lebanon committed to disarm Hizballah", ["Lebanon", "Hezbollah"]),
    ("Houthi forces fired on ships off Yemen", ["Houthis", "Yemen"]),
    ("Hamas and the Palestinian Authority", ["Hamas", "Palestinians"]),
    # international organisations are parties of their own; 'who' is a word, 'WHO' the body
    ("The IMF and the International Atomic Energy Agency", ["IMF", "IAEA"]),
    ("the WHO said, but who knows", ["WHO"]),
    ("OPEC and the Arab League", ["OPEC", "Arab League"]),
    # armed groups that fight for themselves, not for the state whose name they carry
    ("the Syrian Democratic Forces and the Turks fought near Manbij", ["Syrian Democratic Forces", "Turkey"]),
    ("Syrian officials met HTS leaders", ["Syria", "HTS"]),
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
    # joint and common-noun subjects, and the subject two verbs share
    ("The DRC and Rwanda agreed to advance two initiatives on monitoring.",
     ("DRC and Rwanda", "advance two initiatives on monitoring", None, "scheduled")),
    ("Iran and the six powers will meet again on November 20 in Geneva.",
     ("Iran and the six powers", "meet again in Geneva", "on November 20", "scheduled")),
    ("The parties agreed to a trilateral planning conference in October 2026.",
     ("parties", "a trilateral planning conference", "in October 2026", "scheduled")),
    ("Future rounds of dialogue will address reform of the electoral council.",
     ("Future rounds of dialogue", "address reform of the electoral council", None, "scheduled")),
    ("The Governments of Chad and Niger thanked the mediators and agreed to reconvene in Geneva on May 4.",
     ("The Governments of Chad and Niger", "reconvene in Geneva", "on May 4", "scheduled")),
    # what is to be done by a date, whoever does it
    ("The assembly passed a law on the court, with 32 new judges to be selected by December.",
     ("32 new judges", "to be selected", "by December", "scheduled")),
    # news English for an arrangement, promises and undertakings, preparations
    ("Foreign Minister Ana Rojas is to travel to Lima on Monday for talks on the fishing dispute.",
     ("Foreign Minister Ana Rojas", "travel to Lima for talks on the fishing dispute", "on Monday", "scheduled")),
    ("The two presidents are to meet again in March.", ("two presidents", "meet again", "in March", "scheduled")),
    ("Chile promised to return the seized trawlers by Friday.",
     ("Chile", "return the seized trawlers", "by Friday", "scheduled")),
    ("Both sides undertook to exchange prisoners before the end of the year.",
     ("Both sides", "exchange prisoners", "before the end of the year", "scheduled")),
    ("Peruvian officials said they are preparing to resume exports next month.",
     ("Peruvian officials", "resume exports", "next month", "expected")),
    # directives, deadlines, decisions about the future, entry into force
    ("The court ordered the company to pay damages within 60 days.",
     ("Company", "pay damages", "within 60 days", "expected")),
    ("Peru has until June 30 to respond to the proposal.", ("Peru", "respond to the proposal", "until June 30", "expected")),
    ("The ministers decided to hold the next round of talks in Santiago in May.",
     ("Ministers", "hold the next round of talks in Santiago", "in May", "expected")),
    ("The ceasefire will come into force at midnight on Sunday.",
     ("Ceasefire", "come into force at midnight", "on Sunday", "expected")),
    ("The law takes effect on January 1, 2027.", ("Law", "take effect", "on January 1, 2027", "expected")),
    ('The two sides agreed to "appoint high-level teams to begin work as soon as possible," a spokeswoman said.',
     ("two sides", "appoint high-level teams to begin work", "as soon as possible", "scheduled")),
    # a perfect tense, a commitment in the present, a reported agreement, an event set for a date
    ("Both sides have agreed to resume talks next month.", ("Both sides", "resume talks", "next month", "scheduled")),
    ("The two countries pledge to hold elections within a year.",
     ("two countries", "hold elections", "within a year", "scheduled")),
    ("He says both sides have agreed to carry forward their talks on Kashmir.",
     ("both sides", "carry forward their talks on Kashmir", None, "scheduled")),
    ("The parties welcomed the reconnaissance mission, with the first verification mission scheduled for "
     "August 24 in Minembwe.", ("First verification mission", "take place in Minembwe", "August 24", "expected")),
    ("The next round, scheduled for March 3 in Geneva, will focus on prisoners.",
     ("Next round", "take place in Geneva", "March 3", "expected")),
    # a step's action ends where a second verb in the past begins
    ("The two leaders pledged to expand the fisheries council by May and welcomed the new quota system.",
     ("two leaders", "expand the fisheries council", "by May", "scheduled")),
    # an invitation accepted: the guest's visit
    ("President Ruiz invited President Soto to visit Chile, and President Soto accepted the invitation.",
     ("President Soto", "visit Chile", None, "expected")),
    # a decision looks ahead to 'as early as possible' too
    ("The ministers decided to instruct the council to reconvene as early as possible.",
     ("Ministers", "instruct the council to reconvene", "as early as possible", "expected")),
    # 'he' or 'she' after an office holder the sentence names is that office holder
    ("The ministers noted remarks by the WHO Director-General to the May assembly and noted that she plans to "
     "publish a review of the vaccine programme in October.",
     ("WHO Director-General", "publish a review of the vaccine programme", "in October", "scheduled")),
])
def test_next_step_cues(sentence, step):
    notes = notes_for(sentence)
    assert [(s.actor, s.action, s.timing, s.certainty) for s in notes.next_steps][:1] == [step]


@pytest.mark.parametrize("sentence", [
    "Beijing urged the U.S. to repair the damage.",  # a demand: a position, not a step
    "Officials said China is considering providing lethal aid.",  # a worry
    "There will always be irritants between the two countries.",
    "We will see how the meeting goes.",
    # 'is to' after an aim or a blame is no arrangement; a decision with no time ahead is done
    "The aim is to reduce tension along the border.",
    "The goal of the talks is to agree on quotas.",
    "Our job as leaders is to keep the sea lanes open.",
    "Chile is to blame for the collapse, Peru said.",
    "The worst is to come.",
    "The Committee decided to lower the target range by 1/4 percentage point.",
    "The agreement, co-chaired by the U.S. Secretary of State, decided to expand cooperation.",
    "It takes effect immediately.",
    # a promise to the room, not an act
    "MR. SOTO:  I’ll let you know as soon as we have more on the talks.",
    "Chile and Peru renewed the Joint Action Plan to Eliminate Illegal Fishing.",  # a cue word inside a name
    "Chile invited Peru to attend the fisheries summit in Lima.",  # an invitation nobody has accepted
    # a deflection at the podium, and a step that names no act
    "MR. SOTO:  On the border, I’m going to let the Peruvians speak to that.",
    "MR. SOTO:  That’s our priority, and we’re going to continue to do that.",
    "MR. SOTO:  We will get back to you on the quota figures next week.",
])
def test_demands_worries_and_asides_are_not_next_steps(sentence):
    assert notes_for(sentence).next_steps == []


@pytest.mark.parametrize("sentence, agreed", [
    ("Negotiators struck a deal late on Friday to end the strike.", True),
    ("Chile and Peru announced a deal to share the disputed waters.", True),
    ("The two governments concluded a free trade agreement.", True),
    ("Peru accepted Chile's proposal for a joint commission.", True),
    ("The accord was ratified by both parliaments on Monday.", True),
    ("The two countries established a joint working group on migration.", True),
    ("Peru rejected Chile's proposal for a joint commission.", False),
    ("Chile did not accept the offer.", False),
    ("The talks failed to produce a deal.", False),
    ("Officials hope to conclude a deal by June.", False),
    ("Peru has not ratified the treaty.", False),
    ("He accepted the award on behalf of the team.", False),
    # a deliberating body's acts: a commission set up, a law passed
    ("The National Assembly established a commission to reform the penal code.", True),
    ("The Senate passed the budget on Friday.", True),
    ("The company established a new office in Lima.", False),
    ("The assembly did not pass the bill.", False),
])
def test_deals_struck_proposals_accepted_and_joint_bodies_set_up_are_agreements(sentence, agreed):
    notes = notes_for("Fishing talks between Chile and Peru ended in Lima on Tuesday.", sentence)
    assert bool([a for a in notes.agreements if a.evidence == ["S2"]]) is agreed


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
    # Kuleba's charge, and Vershinin who 'rejected the accusation' (three sentences on)
    assert [(d.issue, [s.side for s in d.stances]) for d in result.disputes] == [
        ("Using hunger as a weapon", ["Ukraine", "Russia"])]
    steps = {(s.actor, s.action) for s in result.next_steps}
    assert ("Dmytro Kuleba", "travel to Brussels to brief NATO allies") in steps
    assert ("United Nations", "convene technical teams") in steps


def test_unseen_lower_cased_article_both_sides_and_dispute():
    result = brief([DATA / "nurses-strike.txt"], backend="mock")
    assert {s.name: s.actors for s in result.sides} == {"Union": ["Linda Park"], "Hospital": ["Tom Reyes"]}
    assert [[s.side for s in d.stances] for d in result.disputes] == [["Union", "Hospital"]]
    assert "staffing" in result.disputes[0].issue.lower()


# ------------------------------------------------------------ the document's own voice


def test_transcript_turns_belong_to_their_labelled_speaker_and_questions_to_the_press():
    notes = extract_notes([
        Line("S1", "QUESTION:  Will the talks resume before the summit next month?"),
        Line("S2", "SECRETARY RUBIO:  Yeah, I mean, we expect the talks to resume in September with both teams."),
        Line("S3", "The straits must stay open to every ship that sails through them, free of tolls."),
    ], title="Secretary of State Marco Rubio Remarks to the Press")
    assert [(p.actor, p.side, p.evidence) for p in notes.positions] == [
        ("Marco Rubio", "United States", ["S2"]), ("Press", "Press", ["S1"]), ("Marco Rubio", "United States", ["S3"])]
    assert notes.positions[0].text == "We expect the talks to resume in September with both teams."
    assert notes.key_points[0].evidence == ["S2"]  # a question is never the lead
    assert [q.text for q in notes.quotes] == ["The straits must stay open to every ship that sails through them, free of tolls."]


def test_the_white_house_q_with_no_colon_is_a_reporters_question_not_the_speakers_words():
    # the White House writes 'Q    Thank you, Mr. President.' (the ingest keeps the gap; the
    # engine may see it collapsed to one space)
    for gap in ("    ", " "):
        notes = extract_notes([
            Line("S1", "PRESIDENT OKAFOR:  Thank you all for coming."),
            Line("S2", "We will open the new grain corridor to all ships next month."),
            Line("S3", f"Q{gap}Thank you, Mr. President."),
            Line("S4", "Do you think that the Senate will agree to the funding before the summit in Vilnius?"),
            Line("S5", "PRESIDENT OKAFOR:  No, not sure."),
            Line("S6", "The funding is needed for the corridor and we will keep asking for it."),
        ], title="Remarks by President Okafor in a Press Conference")
        assert notes.key_points[0].evidence not in (["S3"], ["S4"])  # a question never leads
        assert {tuple(p.evidence) for p in notes.positions if p.side == "Press"} == {("S4",)}
        assert all(p.side == "Press" for p in notes.positions if {"S3", "S4"} & set(p.evidence))
        assert not [s for s in notes.next_steps if {"S3", "S4"} & set(s.evidence)]  # a question is no step
        assert [[(t.side, t.evidence) for t in d.stances] for d in notes.disputes] == [
            [("Okafor", ["S5"]), ("Press", ["S4"])]]


def test_a_q_that_opens_an_ordinary_sentence_is_no_label():
    from briefer.offline.voices import transcript_label

    assert transcript_label("Q    Will you go?", lower=False) == ("Q", True)
    assert transcript_label("q  will you go?", lower=True) == ("q", True)
    assert transcript_label("Q: Will you go?", lower=False) == ("Q", True)
    assert transcript_label("Q fever cases rose in the north.", lower=False) is None
    assert transcript_label("Quite so, he said.", lower=False) is None


def test_the_press_has_one_place_among_the_positions_and_fills_only_what_the_sides_leave():
    from briefer.offline.extractive import _round_robin
    from briefer.schema import Position

    def pos(side, n):
        return Position(actor=side, side=side, text=f"{side} point {n}.", evidence=[f"S{n}"])

    positions = [pos("Press", 1), pos("Press", 2), pos("France", 3), pos("France", 4), pos("France", 5),
                 pos("Mali", 6), pos("Press", 7)]
    assert [p.evidence[0] for p in _round_robin(positions, 5)] == ["S1", "S3", "S4", "S5", "S6"]
    assert [p.evidence[0] for p in _round_robin(positions, 6)] == ["S1", "S2", "S3", "S4", "S5", "S6"]


@pytest.mark.parametrize("lower, sentence, speaker", [
    (False, "But Okafor has said his country will not accept a settlement dictated by others.", ("Okafor", None)),
    (False, "“You should have come,” Trump said of Peru’s leaders.", ("Trump", None)),
    (False, "Rojas had a similar upbeat view of the talks, saying, “We heard each other.”", ("Rojas", None)),
    (False, "Russia now controls about a fifth of Ukraine’s internationally recognized territory.", None),
    (False, 'The two sides agreed to "appoint high-level teams as soon as possible," State Department spokeswoman '
            'Ana Ruiz said in a statement.', ("Ana Ruiz", "United States")),
    (False, "Chilean President Ana Rojas objected to being excluded from the meeting.", ("Ana Rojas", "Chile")),
    (False, "Speaking to reporters, Foreign Secretary Ravi Menon described Kashmir a complex issue.", None),
    (False, "Hamas described the strike as a serious violation of the ceasefire.", ("Hamas", "Hamas")),
    (False, "All transactions are prohibited unless authorized by the general licenses described above.", None),
    (True, "u.s. secretary of state marco rubio said the talks were useful.", ("Marco Rubio", "United States")),
    (True, "zelenskyy has long demanded that the boundaries be restored.", ("Zelenskyy", None)),
    (True, "european leaders who in recent days have highlighted the need for talks met in paris.", None),
    (False, "As officers responded, they observed three men fleeing the scene.", None),
    (False, "After the meeting, Rojas said the talks had failed.", ("Rojas", None)),
])
def test_who_speaks_in_a_news_sentence(lower, sentence, speaker):
    from briefer.offline.speakers import Context, find_speaker

    found, _ = find_speaker(sentence, Context(lower=lower))
    assert (found and (found.name, found.side)) == speaker


def test_a_name_takes_the_side_written_nearest_it_and_a_reports_narration_ranks_after_what_is_said():
    notes = notes_for(
        "Rubio met for four hours in Saudi Arabia with Russian Foreign Minister Sergey Lavrov.",
        "Russia now controls about a fifth of the territory of its neighbour, after years of fighting.",
        "Lavrov had a similar upbeat view of the talks, saying, “We heard each other.”")
    assert [(p.actor, p.side) for p in notes.positions] == [("Sergey Lavrov", "Russia"), ("Russia", "Russia")]


def test_who_joins_a_delegation_is_on_its_side():
    notes = notes_for(
        "U.S. Secretary of State Marco Rubio met his Russian counterpart in Riyadh.",
        "National security adviser Mike Waltz and envoy Steve Witkoff joined Rubio for the talks.",
        "Waltz told reporters that the negotiations will focus on territory.")
    assert [(p.actor, p.side) for p in notes.positions if p.evidence == ["S3"]] == [("Mike Waltz", "United States")]


def test_a_key_quote_is_not_the_words_of_an_agreement_the_page_already_gives(tmp_path):
    source = tmp_path / "talks.txt"
    source.write_text(
        "Chile and Peru agree to set up fishing teams\n\n"
        'Chile and Peru agreed to "appoint joint teams of experts to begin their work on the fishing quotas in '
        'the northern waters as soon as possible," Chilean Foreign Minister Ana Rojas said in a statement.\n\n'
        "“We did not just talk, we listened to each other for the first time in years, and that is what both of "
        "our fleets and all of our fishermen needed from us this week,” Peruvian Foreign Minister Luis Soto "
        "told reporters.\n", encoding="utf-8")
    result = brief([source], backend="mock", notice=lambda message: None)
    assert result.quotes[0].speaker == "Luis Soto"


def test_a_readout_hosts_side_and_the_guests_and_mr_surname_is_the_man_named_in_full():
    notes = extract_notes([
        Line("S1", "Security Adviser Tom Hale met on May 3 with Chilean Foreign Minister Ana Rojas in Lima."),
        Line("S2", "Mr. Hale raised concerns about the seizure of trawlers in the northern waters."),
        Line("S3", "Both sides welcomed efforts to keep talking, including planning for a leaders' call in the coming weeks."),
        Line("S4", "They noted the value of the hotline and planned to hold a coast guard call in the near future."),
        Line("S5", "They welcomed further talks during Senior Adviser Jo Park’s upcoming travel to Santiago."),
    ], title="Readout of Security Adviser Tom Hale’s Meeting with Chilean Foreign Minister Ana Rojas of Chile")
    # (the readout's voice is the side the text names most but the guest's: none here but Chile,
    # so the host's side comes from the headline's host alone when the text names it)
    hale = next(a for a in notes.actors if a.name == "Tom Hale")
    assert "Mr. Hale" in hale.aliases
    assert [(s.actor, s.action, s.timing) for s in notes.next_steps] == [
        ("Both sides", "a leaders' call", "in the coming weeks"),
        ("Both sides", "hold a coast guard call", "in the near future"),
        ("Jo Park", "travel to Santiago", None)]


def test_the_host_of_a_readout_speaks_for_its_author_and_the_guest_for_the_side_his_titles_name():
    notes = extract_notes([
        Line("S1", "Security Adviser Tom Hale met on May 3 with Politburo Member and Foreign Minister Li Wen."),
        Line("S2", "The meeting was part of efforts to manage relations between the United States and the PRC."),
        Line("S3", "Mr. Hale raised concerns about the PRC’s unfair trade policies."),
        Line("S4", "Director Li stressed that the two sides should respect each other’s core interests."),
    ], title="Readout of Security Adviser Tom Hale’s Meeting with Chinese Politburo Member and Foreign Minister Li Wen")
    assert {(p.actor, p.side) for p in notes.positions} >= {("Tom Hale", "United States"), ("Li Wen", "China")}


def test_a_release_announcing_what_befell_an_unnamed_man_leads_with_who_and_what_too(tmp_path):
    source = tmp_path / "release.txt"
    source.write_text(
        "Lima Man Sentenced to 20 Years\n\n"
        "LIMA, Ohio – Today, United States Attorney Ana Ruiz announced the sentencing of a Lima man for his role "
        "in a robbery at a local bank.\n\n"
        "On March 3, 2026, a federal judge sentenced John Doe, 30, of Lima, Ohio, to 240 months in prison.\n\n"
        "As officers responded, they saw two men fleeing the bank with bags of cash.\n\n"
        "Doe pleaded guilty to armed bank robbery on October 2, 2025.\n", encoding="utf-8")
    result = brief([source], backend="mock", notice=lambda message: None)
    assert result.bluf_evidence[:2] == ["S1", "S2"]
    assert result.bluf.startswith("Today, United States Attorney Ana Ruiz announced")  # no dateline
    assert "As officers" not in [s.name for s in result.sides]


def test_a_lead_whose_subject_is_the_group_follows_the_sentence_that_names_its_parties(tmp_path):
    source = tmp_path / "readout.txt"
    source.write_text(
        "Readout of the Andean Fisheries Council Meetings\n\n"
        "Chile, Peru, and Ecuador recently held meetings of the Andean Fisheries Council, which was set up in "
        "2019 to manage the stocks the three countries share.\n\n"
        "The delegations reviewed the catch figures of the last season and the state of the stocks.\n\n"
        "The participants decided to cut the anchovy quota by a third and to share patrol data from March.\n\n"
        "Chile said the cut must be enforced at sea by all three navies.\n", encoding="utf-8")
    result = brief([source], backend="mock", notice=lambda message: None)
    assert result.bluf_evidence[:2] == ["S1", "S3"]  # who 'the participants' are, then what they decided
    assert result.bluf.startswith("Chile, Peru, and Ecuador recently held meetings of the Andean Fisheries "
                                  "Council, which was set up in 2019 to manage the stocks the three countries "
                                  "share. The participants decided to cut the anchovy quota")


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


def test_a_party_that_acts_is_a_side_and_its_charge_is_a_dispute_without_its_answer():
    notes = notes_for(
        "Following the talks, the interim government has restored access to more than 70 blocked websites.",
        "The National Electoral Council will review the voter rolls.",
        "The Rapid Support Forces' leaders met in Nairobi.",  # a possessive: not the party's act
        "Critics of the interim government said the reforms came too late.",  # named twice: a party
    )
    acts = {p.evidence[0]: (p.actor, p.side) for p in notes.positions}
    assert acts["S1"] == ("interim government", "interim government")
    assert acts["S2"] == ("National Electoral Council", "National Electoral Council")
    assert "S3" not in acts
    notes = notes_for("BOISE, ID - Acme Stores today filed a lawsuit against The Zenith Co. for breach of their merger "
                      "agreement.", "Zenith Co. repeatedly refused to sell the stores regulators asked for.")
    assert {p.evidence[0]: p.side for p in notes.positions} == {"S1": "Acme Stores", "S2": "Acme Stores"}
    assert [(d.issue.split(": ")[-1], [s.evidence for s in d.stances]) for d in notes.disputes] == [
        ("Acme Stores against Zenith", [["S1"]])]


def test_a_question_refused_is_a_dispute_between_the_press_and_the_speaker():
    notes = extract_notes([
        Line("S1", "QUESTION: On the reporting about your ambassador —"),
        Line("S2", "QUESTION: Is there anything you wanted to say about the reporting from The Wall Street Journal "
                   "that Ambassador Guilfoyle had sought money?"),
        Line("S3", "SECRETARY RUBIO: Yeah, guys, let me tell you something, okay?"),
        Line("S4", "The media outlet reports it and you immediately turn to me and say, respond to our reporting."),
        Line("S5", "So I’m not going to comment on a story that literally posted a few hours ago."),
        Line("S6", "QUESTION: Will you visit Portugal and Spain on this trip, Mr. Secretary?"),
        Line("S7", "SECRETARY RUBIO: We are going to Portugal today, and we will be glad to be there with our allies."),
    ], title="Secretary of State Marco Rubio Remarks to the Press")
    press = sorted(p.evidence for p in notes.positions if p.side == "Press")
    assert press == [["S2"], ["S6"]]  # the question that asks, not the remark before it
    assert [(d.issue, [(s.side, s.evidence) for s in d.stances]) for d in notes.disputes] == [
        ("Ambassador Guilfoyle", [("United States", ["S5"]), ("Press", ["S2"])])]
    assert any(p.evidence == ["S5"] and p.side == "United States" for p in notes.positions)  # the refusal is his


def test_a_quotation_a_he_gives_after_an_office_holder_is_the_office_holders():
    notes = extract_notes([
        Line("S1", "Chile and Peru held talks on the anchovy quota in Lima."),
        Line("S2", "They noted the remarks of the FAO Director-General to the May council, in which she expressed "
                   "“deep concern about the state of the southern stock this year” and asked for data."),
        Line("S3", "Chilean Minister Ana Rojas said Peru had broken what she called “the spirit of the 2019 accord”."),
    ], title="Readout of the Chile-Peru Fisheries Talks")
    assert [(q.speaker, q.evidence) for q in notes.quotes] == [
        ("FAO Director-General", ["S2"]),  # not the readout's voice
        ("Ana Rojas", ["S3"])]  # the speaker named in the sentence, not her title again


def test_a_documents_title_in_sentence_case_is_no_quote():
    assert find_quotes("They welcomed the working paper on ‘Cooperation under the fisheries partnership’ for the "
                       "review conference.") == []
    assert find_quotes('Peru published a report entitled "How the quota system failed the coast" on Monday.') == []
    assert find_quotes('He called the plan "a gift to the trawler owners" on Monday.') == ["a gift to the trawler owners"]


def test_a_speakers_own_word_for_something_is_a_quote_and_an_it_that_stands_for_what_follows_is_no_pronoun():
    assert find_quotes('Fabius said Paris will not be part of what he called a "fool\'s deal."') == ["fool's deal"]
    assert find_quotes('He said it was "unfortunate" and left.') == []  # a word in quotes, no naming verb
    notes = extract_notes([
        Line("S1", "QUESTION: Who should protect the ships that pass through the strait every day?"),
        Line("S2", "SECRETARY RUBIO: Well, the United States will do what it needs to do to protect shipping."),
        Line("S3", "It is not the United States’ job to protect shipping for the entire planet forever."),
        Line("S4", "So I mean, their behavior has to change in order for ours to change."),
    ], title="Secretary of State Marco Rubio Remarks to the Press")
    own = next(p for p in notes.positions if p.evidence[-1] == "S3")
    assert own.evidence == ["S3"]  # understandable alone: no antecedent brought in
    assert {"their behavior has to change in order for ours to change.",  # as said, without 'So I mean,'
            "It is not the United States’ job to protect shipping for the entire planet forever."} <= {
        q.text for q in notes.quotes}


def test_parties_committing_together_is_an_agreement_not_one_sides_position():
    notes = notes_for("The United States, Armenia, and Azerbaijan reaffirm their support for the sovereignty of both.",
                      "The three states remain committed to the full implementation of the Joint Declaration.",
                      "The United States and its allies accuse Iran of seeking a nuclear bomb.",
                      "The United States supports this Venezuelan-led process toward a democratic transition.")
    assert [a.evidence for a in notes.agreements] == [["S1"], ["S2"]]  # 'The United States' is one party
    assert all(p.evidence[0] not in {"S1", "S2"} for p in notes.positions)


def test_a_plea_of_not_guilty_disputes_the_charges_and_a_bare_ministry_is_its_countrys():
    notes = notes_for("Ovidio Guzman Lopez was arraigned in Chicago today after his extradition from Mexico.",
                      "Guzman Lopez is charged with conspiring to distribute cocaine into the United States.",
                      "He pleaded not guilty before U.S. District Judge Sharon Coleman.",
                      "A Mexican court reviewed the request, and the Mexican Foreign Ministry agreed with it.",
                      "The Foreign Ministry reviewed the decision and concluded that he should be extradited.")
    charges = notes.disputes[0]
    assert (charges.issue, [s.evidence for s in charges.stances]) == ("The charges", [["S2"], ["S3"]])
    assert next(p.side for p in notes.positions if p.evidence == ["S5"]) == "Mexico"


def test_a_charge_names_the_party_nearest_it_and_neither_nor_names_both():
    notes = notes_for("BOISE, ID - Acme Stores today filed a lawsuit against The Zenith Co. in the Delaware Court of "
                      "Chancery.", "Regrettably, neither the Northern Front nor the Southern Army has made serious "
                      "commitments to a truce, and both have redoubled drone strikes which kill civilians.")
    assert [d.issue.split(": ")[-1] for d in notes.disputes] == [
        "Acme Stores against Zenith", "Acme Stores against Northern Front and Southern Army"]


def test_a_stance_shown_under_disputes_is_not_repeated_as_a_position_of_a_side_with_another(tmp_path):
    source = tmp_path / "fishing.txt"
    source.write_text(
        "Fishing talks between Chile and Peru broke down in Lima on Tuesday.\n\n"
        "Chile demanded an end to the seizure of its trawlers, while Peru demanded a ban on night fishing "
        "in the border waters.\n\n"
        "Peruvian officials denied that any trawler had been seized unlawfully.\n\n"
        "Chilean minister Ana Rojas said the fleet would stay in port until the trawlers are returned.\n\n"
        "Peru's fisheries minister Luis Soto said the ban protects stocks that both countries depend on.\n",
        encoding="utf-8")
    result = brief([source], backend="mock", notice=lambda message: None)
    # the sentence of two demands is split between its sides, and Peru's denial answers Chile
    assert [[(s.side, s.evidence) for s in d.stances] for d in result.disputes] == [
        [("Chile", ["S2"]), ("Peru", ["S2"]), ("Peru", ["S3"]), ("Chile", ["S4"])]]
    assert result.disputes[0].stances[0].text == "Chile demanded an end to the seizure of its trawlers"
    # Peru keeps a point of its own, so its stances are not repeated; Chile has none else
    assert [(side.name, [p.evidence for p in side.positions]) for side in result.sides] == [
        ("Peru", [["S5"]]), ("Chile", [["S4"], ["S2"]])]


def test_a_denial_of_the_charge_before_it_and_a_sentence_of_two_sides_are_disputes(tmp_path):
    source = tmp_path / "fishing.txt"
    source.write_text(
        "Chile and Peru fail to settle fishing dispute\n\n"
        "Talks between Chile and Peru on fishing rights ended in Lima on Tuesday without agreement.\n\n"
        "Chile insists that its trawlers have the right to fish in the northern waters under the 1952 treaty. "
        "Peru rejects that reading of the treaty and says the waters are Peruvian.\n\n"
        "Peruvian Foreign Minister Luis Soto accused Chile of violating the maritime boundary set by the "
        "International Court of Justice in 2014. Rojas denied the charge.\n\n"
        "The two sides remain divided over compensation for seized vessels. Peru wants Chile to pay for the "
        "damage caused by illegal fishing, while Chile says it owes nothing.\n\n"
        "Chilean Foreign Minister Ana Rojas said Chile would keep its fleet at sea.\n", encoding="utf-8")
    result = brief([source], backend="mock", notice=lambda message: None)
    assert [[(s.side, s.text, s.evidence) for s in d.stances] for d in result.disputes] == [
        [("Peru", "Peruvian Foreign Minister Luis Soto accused Chile of violating the maritime boundary set by the "
                  "International Court of Justice in 2014.", ["S4"]),
         ("Chile", "Rojas denied the charge.", ["S5"])],
        [("Chile", "Chile insists that its trawlers have the right to fish in the northern waters under the 1952 "
                   "treaty.", ["S2"]),
         ("Peru", "Peru rejects that reading of the treaty and says the waters are Peruvian.", ["S3"])],
        [("Peru", "Peru wants Chile to pay for the damage caused by illegal fishing", ["S7"]),
         ("Chile", "Chile says it owes nothing.", ["S7"])]]
    # no side holds the other's words as its own position
    assert all(not p.text.startswith("Peru") for side in result.sides if side.name == "Chile" for p in side.positions)


def test_a_press_conference_bottom_line_gives_what_the_speaker_would_not_say(tmp_path):
    source = tmp_path / "remarks.txt"
    source.write_text(
        "Secretary of State Marco Rubio Remarks to the Press\n\n"
        "QUESTION: Are you asking your allies to follow America First policy or to find their own path?\n\n"
        "SECRETARY RUBIO: No, I’m asking our allies to be strong and to spend more on their own defense.\n\n"
        "QUESTION: Is there anything you wanted to say about the reporting from The Wall Street Journal "
        "on Ambassador Guilfoyle?\n\n"
        "SECRETARY RUBIO: That’s not the way this process works with the media, guys. "
        "So I’m not going to comment on a story that literally posted a few hours ago.\n", encoding="utf-8")
    result = brief([source], notice=lambda message: None)
    assert result.bluf == ("I’m asking our allies to be strong and to spend more on their own defense. "
                           "So I’m not going to comment on a story that literally posted a few hours ago.")
    assert [s.name for s in result.sides] == ["United States", "Press"]


def test_what_talks_produced_is_an_agreement():
    notes = notes_for("The talks led to the creation of a seven-member Credentials Council to screen judges.",
                      "Two rounds of talks have taken place, producing significant results on press freedom.",
                      "The talks failed to produce a deal on the border.")
    assert [a.evidence for a in notes.agreements] == [["S1"], ["S2"]]


def test_lower_cased_datelines_and_company_names():
    from briefer.offline.statements import DATELINE
    assert DATELINE.sub("", "boise, id - albertsons companies today filed") == "albertsons companies today filed"
    assert DATELINE.sub("", "later, he said - not really") == "later, he said - not really"
    notes = notes_for("boise, id - acme stores today filed a lawsuit against the zenith co. for breach of contract.",
                      "zenith repeatedly refused to sell the stores regulators asked for.")
    assert [d.issue.split(": ")[-1] for d in notes.disputes] == ["Acme Stores against Zenith"]


def test_a_body_that_says_we_speaks_for_itself_and_is_charged_by_nobody_it_addresses():
    from briefer.offline.voices import document_voice
    title = "Joint Statement of the Multilateral Sanctions Monitoring Team (MSMT) on the Report on Labour"
    first = "We, the participating states of the Multilateral Sanctions Monitoring Team (MSMT), have released a report."
    assert document_voice(title, [first]) == "MSMT"
    assert document_voice(title.lower(), [first.lower()]) == "MSMT"
    assert document_voice("Statement by the G7 Foreign Ministers on Ukraine", ["They met."]) == "G7 Foreign Ministers"
    # the body that met speaks, not its meetings
    assert document_voice("Readout of Andean Fisheries Council Meetings", ["They met."]) == "Andean Fisheries Council"
    # 'X’ Joint Statement': who issues it is named first
    assert document_voice("Andean Leaders’ Joint Statement: “The Spirit of Lima”", ["x"]) == "Andean Leaders"
    assert document_voice("Peru’s Statement on the Quota", ["x"]) == "Peru"
    # no headline: the parties a text that says 'our' and 'we' opens on speak, together
    texts = ["Chile, Peru, and Ecuador recently held talks on the anchovy stock in Lima.",
             "The paper details our proposal to cut the quota by a third.", "We will meet again in May."]
    assert document_voice(None, texts) == "Chile, Peru and Ecuador"
    assert document_voice(None, texts[:1] + ["The paper details the proposal to cut the quota."]) is None
    notes = extract_notes([
        Line("S1", first.replace("a report.", "a report on the DPRK’s violations of UN Security Council resolutions.")),
        Line("S2", "In 2017, the UN Security Council (UNSC) made it unlawful for any state to employ North Korean labourers."),
        Line("S3", "Considering the continued violations, we urge the UN Security Council to reestablish the Panel."),
    ], title=title)
    # the Council's own act, not a charge the author lays against it
    assert next(p.side for p in notes.positions if p.evidence == ["S2"]) == "UN Security Council"
    charged = [d.issue.split(": ")[-1] for d in notes.disputes]
    assert charged[0] == "MSMT against DPRK" and "MSMT against UN Security Council" not in charged  # not whom it urges


def test_a_place_that_says_where_and_a_states_opponents_are_not_that_state():
    assert sides_in("The Britain-based Syrian Observatory") == ["Syria"]  # 'Britain-based' says where it sits
    assert sides_in("a Moscow-backed militia") == []
    notes = notes_for("The main rebel coalition in Syria has said it is willing to accept a temporary truce.",
                      "The Syrian rebel coalition met in Riyadh on Saturday and condemned the strikes.",
                      "The Syrian government has rejected the proposal for a truce in the north.")
    sides = {p.evidence[-1]: p.side for p in notes.positions}
    assert sides["S1"] is None and "S2" not in sides and sides["S3"] == "Syria"


def test_a_list_is_held_by_the_sentence_that_introduces_it_and_a_department_of_x_is_a_party():
    notes = extract_notes([
        Line("S1", "Today, the Department of State announces sanctions on the Court."),
        Line("S2", "Concurrent with this designation, the Department of the Treasury is issuing a set of general "
                   "licenses authorizing certain transactions."),
        Line("S3", "A 180-day GL authorizing the maintenance of its operations;"),
        Line("S4", "A GL authorizing activity related to the pension plan; and"),
        Line("S5", "A GL authorizing certain activity related to the detainees."),
    ])
    licences = next(p for p in notes.positions if p.evidence[0] == "S2")
    assert (licences.actor, licences.side, licences.evidence) == (
        "Department of the Treasury", "United States", ["S2", "S3", "S4", "S5"])
    assert [p for p in notes.positions if p.evidence[0] in {"S3", "S4", "S5"}] == []


def test_a_side_lays_no_charge_against_its_own_army():
    notes = extract_notes([
        Line("S1", "The Government of Israel underscores that the termination of this threat will end any need for "
                   "Israel Defense Forces (IDF) action in Lebanon."),
        Line("S2", "The IDF will redeploy out of the territory as the Lebanese Armed Forces deploy."),
    ], title="Trilateral Framework Between the State of Israel and the Republic of Lebanon")
    charged = [d.issue.split(" against ")[-1] for d in notes.disputes if len(d.stances) == 1]
    assert "IDF" not in charged and "Israel Defense Forces" not in charged


def test_a_party_named_twice_who_says_nothing_is_named_and_a_venue_once_is_not():
    notes = notes_for(
        "Albertsons Companies today filed a lawsuit against The Kroger Co. in the Delaware Court of Chancery.",
        "Albertsons said Kroger failed to take the actions the merger agreement required.",
        "Kroger’s conduct harmed Albertsons and its shareholders, the company said.",
        "The talks were held in Munich, Germany, last week.")
    assert [(p.text, p.evidence) for p in notes.named] == [("Kroger", ["S1", "S2", "S3"])]


def test_the_parties_a_text_opens_on_together_are_named_though_named_once():
    notes = notes_for(
        "Chile, Peru, and the Philippines held talks on fisheries in Lima last week.",
        "Chile said the quotas must fall by a third before the season opens.",
        "The Philippines said its fleet would keep to the current quotas for now.",
        "The talks were hosted in Lima, Peru’s capital, by Chile’s ambassador to Argentina.")
    # Peru is named twice, Argentina once and not in the opening: an aside
    assert [p.text for p in notes.named] == ["Peru"]
    notes = notes_for(
        "Chile, Peru, and the Philippines held talks on fisheries in Lima last week.",
        "Chile said the quotas must fall by a third before the season opens.",
        "The Philippines said its fleet would keep to the current quotas for now.")
    assert [(p.text, p.evidence) for p in notes.named] == [("Peru", ["S1"])]
    notes = notes_for("Chile met Peru and the Philippines in Lima last week.",
                      "Chile said the quotas must fall by a third before the season opens.")
    assert notes.named == []  # the parties Chile met are objects, not a joint subject


def test_a_named_party_is_a_whole_name_not_part_of_a_speaking_side():
    notes = notes_for(
        "The United States said neither the Sudanese Armed Forces nor the Rapid Support Forces had accepted a truce.",
        "The United States said the Sudanese Armed Forces and the Rapid Support Forces must stop fighting.",
        "Sudan’s people want peace, the United States said.")
    assert [p.text for p in notes.named] == ["Sudanese Armed Forces", "Rapid Support Forces"]


def test_a_joint_statement_on_a_meeting_speaks_for_the_body_that_met():
    from briefer.offline.voices import document_voice

    title = "Joint Statement on the Sixth Meeting of the Joint Security Coordination Mechanism for the Peace Agreement"
    assert document_voice(title, ["The parties met in Geneva."]) == "Joint Security Coordination Mechanism"
    assert document_voice("Joint Statement on the Release of Detainees", ["The parties met in Geneva."]) is None


def test_a_transcript_leads_with_what_was_done_and_a_language_is_no_side():
    notes = notes_for(
        "SECRETARY SMITH: Before we sign it I just want to say a few words in English and Spanish.",
        "I think this agreement reflects the deep and growing partnership between our two countries.",
        "FOREIGN MINISTER DIAZ: I will start in English.",
        "Our alliance with the United States is important for trade, investment and security in the region.",
        "(The Memorandum of Understanding was signed.)")
    assert [p.evidence for p in notes.positions if p.evidence == ["S1"]] == []  # words about speaking
    assert notes.next_steps == []  # 'start in English' is no next step
    assert [(a.text, a.evidence) for a in notes.agreements] == [("The Memorandum of Understanding was signed.", ["S5"])]
    assert notes.key_points[0].evidence == ["S5"]
    assert sides_in("(In Spanish.) He spoke in English and Spanish, then to Spanish officials.") == ["Spain"]


def test_an_executive_act_speaks_in_its_authors_first_person_and_demands_of_others():
    notes = notes_for(
        "By the authority vested in me as President by the Constitution and the laws of the United States, "
        "I hereby designate Ruritania as a major transit country.",
        "I have raised this directly with the leaders of Ruritania and of Borduria.",
        "Ruritania must take additional action against the cartels that operate along its border.",
        "Ruritania has expanded its seizures of illicit drugs over the past year, and Borduria has done the same.")
    sides = {p.evidence[0]: p.side for p in notes.positions}
    assert (sides["S1"], sides["S2"], sides["S3"]) == ("United States",) * 3


@pytest.mark.parametrize("text, step", [
    ("We’ll also have meetings with the Quad on Tuesday.", ("United States", "have meetings with the Quad")),
    ("We’ll have to respond to that.", None),
    ("We’ll see what happens.", None),
])
def test_a_contracted_will_is_a_plan_and_having_to_is_not(text, step):
    from briefer.offline.speakers import Speaker
    from briefer.offline.steps import find_next_steps

    steps = find_next_steps(Line("S1", text), False, Speaker("Marco Rubio", "Secretary", "United States"))
    assert [(s.actor, s.action) for s in steps] == ([step] if step else [])


def test_a_statement_in_its_authors_first_person_gives_its_own_quote():
    notes = notes_for(
        "We, the participating states of the Northern Monitoring Group (NMG), have released a report today.",
        "The report shows how the regime continues to evade the embargo through front companies.",
        "Considering the continued violations and evasions of the embargo, we urge the Security Council to "
        "reestablish the panel of experts in the same strength and structure it had before it was disbanded.")
    assert [(q.speaker, q.text) for q in notes.quotes] == [
        ("NMG", "we urge the Security Council to reestablish the panel of experts in the same strength and "
                "structure it had before it was disbanded.")]


def test_a_readout_of_a_leaders_meeting_speaks_for_the_host():
    from briefer.offline.voices import document_voice

    texts = ["President Smith today met President Li of the People’s Republic of China.",
             "President Smith underscored the United States’ support for open trade.",
             "The United States will continue to take necessary actions to protect U.S. technologies."]
    assert document_voice("Readout of President Smith’s Meeting with President Li of China", texts) == "United States"
    assert document_voice("Readout of the Prime Minister of Japan’s Call with President Li of China", texts) == "Japan"
    notes = notes_for(texts[2])
    assert [s.action for s in notes.next_steps] == ["continue to take necessary actions to protect U.S. technologies"]


def test_a_release_line_before_a_statement_is_never_its_lead():
    notes = notes_for(
        "The following statement was released by the representatives of the Government of Ruritania and of Borduria.",
        "From August 17 to August 21, representatives of both governments convened in Geneva to assess progress.",
        "The Parties agreed to establish a mechanism to review progress in implementing the framework.")
    assert notes.key_points[0].evidence == ["S2"]


def test_a_notice_that_never_names_its_author_speaks_for_the_kind_it_is_acted_on_as():
    from briefer.offline.voices import document_voice

    texts = ["Dear colleagues, we know the union has called a rally outside the east entrance.",
             "The union says the hospital refuses to bargain, but the hospital has met the union eleven times.",
             "We will keep every ward open and we ask you to read our offer before the vote.",
             "We remain committed to a fair contract for every nurse.",
             "A walkout would hurt patients and it would not bring the union a better contract from the hospital."]
    assert document_voice("A Message to Our Nurses", texts) == "Hospital"
    assert document_voice(None, [t.lower() for t in texts]) == "Hospital"
    notes = notes_for(*texts)
    assert {p.side for p in notes.positions} >= {"Hospital", "Union"}
    # one kind, or none acting: no author to name
    assert document_voice(None, ["We will keep every ward open.", "We remain proud of the hospital."]) is None


def test_an_arrangement_in_the_present_tense_is_a_next_step_and_nobody_in_particular_is_no_speaker():
    notes = notes_for("Staff were told that the board is holding a special session on Thursday evening.",
                      "The ministers are travelling to Nairobi next week for the signing.",
                      "Reporters asked whether the strike is spreading, and which official said so.")
    assert [(s.actor, s.action, s.timing) for s in notes.next_steps] == [
        ("Board", "holding a special session", "on Thursday"),
        ("ministers", "travelling to Nairobi for the signing", "next week")]
    assert not [p for p in notes.positions if p.evidence == ["S3"] and p.actor.lower().endswith("official")]


def test_a_group_acting_as_one_is_common_ground_and_its_commitment_a_step():
    notes = notes_for(
        "Readout: the President met Prime Minister Lund of Norland today.",
        "The President stressed the importance of open sea lanes.",
        "The two ministers made progress on fisheries.",
        "They welcomed the reopening of the consulate in Bergstad.",
        "Both sides exchanged views on trade.",
        "The delegations committed to hold a second round of talks in March.",
        "The two ministers disagreed on tariffs.")
    # not views exchanged, not a rift; what was settled or committed to before progress made
    assert [a.evidence for a in notes.agreements] == [["S4"], ["S6"], ["S3"]]
    assert [(s.actor, s.action, s.timing) for s in notes.next_steps] == [
        ("delegations", "hold a second round of talks", "in March")]


def test_many_governments_releasing_a_statement_speak_as_one_and_commit_to_steps():
    from briefer.offline.voices import document_voice

    preamble = ("The following statement was released by the Governments of Canada, Chile, Ghana, Norway, "
                "and the United Kingdom of Great Britain and Northern Ireland.")
    texts = [preamble, "We call on all states to ratify the convention on cluster munitions.",
             "We remain committed to working with all states to clear contaminated land."]
    assert document_voice("Joint Statement on Cluster Munitions", texts) == "Canada and 4 others"
    notes = extract_notes([Line(f"S{i}", t) for i, t in enumerate(texts, 1)], title="Joint Statement on Cluster Munitions")
    assert {p.side for p in notes.positions} == {"Canada and 4 others"}
    assert [(s.actor, s.action) for s in notes.next_steps] == [
        ("Canada and 4 others", "working with all states to clear contaminated land")]
    assert notes.named == []  # the issuers listed in the preamble are its voice, not parties named
    # two governments releasing a statement each speak for themselves
    assert document_voice(None, ["The following statement was released by the Governments of Chile and Peru.",
                                 "We welcome the talks.", "We will meet again."]) is None


def test_a_recorded_vote_makes_each_dissent_a_side_and_what_a_body_decided_leads():
    notes = notes_for(
        "Recent data show that water demand has grown steadily in the region this year.",
        "The Board noted that reservoir levels remain below their ten-year average.",
        "In light of these conditions, the Board voted to raise the drought surcharge by 5 percent.",
        "The Board will review the surcharge again in the spring.",
        "Voting for the action were Ana Ruiz, Chair; and Tom Berg.",
        "Voting against this action were Lena Park, who preferred a 10 percent increase; and Omar Haddad, "
        "who preferred no change.")
    assert notes.key_points[0].evidence == ["S3"]
    assert [(p.side, p.text) for p in notes.positions if p.evidence == ["S6"]] == [
        ("Lena Park", "Voted against: Lena Park, who preferred a 10 percent increase."),
        ("Omar Haddad", "Voted against: Omar Haddad, who preferred no change.")]
    assert notes.disputes[0].issue == "The vote"
    assert [s.side for s in notes.disputes[0].stances] == ["Lena Park", "Omar Haddad"]
    assert [(s.actor, s.action) for s in notes.next_steps] == [("Board", "review the surcharge again in the spring")]


def test_a_sentence_setting_two_sides_demands_against_each_other_is_a_dispute():
    notes = notes_for(
        "Mediators from Norway hosted a second round of talks in Oslo on Monday.",
        "Colombia demanded the release of all hostages, while Venezuela demanded a halt to air strikes.")
    assert [(d.issue, [(s.side, s.text, s.evidence) for s in d.stances]) for d in notes.disputes] == [
        ("Hostages", [("Colombia", "Colombia demanded the release of all hostages", ["S2"]),
                      ("Venezuela", "Venezuela demanded a halt to air strikes.", ["S2"])])]


def test_an_unaffiliated_spokesman_speaks_for_the_side_just_quoted():
    notes = notes_for(
        "Hamas officials said the talks had stalled.",
        "Spokesman Yusuf Barakat accused the mediators of bias.")
    assert [(a.name, a.side) for a in notes.actors if a.name == "Yusuf Barakat"] == [("Yusuf Barakat", "Hamas")]


def test_concerns_raised_on_a_named_subject_are_a_charge_labelled_by_that_subject():
    notes = notes_for(
        "President Lula of Brazil met President Milei of Argentina in Brasília on Friday.",
        "On trade barriers, Lula raised concerns about Argentina’s new import quotas.")
    assert [(d.issue, [s.evidence for s in d.stances]) for d in notes.disputes] == [
        ("Trade barriers: Lula against Argentina", [["S2"]])]


def test_a_council_statement_names_armed_groups_charges_a_call_to_withdraw_and_awaits_a_signing():
    notes = notes_for(
        "The following Security Council press statement was issued today by Council President Ana Silva (Brazil):",
        "The members of the Security Council welcomed the ceasefire and looked forward to its signing by the "
        "Azawad armed groups on 3 July 2026 in Geneva.",
        "The members of the Security Council urged the Azawad and Ganda armed groups to "
        "respect the ceasefire.",
        "The members of the Security Council urged the Ganda armed groups to withdraw immediately their "
        "forces from the town of Kessa.")
    assert notes.key_points[0].evidence == ["S2"]  # the preamble is never the lead
    assert [(s.actor, s.action, s.timing, s.date) for s in notes.next_steps] == [
        ("Azawad armed groups", "signing", "on 3 July 2026", "2026-07-03")]
    assert [(d.issue, [s.evidence for s in d.stances]) for d in notes.disputes] == [
        ("Town of Kessa: United Nations against Ganda armed groups", [["S4"]])]
    assert [p.text for p in notes.named] == ["Azawad armed groups", "Ganda armed groups"]


def test_a_framing_line_yields_the_lead_to_todays_act_and_a_route_names_no_party():
    notes = notes_for(
        "Protecting our coastline from illegal fishing is a priority for this government.",
        "Today, Chile sanctioned a Peru-based fleet that moved stolen catch from Ecuador to Panama.",
        "The fleet's owners denied the charges.")
    assert notes.key_points[0].evidence == ["S2"]
    assert [s for d in notes.disputes for s in d.stances if s.side in ("Peru", "Ecuador", "Panama")] == []


def test_a_readout_files_talks_continuing_tomorrow_as_a_step_and_continued_cooperation_as_common_ground():
    notes = notes_for(
        "Foreign Minister Amina Diallo of Senegal hosted a delegation from Gambia in Dakar on Monday.",
        "The two sides also discussed continued cooperation on fisheries and border patrols.",
        "The two sides discussed the border incident.",
        "Consultations on border security continue tomorrow in Banjul.")
    assert [a.evidence for a in notes.agreements] == [["S2"]]
    assert [(s.actor, s.action, s.timing) for s in notes.next_steps] == [
        ("Consultations on border security", "continue in Banjul", "tomorrow")]


def test_a_government_speaking_of_itself_in_an_unsigned_statement_is_quoted():
    notes = notes_for(
        "Today, Canada sanctioned six shipping firms for carrying arms to the junta.",
        "Canada will keep using all our tools to cut off the junta's supply lines.")
    assert [(q.speaker, q.evidence) for q in notes.quotes] == [("Canada", ["S2"])]


def test_a_run_of_they_sentences_after_the_named_speaker_is_one_position():
    notes = notes_for(
        "The members of the Security Council recalled the need for the Government of Fiji to end the curfew.",
        "They urged all parties to refrain from violence and to settle differences peacefully.",
        "They stressed the importance of holding those responsible for the riots accountable.")
    assert [p.evidence for p in notes.positions] == [["S1", "S2", "S3"]]


def test_this_after_another_speakers_quote_does_not_borrow_it():
    notes = notes_for(
        "“Today’s arrests show our resolve,” said Prosecutor Anna Berg.",
        "“The cartel ran this scheme for years.”",
        "“This operation is part of a wider effort against the cartel,” said Police Chief Tomas Lind.")
    assert [p.evidence for p in notes.positions if p.actor == "Tomas Lind"] == [["S3"]]


def test_a_statement_without_quote_marks_quotes_its_own_voice_not_its_narration():
    # a board's statement about itself, in the third person: its present stance is quotable
    notes = notes_for(
        "The Board decided to keep the levy at 4 percent.",
        "The Board is firmly committed to keeping the harbour open to every vessel.",
        "The Board will review the levy again in spring.")
    assert [(q.speaker, q.text) for q in notes.quotes] == [
        ("Board", "The Board is firmly committed to keeping the harbour open to every vessel.")]
    # a report's narration is the writer's words: never put in its subject's mouth
    report = notes_for(
        "Ministers from Norland met their Sudria counterparts in Vienna on Monday.",
        "Previously, Norland had insisted that Sudria stop its drilling as a precondition to talks.",
        "Norland officials said the talks would continue.")
    assert report.quotes == []


def test_a_signatory_declaring_in_a_joint_text_is_quoted():
    notes = notes_for(
        "The Government of France and the Government of Spain signed the accord today.",
        "The Government of France rejects any claim of a third party to fish in these waters.",
        "The Government of Spain welcomes the readiness of France to share its patrol data.")
    assert [(q.speaker, q.text) for q in notes.quotes] == [
        ("France", "The Government of France rejects any claim of a third party to fish in these waters.")]


def test_minutes_a_bodys_members_act_as_the_body_and_its_decisions_are_agreed():
    notes = notes_for(
        "Subject to approval by the Board of Trustees, the members of the Harbour Authority of Lindau had voted "
        "on May 3 to raise the mooring fee to 40 euros.",
        "The directors of the Port Companies of Ravel, Osten, and Brix had voted on May 4 to keep the fee.",
        "At today's meeting, no support was expressed for changing the fee, and the existing fee was maintained.",
        "The Board approved renewal of the pilotage contracts for two years.")
    assert [(p.side, p.evidence) for p in notes.positions] == [
        ("Harbour Authority of Lindau", ["S1"]), ("Port Companies", ["S2"])]
    assert [a.evidence for a in notes.agreements] == [["S3"], ["S4"]]


def test_a_decision_proposed_or_refused_is_not_agreed():
    from briefer.offline.agreements import is_decision
    assert is_decision("The council voted to adopt the budget.")
    assert is_decision("The Board of Governors voted unanimously to lower the rate to 3.65 percent.")
    assert not is_decision("The union asked the Board to approve the contract.")
    assert not is_decision("The Board has not approved the merger.")


def test_a_name_in_apposition_holds_the_office_and_its_side():
    notes = notes_for(
        "Today, the President of Finland, Anna Berg, welcomed the Prime Minister of the Republic of Chile, "
        "Karim Al-Rashid, to Helsinki.",
        "Prime Minister Rashid stressed that the sea lanes must stay open to trade.")
    assert ("Karim Al-Rashid", "Chile") in [(p.actor, p.side) for p in notes.positions]


def test_two_sides_leaders_as_one_subject_are_common_ground():
    notes = notes_for(
        "Today, the President of Finland, Anna Berg, welcomed the Prime Minister of the Republic of Chile, "
        "Karim Al-Rashid, to Helsinki.",
        "President Berg and Prime Minister Rashid renewed their commitment to a free trade corridor.",
        "President Berg stressed that the sea lanes must stay open to trade.")
    assert [a.evidence for a in notes.agreements] == [["S2"]]
    assert ["S2"] not in [p.evidence for p in notes.positions]


def test_a_contracted_going_to_and_a_belief_frame_still_give_a_step_and_its_week():
    from briefer.offline.speakers import Speaker
    from briefer.offline.steps import find_next_steps
    minister = Speaker("Ana Costa", "Minister", "Portugal")
    steps = find_next_steps(Line("S1", "In the meantime, we’re going to keep the ports closed to their ships."), False, minister)
    assert [(s.actor, s.action) for s in steps] == [("Portugal", "keep the ports closed to their ships")]
    steps = find_next_steps(Line("S2", "I think their first formal talks will begin the second week of March."), False, minister)
    assert [(s.actor, s.action, s.timing) for s in steps] == [("first formal talks", "begin", "the second week of March")]


def test_a_person_introduced_without_speaking_is_the_next_he_says():
    notes = notes_for(
        "Ministers of Chile and Peru held two days of talks in Lima.",
        "Chile's Foreign Minister Ana Rojas was leading the Chilean delegation.",
        "He says both sides have agreed to meet again in June.",
        "“The gap between us on the border is wide, but it can be narrowed,” he said.")
    assert ("Ana Rojas", "Chile", ["S4"]) in [(p.actor, p.side, p.evidence) for p in notes.positions]
    assert [a.text for a in notes.agreements] == ["Ana Rojas says both sides have agreed to meet again in June."]


def test_an_official_of_a_department_speaks_for_it():
    notes = notes_for("The firm was fined $2 million today, announced Assistant Attorney General "
                      "Maria Ortiz of the Justice Department’s Antitrust Division.")
    assert [(a.name, a.side) for a in notes.actors] == [("Maria Ortiz", "Justice Department")]


def test_a_passive_step_keeps_its_date_not_the_judge():
    from briefer.offline.steps import find_next_steps
    steps = find_next_steps(Line("S1", "Lund is scheduled to be sentenced before Judge Moss on June 3, 2027, "
                                       "at 9:30 a.m."), False, None)
    assert [(s.actor, s.action, s.timing, s.date) for s in steps] == [
        ("Lund", "be sentenced before Judge Moss", "on June 3, 2027", "2027-06-03")]
    assert find_next_steps(Line("S2", "The talks will be difficult."), False, None) == []
    # broken speech is no action: 'I believe we're going to — that that support will be real'
    from briefer.offline.speakers import Speaker
    president = Speaker("Anna Berg", "President", "Finland")
    assert find_next_steps(Line("S3", "I believe that we’re going to — that that support will be real."), False,
                           president) == []


def test_a_text_the_rules_read_little_of_still_gets_its_central_sentences_as_positions():
    notes = notes_for(
        "Deputy Attorney General Jane Cole of the Justice Department announced today that Mark Hale "
        "pleaded guilty to wire fraud.",
        "The investigation uncovered payments to the defendant for fishing boats that were never built.",
        "The plea was entered this morning before Judge Ann Moss of the District Court.",
        "Who paid for the boats?")
    assert [(p.side, p.evidence) for p in notes.positions] == [
        ("Justice Department", ["S1"]), ("Justice Department", ["S2"]), ("Justice Department", ["S3"])]


def test_many_governments_speak_as_the_list_that_releases_their_statement():
    from briefer.offline.voices import document_voice
    texts = ["The text of the following statement was released by the Governments of the United States of America, "
             "Chile, Peru, and Panama.",
             "We, the Heads of State participating in the Pacific Pact, jointly declare our intention to act."]
    assert document_voice("Joint Statement on the Pacific", texts) == "United States and 3 others"


def test_we_intend_to_is_a_step_and_a_long_one_ends_where_its_purpose_begins():
    from briefer.offline.speakers import Speaker
    from briefer.offline.steps import find_next_steps
    voice = Speaker("Pacific Pact", "Pacific Pact", "Pacific Pact")
    text = ("To that end, we intend to send a joint letter to the Secretary General of the Organization of American "
            "States requesting an extraordinary session of the Permanent Council to decide on the creation of a "
            "standing committee under Article 6 of the Inter-American Treaty of Reciprocal Assistance.")
    assert [(s.actor, s.action) for s in find_next_steps(Line("S1", text), False, voice)] == [
        ("Pacific Pact", "send a joint letter to the Secretary General of the Organization of American States")]


def test_participating_states_intending_together_is_common_ground():
    from briefer.offline.agreements import is_agreement
    assert is_agreement("Participating states also intend to deepen cooperation on investment.")
    assert is_agreement("To this end, we jointly declare our intention to undertake the following actions.")


def test_a_delegate_named_with_his_country_in_brackets_speaks_for_it():
    notes = notes_for(
        "The Council today adopted a resolution demanding an end to the blockade.",
        "Before the vote, Ana Pereira (Brazil) said that her country opposes any use of force at sea.")
    assert [(p.actor, p.side, p.evidence) for p in notes.positions] == [("Ana Pereira", "Brazil", ["S2"])]
    assert [a.evidence for a in notes.agreements] == [["S1"]]  # what the Council decided


def test_a_transcripts_early_answers_rank_before_its_later_asides():
    lines = ["MS. LEE: The ceasefire agreement must hold, and both sides must withdraw their forces by Friday."]
    lines += [f"MS. LEE: Question {i} is about something else entirely, and the answer wanders on for a while."
              for i in range(2, 12)]
    lines += ["MS. LEE: The ceasefire agreement must hold, and the 40 monitors must report by Friday on both sides."]
    notes = notes_for(*lines)
    first = [p.evidence[0] for p in notes.positions]
    assert first.index("S1") < first.index("S12")  # the same weight of words: the earlier answer first


def test_a_step_after_also_or_affirmed_their_intent_has_the_group_as_actor():
    from briefer.offline.steps import find_next_steps
    steps = find_next_steps(Line("S1", "The two sides also committed to fund the port authority."), False, None)
    assert [(s.actor, s.action) for s in steps] == [("two sides", "fund the port authority")]
    steps = find_next_steps(Line("S2", "The ministers further affirmed their intent to convene later this year "
                                       "the Joint Harbour Dialogue."), False, None)
    assert [(s.actor, s.action, s.timing) for s in steps] == [("ministers", "convene the Joint Harbour Dialogue",
                                                                "later this year")]
    assert find_next_steps(Line("S3", "The ministers expressed their hope for peace."), False, None) == []


def test_a_body_named_again_by_its_kind_alone_is_named_twice():
    from briefer.offline.actions import Party
    from briefer.offline.named import named_parties
    lines = [Line("S1", "The Harbour Council adopted the dredging plan on Monday."),
             Line("S2", "Critics said the Council had ignored the fishermen.")]
    assert [(p.text, p.evidence) for p in named_parties(lines, [Party("Harbour Council", "Harbour Council")], [],
                                                         False)] == [("Harbour Council", ["S1"])]


def test_a_monitoring_group_named_after_a_country_is_not_that_state():
    notes = notes_for("The Britain-based Syrian Observatory for Human Rights said most of those killed were civilians.")
    assert [a.side for a in notes.actors] != ["Syria"]


def test_a_defendant_found_guilty_is_named_among_the_sides():
    notes = notes_for(
        "A federal jury today convicted the owner of a shipping firm on four counts, announced U.S. Attorney Jane Cole.",
        "Marta Ilse Berg, aka “M. Berg,” 61, of Oslo, Norway, was found guilty today after a two-week trial.",
        "“Berg paid bribes to win port contracts,” said U.S. Attorney Cole.")
    assert ("Marta Ilse Berg", ["S2"]) in [(p.text, p.evidence) for p in notes.named]


def test_an_interpreters_note_opens_no_statement():
    from briefer.offline.statements import FILLER
    assert FILLER.sub("", "(Via interpreter) In French, what I mean is that the border stays open.") == \
        "the border stays open."


def test_members_of_the_security_council_speaking_apart_are_states_not_the_un():
    notes = notes_for("Other Security Council members rejected Russia's draft resolution on the border.")
    assert "United Nations" not in {a.side for a in notes.actors}


def test_a_body_named_with_a_possessive_inside_is_one_name():
    from briefer.offline.actions import find_parties

    parties = find_parties([Line("S1", "Putin met Chairman of the Standing Committee of the National People’s Congress "
                                       "Zhang Dejiang in Moscow.")], lower=False)
    assert "Committee of the National People’s Congress" in [p.name for p in parties]
    assert "Committee of the National" not in [p.name for p in parties]


def test_a_side_named_by_the_tail_of_another_sides_name_is_that_side():
    from briefer.offline.compose import compose_brief
    from briefer.schema import Notes, Position
    notes = Notes(key_points=[], positions=[
        Position(actor="Andean Fisheries Council", side="Andean Fisheries Council", text="The council met.",
                 evidence=["S1"]),
        Position(actor="Fisheries Council", side="Fisheries Council", text="The quota will be cut.", evidence=["S2"]),
        Position(actor="Council", side="Council", text="The season opens in March.", evidence=["S3"]),
    ])
    sides = compose_brief(notes)["sides"]
    # two words or more of its end: the same body; one word alone ('Council') may be any council
    assert [(s["name"], len(s["positions"])) for s in sides] == [("Andean Fisheries Council", 2), ("Council", 1)]


def test_a_briefings_running_order_is_no_position_step_or_lead():
    lines = [Line(f"S{i}", t) for i, t in enumerate([
        "MS. ROJAS:  Good afternoon, everyone.",
        "I have the minister, Pedro Soto, to talk about the quota talks, so I’ll turn it over to him.",
        "MR. SOTO:  Thank you, Ana.",
        "Chile will cut the anchovy quota by a third from March, after the council met in Lima.",
        "And with that, I’ll take just a few questions.",
        "Q    Will Peru agree to the cut?",
        "MR. SOTO:  We expect Peru to agree to the cut before the season opens.",
    ], 1)]
    notes = extract_notes(lines)
    cited = {i for item in [*notes.positions, *notes.next_steps, *notes.key_points] for i in item.evidence}
    assert not cited & {"S2", "S5"}
    from briefer.offline.voices import is_podium_talk
    assert is_podium_talk("I’m here to provide a brief report on the talks in Lima that ended today.")
    assert [s.action for s in notes.next_steps] == ["cut the anchovy quota"]


def test_a_transcripts_act_of_the_day_by_a_party_leads_before_its_most_telling_answer():
    lines = [Line(f"S{i}", t) for i, t in enumerate([
        "MR. SOTO:  Thank you, Ana, and good afternoon.",
        "I’m here to give a short report on the fisheries talks that ended in Lima earlier today.",
        "Today, Chile signed a fisheries accord with Peru that cuts the anchovy quota by a third.",
        "Q    Will the navy enforce the cut at sea?",
        "MR. SOTO:  We have been very clear for some time now that every trawler that breaks the quota "
        "will lose its licence, and the navy will enforce that at sea from the first day of the season.",
    ], 1)]
    notes = extract_notes(lines)
    assert [k.evidence for k in notes.key_points[:2]] == [["S3"], ["S5"]]
    from briefer.offline.extractive import _done_by_party
    assert _done_by_party("Today we have agreed the Andean Declaration.")
    assert not _done_by_party("Today’s accord cut the anchovy quota by a third.")  # no party doing it
    assert not _done_by_party("This morning, the minister said the quota would fall.")


def test_a_step_of_the_president_is_the_presidents_the_text_names():
    notes = notes_for("President Ruiz and Vice President Soto met the fishing unions in Lima on Monday.",
                      "Tomorrow, the president will travel to Arica to meet the port workers.",
                      "The vice president will travel to Iquique on Friday.")
    assert [(s.actor, s.action) for s in notes.next_steps] == [
        ("President Ruiz", "travel to Arica to meet the port workers"), ("Vice President Soto", "travel to Iquique")]
    notes = notes_for("President Ruiz met President Lula in Lima on Monday.",
                      "Tomorrow, the president will travel to Arica to meet the port workers.")
    assert [s.actor for s in notes.next_steps] == ["president"]  # which one: the text names two


def test_a_governments_briefing_panel_shares_the_side_its_headline_names():
    from briefer.offline.gazetteer import side_words
    from briefer.offline.voices import panel_side
    title = "Press Briefing by Press Secretary Ana Ruiz, Adviser Pedro Soto, and Chilean Foreign Minister Eva Diaz"
    assert panel_side(title, {}, ["Ana Ruiz", "Pedro Soto", "Eva Diaz"]) == ("Chile", ["Ana Ruiz", "Pedro Soto", "Eva Diaz"])
    # a joint press conference has two governments at the podium; a panel of two sides shares none
    assert panel_side("Remarks by President Ruiz and Prime Minister Soto of Peru in Joint Press Conference",
                      {}, ["Ruiz", "Soto"]) == (None, [])
    assert panel_side("Press Briefing by Ana Ruiz and Peruvian Minister Pedro Soto", {"Ana Ruiz": "Chile"},
                      ["Ana Ruiz", "Pedro Soto"]) == (None, [])
    assert panel_side("On-the-Record Press Gaggle by Chilean Spokesperson Ana Ruiz", {}, ["Ana Ruiz"]) == (
        "Chile", ["Ana Ruiz"])
    notes = extract_notes([Line("S1", "MS. RUIZ:  Today, Chile closed the anchovy season two weeks early."),
                           Line("S2", "MR. SOTO:  We will reopen it in March, once the stock recovers.")], title=title)
    assert {(p.actor, p.side) for p in notes.positions} == {("Ana Ruiz", "Chile"), ("Pedro Soto", "Chile")}
    # an unnamed official at the same podium speaks for the same government
    notes = extract_notes([Line("S1", "MS. RUIZ:  Today, Chile closed the anchovy season two weeks early."),
                           Line("S2", "SENIOR ADMINISTRATION OFFICIAL:  We will reopen it in March, once the stock "
                                      "recovers.")], title=title)
    assert {(p.actor, p.side) for p in notes.positions} == {
        ("Ana Ruiz", "Chile"), ("Senior Administration Official", "Chile")}
    # ('Secretary of Homeland Security' names the United States; 'security' stays a topic word)
    assert "homeland" in side_words("United States") and "security" not in side_words("United States")


def test_more_of_a_briefings_running_order_and_promises_to_the_room():
    from briefer.offline.voices import is_podium_talk
    assert is_podium_talk("Just last question, then I’ll turn it over.")
    notes = notes_for("MR. SOTO:  We are in touch with Peru, and insofar as we have calls to read out, "
                      "we’ll make sure to read them out with you.")
    assert notes.next_steps == []


def test_a_killing_denied_is_no_charge_and_a_label_is_no_subject_with_its_verb():
    from briefer.offline.disputes import label_issue
    notes = notes_for("Chile’s navy chief said no one was killed in the clash near Arica, in Peru’s waters.",
                      "Chile said the navy would keep to its patrols.")
    assert notes.disputes == []
    texts = ["This attack appears to have failed.", "The attack appears to have been stopped.",
             "It was a missile attack on the port."]
    assert label_issue("attack", texts) == "Missile attack"


def test_a_contrast_opening_on_a_person_is_the_side_the_text_placed_them_on():
    from briefer.offline.disputes import label_issue
    notes = notes_for("Peruvian Foreign Minister Ana Rojas said the talks in Lima had gone well.",
                      "Rojas has long demanded that the 1998 maritime border be restored, but Chilean officials "
                      "have said that is unrealistic.",
                      "The talks will resume in May.")
    assert [(d.issue, [s.side for s in d.stances]) for d in notes.disputes] == [("Maritime border", ["Peru", "Chile"])]
    # a label is a noun phrase, with no form of 'be' in it
    assert label_issue("border", ["The border be restored.", "The border be moved.", "The 1998 border."]) != "Border be"


def test_a_name_that_says_where_its_bearer_is_from_takes_that_side_over_the_one_before_it():
    from briefer.offline.speakers import Context, collect_names
    ctx = Context(lower=False)
    collect_names([Line("S1", "Today, President Ana M. Ruiz Jr. of Chile and President Pedro Soto da Costa of the "
                              "Republic of Peru met in Lima."),
                   Line("S2", "In Lima with Peruvian Foreign Minister Eva Diaz, the delegations met again.")], ctx)
    assert ctx.name_sides["Pedro Soto"] == "Peru" and ctx.name_sides["Eva Diaz"] == "Peru"
    assert ctx.name_sides["Ana M. Ruiz"] == "Chile"  # a middle initial is part of the name


def test_lower_cased_an_introduced_official_is_the_next_he_and_both_sides_is_no_name():
    notes = notes_for("peru's foreign minister ana rojas was leading the peruvian delegation.",
                      "he says both sides have agreed to carry forward their talks on the border.",
                      "\"we are mindful that it has already taken 20 years,\" he said.",
                      "at a separate news conference, chile's foreign minister pedro soto, described the border "
                      "as a complex issue.",
                      "\"we believe that we are making some progress in that respect,\" he said.")
    assert sorted((q.speaker, q.evidence[0]) for q in notes.quotes) == [("Ana Rojas", "S3"), ("Pedro Soto", "S5")]
    assert {(a.name, a.side) for a in notes.actors} >= {("Ana Rojas", "Peru"), ("Pedro Soto", "Chile")}
    assert all("Sides" not in a.text for a in notes.agreements)


def test_a_joint_statements_bottom_line_says_what_the_parties_agreed_first():
    from briefer.offline.compose import compose_brief
    from briefer.schema import Notes, Point, Position
    lead = Point(text="Today, President Ana Ruiz of Chile and President Pedro Soto of Peru met in Lima.", evidence=["S1"])
    agreed = [Point(text="The two leaders agreed to cut the anchovy quota by a third from March.", evidence=["S2"]),
              Point(text="They committed to share patrol data on the fishing grounds.", evidence=["S3"])]
    said = Position(actor="Chile", side="Chile", text="Chile announced a fund for the fishing towns of the north.",
                    evidence=["S4"])
    brief = compose_brief(Notes(key_points=[lead], agreements=agreed, positions=[said]))
    assert brief["bluf_evidence"] == ["S1", "S2"]
    assert brief["bluf"].endswith("The two leaders agreed to cut the anchovy quota by a third from March.")
    # a party that says as much as the parties agreed: what they agreed, then where it stands
    brief = compose_brief(Notes(key_points=[lead], agreements=agreed[:1], positions=[said]))
    assert brief["bluf_evidence"] == ["S1", "S2", "S4"]
    # an agreement too long for a bottom line gives way to the next one
    long = Point(text="The two leaders agreed " + "on many things, " * 15 + "above all.", evidence=["S5"])
    brief = compose_brief(Notes(key_points=[lead], agreements=[long, *agreed], positions=[said]))
    assert brief["bluf_evidence"] == ["S1", "S2"]


def test_they_after_two_leaders_are_those_leaders_and_what_is_settled_ranks_first():
    notes = notes_for("Today, President Ana Ruiz of Chile and President Pedro Soto of Peru met in Lima.",
                      "The two leaders reaffirmed the enduring nature of the ties between their countries.",
                      "Presidents Ruiz and Soto recalled the fisheries accord signed by both countries in 2015.",
                      "They decided to instruct the fisheries council to reconvene as early as possible.",
                      "Chile and Peru renewed the Joint Action Plan to Eliminate Illegal Fishing.")
    assert [(s.actor, s.action, s.timing) for s in notes.next_steps] == [
        ("Presidents Ruiz and Soto", "instruct the fisheries council to reconvene", "as early as possible")]
    # decided and renewed, then reaffirmed and recalled ('signed by ... in 2015' is no new act)
    assert [a.evidence for a in notes.agreements] == [["S4"], ["S5"], ["S2"], ["S3"]]


def test_a_sentence_about_the_group_is_not_backfilled_as_one_sides_position():
    notes = notes_for("Today, President Ana Ruiz of Chile and President Pedro Soto of Peru met in Lima.",
                      "Chile announced a fund of 500 million dollars for the fishing towns of the north.",
                      "The two leaders also discussed a wide range of regional issues of mutual concern.")
    assert all(p.evidence != ["S3"] for p in notes.positions)


def test_a_speaker_repeating_himself_is_filler():
    from briefer.offline.statements import FILLER
    assert FILLER.sub("", "As I said in my opening statement, the talks will resume in May.") == \
        "the talks will resume in May."


def test_a_deflection_at_the_podium_does_not_lead_a_transcript():
    from briefer.offline.extractive import _telling
    deflection = "On the Peruvian navy’s operations near Arica, I’m going to let the Peruvians speak to that."
    stance = "We have been in close contact with the Peruvians about the navy’s operations near Arica."
    assert _telling(deflection, 0.5) < _telling(stance, 0.5)


def test_each_leader_at_a_joint_press_conference_speaks_for_his_own_side():
    from briefer.offline.voices import document_voice, joint_remarks_sides
    title = "Remarks by President Ruiz and Prime Minister Soto of Peru in Joint Press Conference"
    texts = ["Chile and Peru agreed on the quota.", "Chilean boats will fish less.", "Chile will pay."]
    assert joint_remarks_sides(title, texts) == {"Soto": "Peru", "Ruiz": "Chile"}
    assert document_voice(title, texts) is None  # two voices, not the guest's
    notes = extract_notes([Line("S1", "PRESIDENT RUIZ:  Chile will cut its anchovy catch by a third from March."),
                           Line("S2", "PRIME MINISTER SOTO:  Peru will match the cut once the season opens."),
                           Line("S3", "Chilean and Peruvian boats will share patrol data.")], title=title)
    assert {(p.actor, p.side) for p in notes.positions} >= {("Ruiz", "Chile"), ("Soto", "Peru")}


def test_a_division_with_some_doing_one_thing_while_another_says_the_other_is_a_dispute():
    notes = notes_for("Foreign Minister Ana Rojas of Peru said the fleet would stay in port this week.",
                      "There was division on the idea of closing the anchovy season early, with governments such as "
                      "Chile and Ecuador expressing openness to the idea while Foreign Minister Ana Rojas of Peru said "
                      "that discussion was premature.")
    assert [[(s.side, s.text[:25]) for s in d.stances] for d in notes.disputes] == [
        [("Chile and Ecuador", "Governments such as Chile"), ("Peru", "Foreign Minister Ana Roja")]]
    assert "season" in notes.disputes[0].issue.lower()  # what the framing says they are divided on


def test_the_parties_a_first_sentence_lists_are_named_and_a_paragraph_number_is_no_part_of_an_item():
    from briefer.offline.statements import FILLER
    notes = extract_notes([
        Line("S1", "1. We have convened to reaffirm our cooperation between Chile, Peru, Ecuador, and Colombia."),
        Line("S2", "2. Together, we commit to a rules-based order for the fisheries of the Pacific coast."),
        Line("S3", "We will hold a summit in Lima by the end of 2027, and Chile will host the experts.")],
        title="Andean Leaders’ Joint Statement")
    assert [p.text for p in notes.named] == ["Chile", "Peru", "Ecuador", "Colombia"]
    assert all(not p.text[:1].isdigit() for p in notes.positions)
    assert FILLER.sub("", "2. Together, we commit to a rules-based order.") == "Together, we commit to a rules-based order."
