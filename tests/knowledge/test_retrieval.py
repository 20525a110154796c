"""How questions are read and how the two retrievers' findings are put together."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.config import Settings
from bot.index.store import KnowledgeIndex, StoredChunk
from bot.index.tokens import tokenize
from bot.qa.retrieval import (
    KEYWORD_SHARE,
    OWN,
    SENTENCE_SHARE,
    WORDS_WEIGHT,
    Hit,
    mixed_score,
    pairs_found,
    reorder,
    words_found,
)
from bot.qa.service import Answerer
from tests.conftest import make_settings


def _hit(name: str, dense: float, keyword: float, text: str | None = None) -> Hit:
    chunk = StoredChunk(id=name, path=f"{name}.md", ordinal=0, source=f"{name}.md", title=name, section=name,
                        text=text or name, areas=(), kind="procedure", topic=None, effective=None, review_by=None,
                        source_url=None)
    return Hit(chunk, 0.0, dense, keyword, OWN)


@pytest.mark.parametrize("question", [
    "what's the number", "whats the number", "can't find it", "cant find it", "won't tell", "wont tell",
    "don't tell", "dont tell", "isn't it", "shouldn't I", "I'm worried", "she's 12", "mum's permission",
])
def test_a_practitioners_contraction_leaves_no_made_up_word(question: str) -> None:
    made_up = {"what", "whats", "cant", "can", "won", "wont", "dont", "don", "isnt", "shouldn", "im", "s", "t"}
    assert not made_up & set(tokenize(question)), tokenize(question)


def test_a_curly_apostrophe_reads_like_a_straight_one() -> None:
    assert tokenize("what\u2019s the MASH\u2019s number, I can\u2019t find it") == tokenize(
        "what's the MASH's number, I can't find it")


def test_a_practitioners_contraction_is_not_counted_as_a_word_the_documents_lack(
    sample_answerer: Answerer,
) -> None:
    for question in ("whats the number for the MASH", "what's the number for the MASH",
                     "should I promise the kid I won't tell anyone", "I can't get hold of the DSL, who do I ring?"):
        answer = sample_answerer.answer(question)
        assert answer.evidence is not None and answer.evidence.unknown_words == 0, question
        assert answer.answered, question


def test_closeness_in_words_counts_as_a_share_of_the_questions_best_keyword_match() -> None:
    # Same closeness in meaning: the passage with the question's best keyword match leads by KEYWORD_SHARE.
    assert mixed_score(0.5, 8.0, 8.0) - mixed_score(0.5, 0.0, 8.0) == pytest.approx(KEYWORD_SHARE)
    # The scale of BM25 does not matter, only the share of the best match.
    assert mixed_score(0.5, 4.0, 8.0) == pytest.approx(mixed_score(0.5, 40.0, 80.0))


def test_the_fused_few_are_ordered_by_meaning_and_words_together() -> None:
    close_in_meaning = _hit("meaning", dense=0.80, keyword=2.0)
    close_in_words = _hit("words", dense=0.30, keyword=8.0)
    both = _hit("both", dense=0.70, keyword=7.0)
    ordered = reorder([close_in_words, close_in_meaning, both], dense_floor=0.2, best_keyword=8.0, weighted=False)
    assert [h.chunk.id for h in ordered] == ["both", "meaning", "words"]


def test_a_passage_only_keyword_search_found_is_as_close_in_meaning_as_the_last_dense_candidate() -> None:
    keyword_only = _hit("keyword-only", dense=0.0, keyword=8.0)
    weak = _hit("weak", dense=0.40, keyword=0.5)
    ordered = reorder([weak, keyword_only], dense_floor=0.35, best_keyword=8.0, weighted=False)
    assert ordered[0].chunk.id == "keyword-only"  # 0.7 * 0.35 + 0.3 > 0.7 * 0.40 + 0.3 / 16
    ordered = reorder([weak, keyword_only], dense_floor=0.0, best_keyword=80.0, weighted=False)
    assert ordered[0].chunk.id == "weak"  # no closeness credited beyond what the dense search saw


def test_a_passage_with_one_line_close_to_the_question_gains_on_one_only_close_as_a_whole() -> None:
    assert mixed_score(0.5, 0.0, 8.0, best_line=0.8) - mixed_score(0.5, 0.0, 8.0, best_line=0.5) == pytest.approx(
        (1 - KEYWORD_SHARE) * SENTENCE_SHARE * 0.3)
    # Without line vectors (none stored) the passage's own cosine is all there is.
    assert mixed_score(0.5, 0.0, 8.0) == pytest.approx((1 - KEYWORD_SHARE) * 0.5)


def test_the_questions_rarer_words_count_for_more_of_the_share_found() -> None:
    weights = {"fgm": 3.0, "report": 1.0}  # IDF of the question's words
    assert words_found(weights, set(tokenize("Reporting FGM to the police"))) == 1.0
    assert words_found(weights, set(tokenize("FGM is a crime"))) == pytest.approx(0.75)
    assert words_found(weights, set(tokenize("Make a report"))) == pytest.approx(0.25)
    assert words_found({"unknown": 0.0}, set(tokenize("anything unknown"))) == 0.0  # no word the index knows


def test_the_questions_words_side_by_side_count_only_when_the_passage_has_them_side_by_side() -> None:
    question = tokenize("out of hours social work team number")
    assert pairs_found(question, tokenize("The out of hours social work team number is 01632 960000")) == 1.0
    assert pairs_found(question, tokenize("Social care hours: the team works out of the office")) < 0.5
    assert pairs_found(tokenize("LADO"), tokenize("LADO")) == 0.0  # one word makes no pair


def test_the_fused_few_with_all_the_questions_words_and_phrases_lead_those_equally_close_without() -> None:
    question = tokenize("mandatory reporting duty for FGM")
    idf = {token: 1.0 for token in question}.get
    partial = _hit("partial", dense=0.60, keyword=8.0, text="FGM is abuse. Report any concern to the police.")
    whole = _hit("whole", dense=0.60, keyword=8.0, text="The mandatory reporting duty for FGM applies to teachers.")
    ordered = reorder([partial, whole], dense_floor=0.2, best_keyword=8.0, weighted=False, question=question,
                      idf=lambda t: idf(t, 0.0))
    assert [h.chunk.id for h in ordered] == ["whole", "partial"]
    # A passage far closer in meaning still leads one that only has the words.
    closer = _hit("closer", dense=0.60 + 4 * WORDS_WEIGHT, keyword=8.0, text=partial.chunk.text)
    ordered = reorder([whole, closer], dense_floor=0.2, best_keyword=8.0, weighted=False, question=question,
                      idf=lambda t: idf(t, 0.0))
    assert ordered[0].chunk.id == "closer"


def test_the_plural_of_an_abbreviation_means_what_the_abbreviation_means() -> None:
    from bot.qa.vocabulary import vocabulary

    assert tuple(tokenize("serious case review")) in vocabulary().of(*tokenize("SCRs"))
    assert "(serious case review)" in vocabulary().spelled_out("any outstanding SCRs?")


def test_a_number_typed_with_its_unit_reads_as_the_number() -> None:
    assert tokenize("her friend's 12yo") == tokenize("her friend's 12 yo")
    assert "2" in tokenize("on the 2nd floor") and "nd" not in tokenize("on the 2nd floor")


def test_situational_detail_the_documents_never_mention_does_not_turn_away_a_question_close_in_meaning() -> None:
    from bot.qa.answer import Evidence

    # "childminder here, a mum on my road has her friend's 12yo from nigeria staying…": two words
    # the documents never use, few words found, but close in meaning to a passage.
    assert Evidence(top_dense=0.48, coverage=0.23, unknown_words=2, top_unit=0.50, question_words=10,
                    keyword=0.05, kind_found=0.0).sufficient()
    # "How do I book a meeting room?": words the documents never use and far in meaning.
    assert not Evidence(top_dense=0.39, coverage=0.20, unknown_words=2, top_unit=0.40, question_words=4,
                        keyword=0.05).sufficient()
    # Without a fitted model the hand-set rule decides the same.
    assert Evidence(top_dense=0.48, coverage=0.23, unknown_words=2).rule()
    assert not Evidence(top_dense=0.39, coverage=0.20, unknown_words=2).rule()
    assert not Evidence(top_dense=0.44, coverage=0.12, unknown_words=1).rule()


def test_tell_is_a_word_of_the_question_and_the_frame_of_a_question_is_not() -> None:
    # "who do I tell?" asks about reporting; "how often" and "a bit of" only frame what is asked.
    assert "tell" in tokenize("who do I tell?")
    assert tokenize("she told me at lunch") == tokenize("she at lunch")
    assert tokenize("how often does the board meet") == tokenize("the board meets")
    assert tokenize("a bit of extra support, years ago") == tokenize("extra support, years")


def test_a_place_is_named_when_the_question_is_about_it_not_when_someone_comes_from_it() -> None:
    from bot.qa.vocabulary import places

    assert places().named("who is the LADO in manchester") == ["manchester"]
    assert places().named("does Kent's threshold document have 4 levels") == ["kent"]
    assert places().named("the Sandwell family hub, is it open on saturdays") == ["sandwell"]
    assert places().named("a child from Leeds has just arrived, moving to Kent next week") == []
    assert places().named("reading the bathroom rules") == []  # everyday words are not taken for places


@pytest.mark.parametrize("question", [
    "who is the LADO in manchester", "whats the MASH number for birmingham",
    "who chairs the leeds safeguarding children partnership",
])
def test_a_question_about_an_area_no_document_mentions_is_not_answered_with_this_areas_facts(
    sample_answerer: Answerer, question: str,
) -> None:
    answer = sample_answerer.answer(question)
    assert not answer.answered, answer.text
    assert answer.evidence is not None and answer.evidence.other_places


def test_a_place_the_documents_mention_or_a_childs_origin_does_not_turn_a_question_away(
    sample_answerer: Answerer,
) -> None:
    for question in ("whats the number for the MASH in eastbrook",
                     "a 12yo from nigeria staying with a mum on my road, is that private fostering?",
                     "a family just moved here from Leeds and I'm worried about the baby, who do I ring?"):
        answer = sample_answerer.answer(question)
        assert answer.answered, question


def test_dense_search_reads_the_collection_once_per_index_generation_and_still_finds_what_ingest_adds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ingest.pipeline import ingest_paths
    from tests.knowledge import documents

    library, aside = tmp_path / "library", tmp_path / "aside"
    documents.write_all(library)
    aside.mkdir()
    (library / "sleep-safety.pdf").rename(aside / "sleep-safety.pdf")
    settings = make_settings(tmp_path / "data")
    ingest_paths([library], settings)
    retriever = Answerer.from_settings(settings).retriever
    reads = 0
    get = retriever.index.dense.collection.get

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal reads
        reads += 1
        return get(*args, **kwargs)

    monkeypatch.setattr(retriever.index.dense.collection, "get", counted)

    for question in ("Which leaflet do health visitors give on safe sleep?", "who do I ring out of hours?"):
        retriever.search(question, k=5, mode="dense")
    assert reads == 1  # not once per question

    (aside / "sleep-safety.pdf").rename(library / "sleep-safety.pdf")
    ingest_paths([library], settings)  # as another process would: a new generation of the catalog
    hits = retriever.search("Which leaflet do health visitors give on safe sleep?", k=5, mode="dense")
    assert reads == 2
    assert "sleep-safety.pdf" in {h.chunk.source for h in hits}


def test_dense_search_ranks_every_passage_by_cosine_whatever_process_loads_the_index(
    sample_settings: Settings,
) -> None:
    # Chroma's approximate search rebuilt its graph on each load and, on some loads, left the closest
    # passage out of its top 30: the same question was answered differently from one run to the next.
    from bot.index.embeddings import shared_query_encoder

    index = KnowledgeIndex(sample_settings)  # a fresh load, as a new process would make
    stored = index.dense.collection.get(include=["embeddings"])
    ids = list(stored["ids"])
    vectors = np.asarray(stored["embeddings"], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    generation = index.catalog.generation()
    for question in ("who do I ring out of hours?", "what's the dress code on fridays",
                     "Which leaflet do health visitors give on safe sleep?"):
        query = np.asarray(shared_query_encoder().encode_query(question), dtype=np.float32)
        cosines = vectors @ (query / np.linalg.norm(query))
        expected = sorted(range(len(ids)), key=lambda row: (-float(cosines[row]), ids[row]))[:len(ids)]
        found = index.dense.search(query, len(ids), generation=generation)
        assert [i for i, _ in found] == [ids[row] for row in expected], question
        assert [s for _, s in found] == pytest.approx([float(cosines[row]) for row in expected], abs=1e-5)


def test_passages_as_close_as_each_other_come_in_id_order_however_they_were_stored(tmp_path: Path) -> None:
    index = KnowledgeIndex(make_settings(tmp_path / "data"))
    same = np.ones((1, 384), dtype=np.float32)
    index.dense.add(["c", "a"], np.vstack([same, same]), [{"kind": "procedure"}] * 2)
    index.dense.add(["b"], same, [{"kind": "guidance"}])
    found = index.dense.search(same[0], 3, generation=1)
    assert [i for i, _ in found] == ["a", "b", "c"]
    assert [i for i, _ in index.dense.search(same[0], 3, ["procedure"], generation=2)] == ["a", "c"]


def test_a_question_gets_the_same_answer_whatever_was_asked_before_it(sample_answerer: Answerer) -> None:
    first = "who do I ring out of hours?"
    others = ["Which leaflet do health visitors give on safe sleep?", "what's the dress code on fridays",
              "a 12yo from nigeria staying with a mum on my road, is that private fostering?",
              "I can't get hold of the DSL, who do I ring?"]
    for mode in ("hybrid", "bm25", "dense"):
        before = sample_answerer.answer(first, mode=mode)
        hits_before = [h.chunk.id for h in sample_answerer.retriever.search(first, k=5, mode=mode)]
        for question in others:
            sample_answerer.answer(question, mode=mode)
        after = sample_answerer.answer(first, mode=mode)
        assert (after.answered, after.text) == (before.answered, before.text), mode
        assert [h.chunk.id for h in sample_answerer.retriever.search(first, k=5, mode=mode)] == hits_before
