"""The brief-quality benchmark's scoring, and floors that keep the offline engine from
sliding back: no article below what it scored before the quality work, every citation
and quote verbatim."""

import importlib.util
import sys
from pathlib import Path

import pytest

from briefer.schema import Brief, Meta, NextStep, Point, Side

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("brief_quality", ROOT / "benchmarks" / "brief_quality.py")
brief_quality = importlib.util.module_from_spec(spec)
sys.modules["brief_quality"] = brief_quality  # its dataclasses look their module up there
spec.loader.exec_module(brief_quality)

# Coverage per article (published, lower-cased, no headings) at 6bc5821, before the quality work.
BEFORE = {
    "albertsons-sues-kroger-merger": (0.09, 0.18, 0.09),
    "doj-guzman-lopez-arraigned-extradition": (0.00, 0.00, 0.09),
    "doj-plea-campaign-finance-fec-obstruction": (0.70, 0.70, 0.70),
    "state-drc-rwanda-jscm-sixth-meeting": (0.09, 0.09, 0.09),
    "state-icc-sanctions-designation": (0.18, 0.00, 0.18),
    "state-rubio-athens-press-guilfoyle-nato": (0.00, 0.00, 0.00),
    "state-rubio-lezcano-paraguay-mou-remarks": (0.00, 0.00, 0.00),
    "state-rubio-press-remarks-iran-hormuz": (0.13, 0.13, 0.13),
    "state-sudan-peace-efforts-saf-rsf": (0.00, 0.00, 0.00),
    "state-us-armenia-azerbaijan-peace-anniversary": (0.33, 0.33, 0.33),
    "state-venezuela-reconciliation-talks-progress": (0.07, 0.21, 0.07),
    "voa-iran-nuclear-talks-geneva": (0.67, 0.67, 0.67),
    "voa-north-korea-expels-bbc-nuclear-state": (0.67, 0.67, 0.67),
    "whitehouse-kremlin-trump-putin-call-syria": (0.25, 0.17, 0.25),
    # the third batch (held out), at 6240d5f: the engine as it stood before it was scored
    "scotus-lange-v-california-syllabus": (0.00, 0.076, 0.00),  # 1 of 13
    "state-israel-lebanon-trilateral-framework": (0.20, 0.20, 0.20),
    "state-msmt-dprk-overseas-labour-statement": (0.33, 0.33, 0.07),
    "state-presidential-determination-major-drug-countries-fy2027": (0.00, 0.00, 0.00),
    "voa-kerry-syria-cease-fire-near": (0.50, 0.50, 0.50),
    "whitehouse-background-call-budget-agreement-debt-limit": (0.07, 0.07, 0.07),
    # the fourth batch (held out), at bdb8946: the engine as it stood before it was scored
    "kroger-houston-nobody-wins-with-a-strike": (0.08, 0.08, 0.08),  # 1 of 12
    "scotus-uzuegbunam-v-preczewski-syllabus": (0.07, 0.14, 0.07),  # 1, 2, 1 of 14
    "state-drc-afc-m23-doha-process-joint-statement": (0.61, 0.61, 0.61),  # 8 of 13
    "state-rubio-quito-press-remarks-boat-strikes": (0.50, 0.50, 0.50),
    "voa-iran-nuclear-talks-deadlock-2008": (0.60, 0.50, 0.60),
    "whitehouse-biden-xi-woodside-summit-readout": (0.28, 0.28, 0.28),  # 4 of 14
    # the fifth batch (held out), at 4638fc6: the engine as it stood before it was scored
    "doj-russian-fsb-callisto-domain-seizure": (0.50, 0.42, 0.50),  # 7, 6, 7 of 14
    "fed-fomc-statement-rate-cut-three-dissents": (0.21, 0.21, 0.21),  # 3 of 14
    "state-joint-statement-ballistic-missile-launch-notifications": (0.09, 0.09, 0.09),  # 1 of 11
    "state-us-japan-rok-trilateral-foreign-ministers-meeting": (0.53, 0.53, 0.53),  # 7 of 13
    "voa-israel-hamas-cairo-talks-break-down": (0.75, 0.75, 0.75),  # 9 of 12
    # 7 of 15 (lower-cased 6): its Israel side had come from a reporter's 'Q' question read
    # as Israel's words, and a step lost to the word budget once questions are questions
    "whitehouse-kirby-briefing-black-sea-grain-deal": (0.46, 0.40, 0.46),
    # the sixth batch (held out), at d72b4c8: the engine as it stood before it was scored
    "kremlin-putin-zhang-dejiang-meeting-2016": (0.42, 0.28, 0.42),  # 3, 2, 3 of 7
    "state-ecuador-cocaine-network-sanctions": (0.20, 0.20, 0.20),  # 2 of 10
    "state-us-colombia-new-era-fact-sheet": (0.27, 0.36, 0.27),  # 3, 4, 3 of 11
    "state-us-nigeria-joint-working-group-cpc": (0.30, 0.30, 0.30),  # 3 of 10
    "un-sc-press-statement-haiti-2020": (0.30, 0.30, 0.30),  # 3 of 10
    "un-sc-press-statement-mali-2015": (0.33, 0.33, 0.33),  # 3 of 9
    # the seventh batch (held out), at 2089477: the engine as it stood before it was scored
    "doj-patrick-ho-fcpa-conviction-2018": (0.40, 0.40, 0.30),  # 4, 4, 3 of 10
    "fed-discount-rate-minutes-august-2005": (0.00, 0.00, 0.00),  # 0 of 10
    "voa-india-pakistan-talks-no-breakthrough-2004": (0.40, 0.70, 0.40),  # 4, 7, 4 of 10
    "whitehouse-biden-xi-call-readout-april-2024": (0.54, 0.54, 0.45),  # 6, 6, 5 of 11
    "whitehouse-press-briefing-kirby-netanyahu-call-2024": (0.26, 0.26, 0.26),  # 4 of 15
    "whitehouse-us-iraq-joint-leaders-statement-2024": (0.15, 0.23, 0.30),  # 2, 3, 4 of 13
    # the eighth batch (held out), at 2089477 and again at 5798667: the same figures
    "plymouth-city-council-minutes-drainage-forum-1994": (0.27, 0.27, 0.27),  # 3 of 11
    "state-shield-of-the-americas-joint-statement-2026": (0.08, 0.08, 0.08),  # 1 of 12
    "un-sc-meeting-red-sea-houthis-resolution-2722-2024": (0.16, 0.16, 0.16),  # 2 of 12
    "voa-verizon-workers-end-strike-without-contract-2011": (0.50, 0.50, 0.50),  # 5 of 10
    # 5 of 14: the sixth, a "next step" at the summit, was a reporter's question ('And does
    # it need to be sorted out before the Vilnius summit?'), which is no step (issue 11)
    "whitehouse-biden-sunak-joint-press-conference-2023": (0.35, 0.35, 0.35),
    # the ninth batch (held out), at 2089477 (87 of 183 at 68c95ce, before anyone read them)
    "state-readout-rubio-marcos-manila-2026": (0.27, 0.27, 0.27),  # 3 of 11
    "state-us-serbia-strategic-dialogue-joint-statement-2026": (0.66, 0.66, 0.66),  # 8 of 12
    "voa-rubio-netanyahu-hamas-eradicated-2025": (0.69, 0.46, 0.69),  # 9, 6, 9 of 13
    "whitehouse-kirby-gaggle-unsc-gaza-abstention-2024": (0.33, 0.33, 0.33),  # 4 of 12
    "whitehouse-trump-zelenskyy-call-statement-2025": (0.30, 0.53, 0.38),  # 4, 7, 5 of 13
    # the tenth batch (held out): 92 of 210 at 7665bbc, the session's start, and 91 at b616f96,
    # after its rules, before anyone read them; the floors are the second figures (the 'Q'
    # label cost the Iran briefing a position, lower-cased, and traded one for a step in the
    # other variants)
    "doj-montgomery-gas-station-shooting-sentence": (0.30, 0.30, 0.30),  # 4 of 13
    "voa-rubio-lavrov-riyadh-talks-ukraine": (0.46, 0.46, 0.46),  # 7 of 15
    "whitehouse-aukus-joint-steering-group-readout": (0.50, 0.50, 0.35),  # 7, 7, 5 of 14
    "whitehouse-briefing-iran-missile-attack-helene": (0.35, 0.28, 0.35),  # 5, 4, 5 of 14
    "whitehouse-sullivan-wang-yi-beijing-readout": (0.57, 0.57, 0.64),  # 8, 8, 9 of 14
    # the eleventh batch (held out): 87 of 204 at 669addc, the session's start, and 92 at
    # 21b4791, after its rules, before anyone read them; the floors are the first figures
    "scotus-nance-v-ward-syllabus": (0.50, 0.50, 0.41),  # 6, 6, 5 of 12
    "voa-trump-tariffs-canada-mexico-china-retaliation-2025": (0.53, 0.53, 0.53),  # 8 of 15
    "whitehouse-biden-lopez-obrador-call-migration-title-42-2023": (0.58, 0.66, 0.33),  # 7, 8, 4 of 12
    "whitehouse-kirby-gaggle-syria-after-assad-2024": (0.33, 0.20, 0.26),  # 5, 3, 4 of 15
    "whitehouse-us-brazil-biden-lula-joint-statement-2023": (0.35, 0.35, 0.35),  # 5 of 14
    # the twelfth batch (held out): 92 of 189 at 669addc, the session's start, and 93 at
    # 8887bac, after its rules, before anyone read them; the floors are the first figures
    "da-sandiego-apple-iphone-slowdown-settlement-2020": (0.69, 0.46, 0.69),  # 9, 6, 9 of 13
    "voa-us-colombia-deportation-flights-tariff-standoff-2025": (0.58, 0.50, 0.58),  # 7, 6, 7 of 12
    "whitehouse-harris-giammattei-guatemala-migration-meeting-2021": (0.80, 0.80, 0.80),  # 8 of 10
    "whitehouse-harris-hichilema-zambia-press-conference-debt-2023": (0.42, 0.42, 0.42),  # 6 of 14
    "whitehouse-quad-leaders-spirit-of-the-quad-2021": (0.14, 0.14, 0.14),  # 2 of 14
}


def test_terms_match_whole_word_prefixes_case_and_apostrophes_aside():
    assert brief_quality.has_term("he visits moscow", "visit")
    assert not brief_quality.has_term("he revisits moscow", "visit")
    assert brief_quality.has_term(brief_quality._norm("Fabius’s “fool's deal”"), "Fabius's")


def test_an_item_is_covered_by_one_entry_holding_every_concept():
    brief = Brief(title="t", bluf="Talks ended.", meta=Meta(backend="mock"),
                  sides=[Side(name="Iran", actors=["Zarif"], positions=[Point(text="It is peaceful.", evidence=["S2"])])],
                  next_steps=[NextStep(actor="Talks", action="resume", timing="November 20", certainty="scheduled",
                                       evidence=["S3"])],
                  citations={"S2": "Iran insists its nuclear program is peaceful.", "S3": "Talks resume on Nov. 20."})
    found = brief_quality.entries(brief)
    item = brief_quality.Item
    assert brief_quality.covered(item("position", "", [["nuclear"], ["peaceful"]], ["Iran"]), found)  # cited text counts
    assert not brief_quality.covered(item("position", "", [["nuclear"], ["peaceful"]], ["France"]), found)
    assert brief_quality.covered(item("next_step", "", [["resume"], ["November 20"]]), found)
    assert not brief_quality.covered(item("next_step", "", [["resume"], ["December"]]), found)


@pytest.fixture(scope="module")
def scores():
    return brief_quality.score_all()


def test_every_article_has_a_checklist_and_a_floor(scores):
    assert {s.slug for s in scores} == set(BEFORE)


def test_no_article_scores_below_its_figure_before_the_quality_work(scores):
    for s in scores:
        floor = BEFORE[s.slug][brief_quality.VARIANTS.index(s.variant)]
        assert s.coverage >= floor, (s.slug, s.variant, s.coverage, floor)


def test_overall_coverage_holds_and_everything_is_verbatim(scores):
    hits = sum(sum(s.hits) for s in scores)
    total = sum(len(s.hits) for s in scores)
    assert hits / total >= 0.56  # 0.21 before; the figure of record is in benchmarks/RESULTS.md
    assert [p for s in scores for p in s.problems] == []
