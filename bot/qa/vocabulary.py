"""Practitioners' words and the documents' words: abbreviations and synonyms kept as data.

People ask "who do I ring?", "do I need mum's permission?", "DSL is off"; the documents say
"call", "consent", "designated safeguarding lead". `prompts/vocabulary.yaml` lists such groups;
this module turns them into stemmed alternatives so that retrieval can search for them and the
answer and abstention rules can count a question word as found when an alternative is found.
A member of several words ("straight away", "on their own", "written up") is an alternative to the
others, and found in a question it brings them in too: phrases work both ways.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import yaml

from bot.index.store import KnowledgeIndex
from bot.index.tokens import stemmed_words, tokenize, word_forms
from bot.index.words import MIN_WORD_LENGTH, CorpusWords, corpus_words
from bot.prompts import prompts_dir

Alternative = tuple[str, ...]  # the stemmed tokens of one word or phrase
Phrase = tuple[str, ...]  # every stemmed word of a phrase, stopwords kept ("on their own")


@dataclass(frozen=True)
class Vocabulary:
    alternatives: dict[str, tuple[Alternative, ...]] = field(default_factory=dict)
    long_forms: dict[str, str] = field(default_factory=dict)  # "dsl" -> "designated safeguarding lead"
    # A phrase's first word -> (the phrase, the other ways of saying it), to find phrases in a question.
    phrases: dict[str, tuple[tuple[Phrase, tuple[Alternative, ...]], ...]] = field(default_factory=dict)
    written: frozenset[str] = frozenset()  # every word of the file as written, lower-cased: none is a typing slip

    def of(self, token: str) -> tuple[Alternative, ...]:
        """Other ways of saying `token` (a stemmed question word)."""
        return self.alternatives.get(token, ())

    def in_phrases(self, text: str) -> list[Alternative]:
        """Other ways of saying the phrases `text` contains ("straight away" -> "immediately")."""
        words = stemmed_words(text)
        found: list[Alternative] = []
        for position, word in enumerate(words):
            for phrase, alternatives in self.phrases.get(word, ()):
                if tuple(words[position : position + len(phrase)]) == phrase:
                    found.extend(a for a in alternatives if a not in found)
        return found

    def expansion(self, tokens: Iterable[str], text: str = "") -> list[str]:
        """Tokens to search for besides the question's own, each once: the words of the alternatives to
        the question's words and, when the question's `text` is given, to the phrases it contains."""
        own = list(tokens)
        seen = set(own)
        extra: list[str] = []
        alternatives = [alt for token in own for alt in self.of(token)]
        # A phrase of the question brings in its one-word alternatives ("straight away" -> "immediately"):
        # the words of a longer one ("adult with care and support needs") are each too common alone.
        phrased = [alt for alt in self.in_phrases(text) if len(alt) == 1] if text else []
        for alternative in alternatives + phrased:
            for word in alternative:
                if word not in seen:
                    seen.add(word)
                    extra.append(word)
        return extra

    def spelled_out(self, text: str) -> str:
        """`text` with each abbreviation followed by its long form, for the dense encoder."""
        words = text.split()
        out: list[str] = []
        for word in words:
            out.append(word)
            long_form = self.long_forms.get(word.strip("?,.!:;()'\"").lower())
            if long_form:
                out.append(f"({long_form})")
        return " ".join(out)

    def found(self, token: str, words: set[str]) -> bool:
        """Is `token`, or one of its alternatives (all of a phrase's words), among `words`?"""
        return token in words or any(alt and all(w in words for w in alt) for alt in self.of(token))


def build_vocabulary(data: dict[str, object]) -> Vocabulary:
    groups: list[list[str]] = []
    long_forms: dict[str, str] = {}
    abbreviations = data.get("abbreviations") or {}
    if not isinstance(abbreviations, dict):
        raise ValueError("vocabulary.yaml: abbreviations must be a mapping of short: long form")
    for short, long_form in abbreviations.items():
        long_forms[str(short).lower()] = str(long_form)
        groups.append([str(short), str(long_form)])
        # "SCRs", "DSLs": the plural of an abbreviation means the same.
        plural = f"{short}s".lower()
        if plural not in abbreviations and not str(short).lower().endswith("s"):
            long_forms.setdefault(plural, str(long_form))
            groups.append([plural, str(long_form)])
    synonyms = data.get("synonyms") or []
    if not isinstance(synonyms, list):
        raise ValueError("vocabulary.yaml: synonyms must be a list of groups such as [ring, call, phone]")
    for group in synonyms:
        if not isinstance(group, list):
            raise ValueError(f"vocabulary.yaml: synonym group {group!r} must be a list")
        groups.append([str(member) for member in group])
    alternatives: dict[str, list[Alternative]] = {}
    phrases: dict[Phrase, list[Alternative]] = {}
    for group in groups:
        members = [tuple(tokenize(member)) for member in group]
        for member, text in zip(members, group, strict=True):
            others = [m for m in members if m and m != member]
            words = tuple(stemmed_words(text))
            if len(member) == 1:  # one content word ("how long" -> "long"): its alternatives, as before
                key = member[0]
                for other in others:
                    if other not in alternatives.setdefault(key, []):
                        alternatives[key].append(other)
            if len(words) > 1:  # a phrase, looked up as a whole in the question's words
                for other in others:
                    if other not in phrases.setdefault(words, []):
                        phrases[words].append(other)
    by_first: dict[str, list[tuple[Phrase, tuple[Alternative, ...]]]] = {}
    for words, others in phrases.items():
        by_first.setdefault(words[0], []).append((words, tuple(others)))
    written = frozenset(word for group in groups for member in group for word in _WORD.findall(member.lower()))
    return Vocabulary({k: tuple(v) for k, v in alternatives.items()}, long_forms,
                      {k: tuple(v) for k, v in by_first.items()}, written)


@cache
def vocabulary() -> Vocabulary:
    path = prompts_dir() / "vocabulary.yaml"
    if not path.exists():
        return Vocabulary()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path} must be a mapping with abbreviations and synonyms")
    return build_vocabulary(data)


# A place named as what the question is about ("the LADO in Manchester", "Kent's threshold document",
# "the Sandwell family hub"), not as where someone came from or is going ("a child from Leeds",
# "moving to Kent"): those questions are about this area's procedure and stay answerable.
_ORIGIN_OR_DESTINATION = frozenset({"from", "to"})
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Places:
    names: tuple[tuple[str, ...], ...] = ()  # each place as its lower-case words, longest first

    def named(self, text: str) -> list[str]:
        """The places `text` asks about, as written in prompts/places.yaml's words."""
        words = _WORD.findall(text.lower().replace("'s", ""))
        found: list[str] = []
        position = 0
        while position < len(words):
            for name in self.names:
                if tuple(words[position : position + len(name)]) == name:
                    if position == 0 or words[position - 1] not in _ORIGIN_OR_DESTINATION:
                        found.append(" ".join(name))
                    position += len(name) - 1
                    break
            position += 1
        return found


def build_places(data: dict[str, object]) -> Places:
    names = data.get("places") or []
    if not isinstance(names, list):
        raise ValueError("places.yaml: places must be a list of place names")
    words = {tuple(_WORD.findall(str(name).lower())) for name in names}
    return Places(tuple(sorted((w for w in words if w), key=lambda w: (-len(w), w))))


@cache
def places() -> Places:
    path = prompts_dir() / "places.yaml"
    if not path.exists():
        return Places()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path} must be a mapping with a list of places")
    return build_places(data)


# Query expansion from the corpus itself: a question word the documents never use ("cops",
# "hospitalised") is searched as the documents' words nearest to it in meaning (bot/index/words.py),
# beside the vocabulary's alternatives.
def neighbours(text: str, known: Callable[[str], bool], words: CorpusWords,
               encode: Callable[[str], np.ndarray]) -> list[str]:
    """The documents' words nearest in meaning to each word of `text` that the documents never use
    and the vocabulary has no other word for."""
    found: list[str] = []
    asked: set[str] = set()
    for word, token in word_forms(text):
        if token in asked or known(token) or vocabulary().of(token) or token.isdigit():
            continue
        asked.add(token)
        if len(word) < MIN_WORD_LENGTH or not word.isalpha():
            continue
        found.extend(t for t in words.near_word(word, encode) if t not in found)
    return found


def corpus_expansion(index: KnowledgeIndex, text: str, encode_query: Callable[[str], np.ndarray]) -> list[str]:
    """The documents' words nearest in meaning to the words of `text` they never use (see `neighbours`)."""
    keyword = index.keyword
    if not any(keyword.idf(token) == 0.0 and not vocabulary().of(token) and not token.isdigit()
               for token in tokenize(text)):
        return []
    return neighbours(text, lambda token: keyword.idf(token) > 0.0, documents_words(index, encode_query),
                      encode_query)


def documents_words(index: KnowledgeIndex, encode_query: Callable[[str], np.ndarray] | None = None) -> CorpusWords:
    """The index's words with their embeddings (`bot.index.words.corpus_words`): read from beside the index,
    where its ingest kept them, or embedded with `encode_query`'s model (the shared one if not given) when
    an index made before they were kept lacks them."""
    def encode(texts: list[str]) -> np.ndarray:
        if encode_query is None:
            from bot.index.embeddings import shared_embedder

            return np.asarray(shared_embedder().encode(texts), dtype=np.float32)
        # The model's batch encoder when the question encoder is one's method (it is in the service).
        batch = getattr(getattr(encode_query, "__self__", None), "encode", None)
        if callable(batch):
            return np.asarray(batch(texts), dtype=np.float32)
        return np.vstack([encode_query(t) for t in texts])

    return corpus_words(index, encode)
