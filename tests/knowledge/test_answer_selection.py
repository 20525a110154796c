"""Which lines an answer quotes: the fact the question asks for, first, whole, and never a
do/don't table glued into one line. Real documents (knowledge/ and ../shared/corpus/real), the
real index and the real sentence model; nothing here is mocked."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from bot.config import Settings
from bot.index.store import KnowledgeIndex, StoredChunk
from bot.index.tokens import tokenize
from bot.index.units import passage_units, units_digest
from bot.qa.answer import QUOTE_WORDS, _introduced, _lead_in, asks_for_a_list, select_sentences
from bot.qa.retrieval import OWN, Hit
from bot.qa.service import Answerer
from tests.conftest import KNOWLEDGE_DIR, REAL_DIR

DISCLOSURE = KNOWLEDGE_DIR / "regional" / "responding-to-a-disclosure.md"


def _do_and_dont(path: Path) -> tuple[list[str], list[str]]:
    """The two columns of the "Do | Don't" table in the disclosure procedure, read from the file."""
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    start = next(i for i, row in enumerate(rows) if re.match(r"\|\s*Do\s*\|\s*Don.t\s*\|", row))
    do, dont = [], []
    for row in rows[start + 1 :]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        if len(cells) != 2:
            break
        do.append(cells[0])
        dont.append(cells[1])
    return do, dont


def test_asked_for_a_number_the_answer_quotes_the_line_with_the_phone_number_first(
        sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("whats the number for the MASH", area="Northshire")

    assert answer.answered
    assert "01632 960120" in answer.quoted[0]


def test_asked_for_a_clubs_welfare_officers_phone_the_answer_quotes_the_number_not_a_sentence_about_phoning(
        real_settings: Settings) -> None:
    answer = Answerer.from_settings(real_settings).answer("skelton club welfare officer phone no")

    assert answer.answered
    assert any("07815 889215" in line for line in answer.quoted), answer.quoted


def test_asked_who_the_answer_quotes_the_line_that_names_the_person(real_settings: Settings) -> None:
    answer = Answerer.from_settings(real_settings).answer(
        "who's the designated person for child protection at newstead pre-school")

    assert "Eve Ratcliff" in answer.quoted[0], answer.quoted


def test_a_line_naming_whose_document_it_is_gives_way_to_the_line_that_answers(real_settings: Settings) -> None:
    # "Together Assessments" names the provider whose policy it is: it found the document, and the
    # line that repeats it ("… contracted by Together Assessments", under "This policy applies to:")
    # must not crowd out the rule asked about.
    answer = Answerer.from_settings(real_settings).answer(
        "together assessments - will they share my info without asking me?")

    assert answer.answered
    assert any("Consent will be sought unless" in line for line in answer.quoted), answer.quoted
    assert not any("This policy applies to" in line for line in answer.quoted), answer.quoted


def test_asked_how_long_the_answer_quotes_the_deadline(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("how long have i got to send the MARF in after ringing?", area="Northshire")

    assert "within 24 hours" in answer.quoted[0]


def test_asked_should_i_the_answer_quotes_the_rule(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("should I promise the kid I won't tell anyone")

    assert answer.answered
    assert any("cannot keep this a secret" in line or "Promise to keep it secret" in line for line in answer.quoted)


@pytest.mark.parametrize("question", [
    "what should I put in my notes after a child discloses?",
    "a child has just told me something, what shouldn't I do?",
    "can I look at the bruises myself when a child tells me?",
    "what do I do while the child is talking to me",
    "should I tell the DSL straight away or wait",
])
def test_a_do_and_dont_table_is_never_quoted_as_one_line(sample_answerer: Answerer, question: str) -> None:
    do, dont = _do_and_dont(DISCLOSURE)
    assert len(do) >= 4 and len(dont) >= 4  # the table this test is about is still there

    answer = sample_answerer.answer(question)

    for line in answer.quoted:
        both = any(d in line for d in do) and any(n in line for n in dont)
        assert not both, f"one quoted line carries both sides of the table: {line!r}"
        if any(n in line for n in dont):
            assert line.startswith("Don't:"), f"a don't quoted without saying so: {line!r}"


def test_each_cell_of_a_do_and_dont_table_is_its_own_unit_under_its_own_header() -> None:
    text = DISCLOSURE.read_text(encoding="utf-8")
    table = "\n".join(line.strip() for line in text.splitlines()
                      if line.startswith("| ") and not set(line) <= set("|- "))
    rows = "\n".join(" | ".join(c.strip() for c in line.strip("| ").split("|")) for line in table.splitlines())
    do, dont = _do_and_dont(DISCLOSURE)

    units = passage_units(rows)

    shown = {u.shown for u in units}
    assert {f"Do: {d}" for d in do} <= shown
    assert {f"Don't: {n}" for n in dont} <= shown
    assert all(u.kind == "cell" for u in units)


def test_a_sentence_ending_in_a_colon_is_quoted_with_the_list_it_introduces(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("when does the SAB have to do a SAR")

    assert answer.answered
    for number, line in enumerate(answer.quoted):
        if line.rstrip().endswith(":"):
            assert number + 1 < len(answer.quoted), f"a lead-in quoted without its list: {answer.quoted}"
    assert "reasonable cause for concern" in answer.text


@pytest.mark.parametrize("question", [
    "my foster child (10) hasnt come back from the park, how long do i wait before ringing the police",
    "who do I tell if I'm not able to contact the club welfare officer",
    "what should the designated person do if the allegation is about a foster carer",
    "what must the strategy meeting consider",
])
def test_a_lead_in_on_real_documents_is_never_quoted_without_its_first_item(real_settings: Settings,
                                                                            question: str) -> None:
    answer = Answerer.from_settings(real_settings).answer(question)

    assert answer.answered
    for number, line in enumerate(answer.quoted):
        if line.rstrip().endswith(":"):
            assert number + 1 < len(answer.quoted), f"a lead-in quoted without its list: {answer.quoted}"


@pytest.mark.parametrize("question", [
    "whats the number for the MASH", "what should I put in my notes after a child discloses?",
    "when does the SAB have to do a SAR", "how long till the front door lets me know what theyve decided",
    "lady has capacity and says she doesnt want any help, can she refuse?",
    "what happens at stage 2 of escalation", "who do I ring out of hours?",
])
def test_an_answer_quotes_about_sixty_words_at_most_unless_a_list_is_asked_for(
        sample_answerer: Answerer, question: str) -> None:
    assert not asks_for_a_list(question)

    answer = sample_answerer.answer(question)

    words = [len(line.split()) for line in answer.quoted]
    # One line is never cut, however long; beyond it, the budget holds.
    assert sum(words) <= QUOTE_WORDS or len(words) == 1, answer.quoted


def test_facts_from_documents_of_different_areas_each_say_their_area(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("who do I ring out of hours?", area="Eastbrook")

    areas = {c.area for c in answer.citations}
    if len(areas) > 1:
        for line in answer.text.splitlines():
            if line.startswith("- "):
                assert re.search(r"\((?:[^()]*)\) \[\d+\]$", line), line


def test_ingest_stores_one_meaning_vector_for_every_quotable_line(sample_settings: Settings) -> None:
    index = KnowledgeIndex(sample_settings)
    ids, _, _, _ = index.catalog.all_tokens()
    chunks = index.catalog.chunks(ids)
    stored = index.catalog.unit_vectors(ids)

    assert set(stored) == set(ids)
    for chunk_id, chunk in chunks.items():
        digest, vectors = stored[chunk_id]
        units = passage_units(chunk.text)
        assert digest == units_digest(units)
        assert vectors.shape == (len(units), 384)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-2)


def test_an_index_without_sentence_vectors_still_answers_by_words(tmp_path: Path) -> None:
    from ingest.pipeline import ingest_paths
    from tests.conftest import make_settings

    settings = make_settings(tmp_path)
    assert ingest_paths([KNOWLEDGE_DIR / "northshire"], settings).ok
    index = KnowledgeIndex(settings)
    with index.catalog._connect() as db:  # an index written before sentence vectors were stored
        db.execute("DELETE FROM unit_vectors")

    answer = Answerer(settings, index, Answerer.from_settings(settings).retriever.encode_query).answer(
        "whats the number for the MASH")

    assert answer.answered
    assert "01632 960120" in answer.text


FA_TEXTS = REAL_DIR / "the-fa" / "5 using-texts-and-emails-with-u18s-dos-and-donts (1).pdf"


def _listed_under(path: Path, label: str) -> list[str]:
    """The lines listed under a "Do" or "Don't" line of a real document, as ingest reads it."""
    from ingest.loaders import load

    lines = [line.strip() for block in load(path).blocks for line in block.text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.replace("’", "'") == label)
    listed = []
    for line in lines[start + 1 :]:
        if len(line.split()) <= 2:  # the next label
            break
        listed.append(line.removeprefix("- "))
    return listed


def test_a_line_listed_under_dont_is_quoted_as_a_dont(real_settings: Settings) -> None:
    if not FA_TEXTS.exists():
        pytest.skip(f"no document at {FA_TEXTS}")
    donts = _listed_under(FA_TEXTS, "Don't")
    dos = _listed_under(FA_TEXTS, "Do")
    assert len(donts) >= 3 and len(dos) >= 3  # the lists this test is about are still there

    answer = Answerer.from_settings(real_settings).answer("can i reply to a young players emails about non club stuff")

    assert any(any(d[:40] in line for d in donts) for line in answer.quoted), answer.quoted
    for line in answer.quoted:
        if any(d[:40] in line for d in donts):
            assert line.startswith("Don't: "), f"a don't quoted as if it were advice: {line!r}"
        if any(d[:40] in line for d in dos):
            assert line.startswith("Do: "), line


def test_the_line_after_a_dont_list_is_no_longer_a_dont(real_settings: Settings) -> None:
    # The FA's "Don't" section: three don'ts, then "Further FA guidance is available on the following areas:" and
    # the titles of other guidance, which are no advice either way.
    if not FA_TEXTS.exists():
        pytest.skip(f"no document at {FA_TEXTS}")
    donts = _listed_under(FA_TEXTS, "Don't")

    answer = Answerer.from_settings(real_settings).answer("can coaches text the under 18s directly")

    for line in answer.quoted:
        if line.startswith("Don't: "):
            assert any(d[:40] in line for d in donts), f"not one of the don'ts: {line!r}"


def test_a_list_question_whose_best_line_introduces_a_list_quotes_that_list(sample_answerer: Answerer) -> None:
    # "Warning signs include:" and the signs under it, not the table of what happens next that names trafficking.
    answer = sample_answerer.answer("what are the signs a child might have been trafficked")

    assert answer.quoted[0] == "Warning signs include:", answer.quoted
    assert "holds their documents" in answer.text, answer.quoted


def test_a_label_line_or_a_bare_link_is_never_quoted_the_lines_under_it_are(seeds_settings: Settings) -> None:
    answer = Answerer.from_settings(seeds_settings).answer("whats NCB's role in the early adopters programme")

    assert answer.answered
    for line in answer.quoted:
        assert line.strip("*") != "NCB's role" and not re.fullmatch(r"<?https?://\S+>?", line), answer.quoted
    # what NCB's role is: the list under the label
    assert any(item in answer.text for item in ("Learning facilitator", "Disseminate emerging learning",
                                               "community of practice")), answer.quoted


def test_a_list_question_answered_by_one_sentence_quotes_that_sentence(seeds_settings: Settings) -> None:
    question = "What were the two key areas for improvement in Salford's rapid reviews?"
    assert asks_for_a_list(question)

    answer = Answerer.from_settings(seeds_settings).answer(question)

    assert "keeping the child at the centre" in answer.text, answer.quoted


def test_asked_when_the_answer_quotes_the_date_not_a_sentence_that_says_within_salford(
        seeds_settings: Settings) -> None:
    answer = Answerer.from_settings(seeds_settings).answer("When was Salford's Safeguarding Effectiveness "
                                                           "Framework launched?")

    assert "31st January" in answer.quoted[0], answer.quoted


def test_two_lines_that_say_the_same_thing_are_not_both_quoted(sample_answerer: Answerer) -> None:
    # The Eastbrook procedure and the Eastbrook contacts list both say what the Front Door's secure email is for.
    answer = sample_answerer.answer("cant get through on the phone so can i just email the front door the referral "
                                    "instead?", area="Eastbrook")

    from bot.index.tokens import tokenize

    for i, first in enumerate(answer.quoted):
        for second in answer.quoted[i + 1 :]:
            a, b = set(tokenize(first)), set(tokenize(second))
            assert len(a & b) < 0.8 * min(len(a), len(b)), (first, second)
    # The contacts list's "Do not refer by email alone." comes without the secure-email line it finishes, which
    # the procedure's own line already says.
    assert "by email alone" in answer.text, answer.quoted


def test_a_short_sentence_finishing_a_line_is_quoted_with_the_sentence_it_finishes(
        sample_answerer: Answerer) -> None:
    # eastbrook-contacts.txt: "Eastbrook Adult Care Connect (adult safeguarding concerns): 01632 960350. Monday to
    # Friday, 8:30am to 5pm." The hours say nothing without the service they belong to.
    answer = sample_answerer.answer("eastbrook adult care connect opening hours")

    hours = next(i for i, line in enumerate(answer.quoted) if "8:30am to 5pm" in line)
    assert "Adult Care Connect" in answer.quoted[hours] or (hours > 0 and "Adult Care Connect" in
                                                             answer.quoted[hours - 1]), answer.quoted


@pytest.mark.parametrize(("question", "is_list"), [
    ("what are the levels of need?", True),
    ("What were the two key areas for improvement in Salford's rapid reviews?", True),
    ("what are their opening hours?", False),
    ("what are the numbers for the MASH and the LADO", False),
    ("what are the stages of escalation and how long does each take", True),
    ("salford effectiveness framework - what are the strands", True),
    ("adult at risk under s42 - whats the 3 things that have to apply", True),
    ("whats the 3 day rule for a MARF", False),
])
def test_a_question_for_a_time_or_a_number_is_not_a_list_question(question: str, is_list: bool) -> None:
    assert asks_for_a_list(question) is is_list



def test_the_questions_words_side_by_side_choose_the_line_that_names_what_is_asked(seeds_settings: Settings) -> None:
    # 003 (Dudley): "...the child death review partners (the Public Health function of the Local Authority and the
    # CCG)" against "...any outstanding child death reviews under the LSCB's modelled process".
    answer = Answerer.from_settings(seeds_settings).answer("dudley - who are the child death review partners")

    assert "Public Health function of the Local Authority" in answer.quoted[0], answer.quoted


def test_a_list_found_by_its_label_is_quoted_from_its_first_item(seeds_settings: Settings) -> None:
    # 001: "NCB's role" over "- Learning facilitator;", "- Work with EA partnerships…", …
    answer = Answerer.from_settings(seeds_settings).answer("whats NCB's role in the early adopters programme")

    assert answer.quoted[0].startswith("Learning facilitator"), answer.quoted
    assert "Work with EA partnerships to develop a community of practice;" in answer.quoted[1], answer.quoted


def test_a_line_of_the_fifth_passage_found_can_be_quoted(seeds_settings: Settings) -> None:
    # 003 (Dudley): "…the DSPPB's annual report, to be published in September of each year." sits in the fifth
    # passage retrieved for this question; the four before it talk about publishing reviews and reports.
    answerer = Answerer.from_settings(seeds_settings)
    question = "when does dudley publish its annual safeguarding report"
    hits = answerer.retriever.search(question, k=5)
    assert any("September of each year" in hit.chunk.text for hit in hits)

    answer = answerer.answer(question)

    assert any("September of each year" in line for line in answer.quoted), answer.quoted


@pytest.mark.parametrize(("text", "introduces"), [
    # Announced without a colon: the list is what the sentence points at.
    ("The out of hours 'duty officer' should be contacted in the following instances.\n- Death of a child placed\n"
     "- Serious accident or illness", True),
    ("It should be confirmed that the foster carers are aware of the following.\n- The contents of this procedure\n"
     "- Information regarding consulting a solicitor", True),
    # A short line straight above a list heads it.
    ("Deputy DSL: HCPC-registered Clinical Supervisor.\n- Acts as DSL if Adriana is unavailable.", True),
    # A sentence that merely stands before a list, and the lower-case end of a sentence broken across lines.
    ("If the child is in immediate danger, call 999 first.\n- Northshire MASH: 01632 960120", False),
    ("participation further.\n- developing stronger links with the partnerships", False),
])
def test_a_sentence_that_announces_or_heads_a_list_without_a_colon_introduces_it(text: str, introduces: bool) -> None:
    units = passage_units(text)

    assert bool(_introduced(units, 0)) is introduces
    assert (_lead_in(units, 1) is units[0]) is introduces


def test_a_list_announced_without_a_colon_is_quoted_with_its_items(real_settings: Settings) -> None:
    # Wholistic Fostering: "The out of hours 'duty officer' should be contacted in the following instances."
    answer = Answerer.from_settings(real_settings).answer(
        "wholistic fostering out of hours duty officer - when do I contact them")

    at = next(i for i, line in enumerate(answer.quoted) if line.endswith("in the following instances."))
    assert answer.quoted[at + 1] == "Death of a child/young person placed", answer.quoted


def test_a_line_under_a_short_heading_line_is_quoted_with_it(real_settings: Settings) -> None:
    # Together Assessments: "Deputy DSL: HCPC-registered Clinical Supervisor." over "- Acts as DSL if Adriana is
    # unavailable."
    answer = Answerer.from_settings(real_settings).answer("together assessments - what does the deputy DSL do")

    at = answer.quoted.index("Deputy DSL: HCPC-registered Clinical Supervisor.")
    assert answer.quoted[at + 1] == "Acts as DSL if Adriana is unavailable.", answer.quoted



def _passage(title: str, section: str, text: str) -> Hit:
    chunk = StoredChunk(id=title, path=f"policies/{title}.md", ordinal=0, source=f"{title}.md", title=title,
                        section=section, text=text, areas=(), kind="policy", topic=None, effective=None,
                        review_by=None, source_url=None)
    return Hit(chunk, 0.0, 0.5, 1.0, OWN)


@pytest.mark.parametrize("furniture", [
    "Riverside Youth Club Safeguarding Policy Version 2.1 – March 2025 Review date: March 2026",
    "Riverside Youth Club Safeguarding Policy",
    "Section 4: Riverside Youth Club safeguarding policy",
    "4. Riverside Youth Club safeguarding policy .......... 12",
])
def test_a_line_that_only_names_the_document_or_its_part_is_not_quoted_ahead_of_a_fact(furniture: str) -> None:
    """The document's title repeated, its version and review date, a section heading or a contents
    entry shares the question's words (they name the document the question is about) but tells a
    practitioner nothing: the line under it that states a fact comes first."""
    question = "does the riverside youth club policy cover volunteers"
    hits = [_passage("Riverside Youth Club Safeguarding Policy", "Scope",
                     f"{furniture}\nThis applies to all staff and volunteers, paid or unpaid.")]

    quoted = select_sentences(tokenize(question), hits, lambda token: 1.0, 3, question=question)

    assert quoted[0][1] == "This applies to all staff and volunteers, paid or unpaid."


def test_asked_about_the_documents_review_date_the_review_line_is_quoted() -> None:
    """A version or review line gives way only when it matches the question through the document's
    name alone: asked when the policy is reviewed, it is the answer."""
    review = "Riverside Youth Club Safeguarding Policy Version 2.1 – March 2025 Review date: March 2026"
    question = "when is the riverside youth club policy due for review"
    hits = [_passage("Riverside Youth Club Safeguarding Policy", "Scope",
                     f"{review}\nThis applies to all staff and volunteers, paid or unpaid.")]

    quoted = select_sentences(tokenize(question), hits, lambda token: 1.0, 3, question=question)

    assert quoted[0][1] == review


RATINGS = """Every referral is rated when it arrives.
Rating | Meaning | Riverside timescale
Red | Child may be at immediate risk | Decision and action within 4 hours; strategy discussion the same day if needed
Amber | Possible significant harm, not immediate | Decision within 1 working day"""


@pytest.mark.parametrize("question", [
    "how fast does the front door decide on a red referral",
    "a red rated referral - how quickly is it dealt with?",
    "when is a red referral decided",
])
def test_a_table_row_is_quoted_with_the_cell_that_carries_the_kind_of_fact_asked_for(question: str) -> None:
    """A row is quoted as its first cell and the cells that answer: asked how fast or when, the cell
    with the timescale answers, though none of the question's words is in it."""
    hits = [_passage("Riverside referrals", "Ratings", RATINGS)]

    quoted = [line for _, line in select_sentences(tokenize(question), hits, lambda token: 1.0, 3,
                                                   question=question)]

    row = next(line for line in quoted if line.startswith("Red"))
    assert "Decision and action within 4 hours" in row, quoted


def test_a_cell_repeating_the_rows_first_cell_is_not_quoted_in_place_of_the_figure() -> None:
    """"Dudley CCG | 107,100 | Dudley CCG | 20,000": the name again says nothing; asked how much,
    the sums are the answer."""
    text = "Partner | Children | Partner | Adults\nRiverside CCG | 107,100 | Riverside CCG | 20,000"
    question = "how much does riverside ccg give for children"
    hits = [_passage("Riverside funding", "Funding", text)]

    quoted = [line for _, line in select_sentences(tokenize(question), hits, lambda token: 1.0, 3,
                                                   question=question)]

    assert any("107,100" in line for line in quoted), quoted
