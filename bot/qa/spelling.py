"""Practitioners' typing slips read as the documents' words: "safegaurding", "referal", "neglet", "chidlren".

A question word the documents never use counts against answering it (bot/qa/answer.py: `Evidence`) and keyword
search cannot match it; the documents' words nearest in MEANING to it (bot/qa/vocabulary.py: `corpus_expansion`)
are not what a misspelling means. So before a question is read, each word of it that is no word of the index's
and no English word either is replaced by the index word within a keystroke or two of it (Damerau-Levenshtein,
as SymSpell looks it up), the commonest in the index when several are as close.

What is never read as a slip: a word the index uses; a word of prompts/vocabulary.yaml (abbreviations and
synonyms, which have their own alternatives); an English word ("party", "cheek", "stuff" are not slips of "part",
"check", "staff": they are what people ask about when the documents cannot answer); a place (prompts/places.yaml);
a number; a word typed in capitals (an acronym) or capitalised inside the question (a name, read as a place only
when it is a slip of one); a short word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from symspellpy import SymSpell, Verbosity

from bot.index.store import KnowledgeIndex
from bot.index.tokens import RUN_TOGETHER, STOPWORDS, tokenize
from bot.index.words import CorpusWords
from bot.qa.vocabulary import places, vocabulary

# One letter missed, doubled or swapped with the next in a word of five letters or more; two slips, or a letter
# typed for another, in a word of eight or more. A shorter word is a keystroke from too many others ("form" /
# "from"), and the first letter is the one people get right.
ONE_SLIP_LENGTH = 5
TWO_SLIPS_LENGTH = 8
MAX_SLIPS = 2
PREFIX_LENGTH = 7  # SymSpell's prefix: words are told apart by their first seven letters and the distance after
CORRECTION_CACHE = 10_000

# English words with their frequency in print (the SymSpell project's dictionary, built from Google Books
# n-grams and the SCOWL word lists), shipped with symspellpy.
ENGLISH_WORDS = "frequency_dictionary_en_82_765.txt"

SMALL_WORDS = STOPWORDS | frozenset(RUN_TOGETHER)  # and chat's run-together words ("whats", "dont")
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


@cache
def english_words() -> frozenset[str]:
    text = (resources.files("symspellpy") / ENGLISH_WORDS).read_text(encoding="utf-8")
    return frozenset(line.split(" ", 1)[0] for line in text.splitlines() if line)


@dataclass
class Speller:
    """The words of one index generation, to read a question's slips as them."""

    known: frozenset[str]  # every word of the index as written (lower-cased)
    symspell: SymSpell
    commonness: dict[str, int]  # how many passages use each word's token
    places: frozenset[str] = frozenset()  # the words of prompts/places.yaml's places, lower-cased
    _read: dict[str, str | None] = field(default_factory=dict, repr=False)

    def word_for(self, word: str) -> str | None:
        """The index word `word` (lower-cased, as typed) is a slip for, or None when it is no slip."""
        if word in self._read:
            return self._read[word]
        if len(self._read) >= CORRECTION_CACHE:
            self._read.clear()
        self._read[word] = found = self._look_up(word)
        return found

    def _look_up(self, word: str) -> str | None:
        if len(word) < ONE_SLIP_LENGTH or not word.isalpha() or word in self.known or word in english_words():
            return None
        if not tokenize(word) or word in vocabulary().written or word in vocabulary().long_forms:
            return None
        slips = MAX_SLIPS if len(word) >= TWO_SLIPS_LENGTH else 1
        closest = self.symspell.lookup(word, Verbosity.CLOSEST, max_edit_distance=slips)
        if not closest:
            return None
        # "heeading" is no slip for "needing": the first letter is the one people get right.
        meant = min((s.term for s in closest if s.term[0] == word[0] and (slips > 1 or not _substituted(word, s.term))),
                    key=lambda term: (-self.commonness.get(term, 0), term), default=None)
        if meant is None:
            return None
        # "salfords", "babys": a possessive typed without its apostrophe is already read as its word (a place
        # is looked up by its name as written).
        return None if tokenize(meant) == tokenize(word) and meant not in self.places else meant

    def read(self, text: str) -> str:
        """`text` with each slip replaced by the index word it stands for ("the referal form" -> "the referral
        form"); unchanged when it has none."""
        def replace(match: re.Match[str]) -> str:
            typed = match.group(0)
            stem, apostrophe, clitic = typed.partition("'")
            if stem.isupper() and len(stem) > 1:  # an acronym
                return typed
            if stem.lower() in self.places:
                return typed
            word = self.word_for(stem.lower())
            if word is None:
                return typed
            if stem[0].isupper() and match.start() > 0 and not _starts_sentence(text, match.start()):
                if word not in self.places:
                    return typed  # a name, unless it is a place's
                word = word.capitalize()
            return f"{word}{apostrophe}{clitic}"

        return _WORD.sub(replace, text)


def _substituted(word: str, meant: str) -> bool:
    """Is `word` `meant` with one letter typed for another? In a short word that makes another word too often
    ("park" / "part", "wahts" / "wants") to read it as a slip; a letter missed, doubled or swapped with the next
    is read as one (as `bot.qa.answer`'s slips are)."""
    return len(word) == len(meant) and sum(a != b for a, b in zip(word, meant, strict=True)) == 1


@cache
def _place_words() -> frozenset[str]:
    return frozenset(word for name in places().names for word in name)


def _starts_sentence(text: str, position: int) -> bool:
    before = text[:position].rstrip()
    return not before or before[-1] in ".!?:;\"'(-"


def build_speller(words: CorpusWords, frequency: dict[str, int]) -> Speller:
    """A speller for the index whose words are `words`; `frequency` counts the passages using each token."""
    symspell = SymSpell(max_dictionary_edit_distance=MAX_SLIPS, prefix_length=PREFIX_LENGTH)
    commonness: dict[str, int] = {}
    for form, stem in zip(words.forms, words.stems, strict=True):
        if len(form) >= ONE_SLIP_LENGTH - 1 and form.isalpha():
            commonness[form] = max(1, frequency.get(stem, 0))
            symspell.create_dictionary_entry(form, commonness[form])
    # The question's small words are slipped on as much as the documents' words ("becuase", "wahts"), and are
    # commoner than any of them.
    commonest = max(commonness.values(), default=1)
    for small in SMALL_WORDS:
        if small not in commonness and len(small) >= ONE_SLIP_LENGTH - 1:
            commonness[small] = commonest
            symspell.create_dictionary_entry(small, commonest)
    # A place typed with a slip ("manchesteer", "birminggham") is still the place: read as it, a question about
    # another area's arrangements is still seen to be one (bot/qa/answer.py: other places).
    for place in sorted(_place_words()):
        if place not in commonness and len(place) >= ONE_SLIP_LENGTH:
            commonness[place] = 1
            symspell.create_dictionary_entry(place, 1)
    return Speller(frozenset(words.forms), symspell, commonness, _place_words())


_spellers: dict[str, tuple[int, Speller]] = {}


def speller(index: KnowledgeIndex, words: CorpusWords) -> Speller:
    """The speller of the index's current generation (whose words are `words`), made once per generation."""
    keyword = index.keyword
    key = str(index.directory)
    cached = _spellers.get(key)
    if cached is not None and cached[0] == keyword.generation:
        return cached[1]
    made = build_speller(words, {stem: keyword.frequency(stem) for stem in set(words.stems)})
    _spellers[key] = (keyword.generation, made)
    return made
