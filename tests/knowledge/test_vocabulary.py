"""Practitioners' words meet the documents' words: the stemmer and the editable vocabulary."""

from __future__ import annotations

import pytest

from bot.index.tokens import remember_stems, stemmed_words, stemmer_fingerprint, tokenize
from bot.qa.vocabulary import build_vocabulary, vocabulary


def test_an_abbreviations_plural_reads_as_the_abbreviation() -> None:
    assert tokenize("LSCBs SCRs PDFs") == tokenize("LSCB SCR PDF")


def test_regular_endings_snowball_stems_apart_from_their_word_are_stemmed_together() -> None:
    assert tokenize("staffed staffing") == tokenize("staff staff")
    assert tokenize("experienced experiencing") == tokenize("experience experience")
    assert tokenize("evidencing referenced") == tokenize("evidence reference")


def test_stems_kept_with_an_index_are_learnt_only_from_the_stemmer_in_use() -> None:
    assert not remember_stems(["qqzzyx"], ["qqz"], "another stemmer")
    assert tokenize("qqzzyx") == ["qqzzyx"]
    assert remember_stems(["qqzzyw"], ["qqz"], stemmer_fingerprint())
    assert tokenize("Qqzzyw") == ["qqz"]


def test_words_that_only_look_like_an_inflection_keep_their_stem() -> None:
    # "evening" is no form of "even"; "training", "meeting", "needed" stem as Snowball stems them.
    assert tokenize("evening") != tokenize("even")
    assert tokenize("training meeting needed started") == ["train", "meet", "need", "start"]


def test_stopwords_stay_out_of_tokens_but_a_phrase_keeps_every_word() -> None:
    assert tokenize("on their own") == []
    assert stemmed_words("on their own") == ["on", "their", "own"]
    assert stemmed_words("it's written up") == ["it", "written", "up"]


def test_a_phrase_in_the_question_brings_in_the_other_ways_of_saying_it() -> None:
    words = build_vocabulary({"synonyms": [["immediately", "straight away"], ["alone", "on their own"]]})
    assert words.expansion(tokenize("report it straight away"), "report it straight away") == tokenize("immediately")
    assert words.expansion([], "left on their own all night") == tokenize("alone")


def test_a_single_word_still_brings_in_its_phrases() -> None:
    words = build_vocabulary({"synonyms": [["immediately", "straight away"]]})
    assert words.expansion(tokenize("immediately")) == tokenize("straight away")
    assert words.found(tokenize("immediately")[0], set(tokenize("do it straight away")))


def test_a_phrase_is_matched_whole_and_in_order() -> None:
    words = build_vocabulary({"synonyms": [["alone", "on their own"]]})
    assert words.in_phrases("their own on") == []
    assert words.in_phrases("on their") == []


def test_an_abbreviation_written_out_in_the_question_brings_in_the_abbreviation() -> None:
    words = build_vocabulary({"abbreviations": {"dsl": "designated safeguarding lead"}})
    assert words.in_phrases("who is the designated safeguarding lead") == [("dsl",)]


@pytest.mark.parametrize(
    ("question", "documents_say"),
    [
        ("should I ring them straight away", "immediately"),
        ("he's been left on his own", "alone"),
        ("does it need to be written up", "record"),
        ("I'm worried about a child", "concern"),
        ("make sure the child is safe", "ensure"),
        ("can I pass on what she said to social services", "share"),
    ],
)
def test_everyday_english_finds_the_procedures_english(question: str, documents_say: str) -> None:
    expansion = vocabulary().expansion(tokenize(question), question)
    assert set(tokenize(documents_say)) <= set(expansion)


def test_a_word_the_documents_never_use_is_searched_as_their_nearest_words_in_meaning() -> None:
    from bot.index.embeddings import shared_embedder
    from bot.index.words import build_corpus_words
    from bot.qa.vocabulary import neighbours

    encoder = shared_embedder()
    texts = ["Call the police on 999.", "Never leave a baby alone.", "Record the date and time."]
    words = build_corpus_words(texts, encoder.encode)
    assert set(words.tokens) == set(tokenize(" ".join(texts))) - {"999"}
    known = set(words.tokens).__contains__
    assert "polic" in neighbours("can I tell the cops?", known, words, encoder.encode_query)
    # Words the documents use are searched as they are; nothing is added for them.
    assert neighbours("call the police", known, words, encoder.encode_query) == []


def test_the_documents_words_are_embedded_at_ingest_and_kept_beside_the_index(
    sample_answerer,  # type: ignore[no-untyped-def]
) -> None:
    from bot.index.words import CorpusWords
    from bot.qa.vocabulary import corpus_expansion

    index = sample_answerer.index
    # Ingest embedded the documents' words and kept them beside the index.
    kept = index.directory / "words" / f"{index.keyword.generation}.npz"
    assert kept.exists()
    loaded = CorpusWords.load(kept)
    assert loaded is not None and "polic" in loaded.tokens
    # With every word the documents use as written and its stem, for answering without stemming them again.
    assert loaded.stemmer == stemmer_fingerprint()
    assert "police" in loaded.forms and len(loaded.forms) == len(loaded.stems) > len(loaded.tokens)
    assert all(tokenize(form) == [stem] for form, stem in zip(loaded.forms, loaded.stems, strict=True))
    assert "polic" in corpus_expansion(index, "can I tell the cops?", sample_answerer.retriever.encode_query)


def test_a_phrase_brings_in_one_word_alternatives_not_the_common_words_of_longer_ones() -> None:
    words = build_vocabulary({"synonyms": [["vulnerable adult", "adult at risk", "adult with care needs"]]})
    question = "and if it's a vulnerable adult?"
    assert words.expansion(tokenize(question), question) == []
