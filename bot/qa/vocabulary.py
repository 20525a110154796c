"""Practitioners' words and the documents' words: abbreviations and synonyms kept as data.

People ask "who do I ring?", "do I need mum's permission?", "DSL is off"; the documents say
"call", "consent", "designated safeguarding lead". `prompts/vocabulary.yaml` lists such groups;
this module turns them into stemmed alternatives so that retrieval can search for them and the
answer and abstention rules can count a question word as found when an alternative is found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import yaml

from bot.index.tokens import tokenize
from bot.prompts import prompts_dir

Alternative = tuple[str, ...]  # the stemmed tokens of one word or phrase


@dataclass(frozen=True)
class Vocabulary:
    alternatives: dict[str, tuple[Alternative, ...]] = field(default_factory=dict)
    long_forms: dict[str, str] = field(default_factory=dict)  # "dsl" -> "designated safeguarding lead"

    def of(self, token: str) -> tuple[Alternative, ...]:
        """Other ways of saying `token` (a stemmed question word)."""
        return self.alternatives.get(token, ())

    def expansion(self, tokens: Iterable[str]) -> list[str]:
        """Tokens to search for besides the question's own: every alternative's words, once."""
        own = list(tokens)
        seen = set(own)
        extra: list[str] = []
        for token in own:
            for alternative in self.of(token):
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
    groups: list[list[Alternative]] = []
    long_forms: dict[str, str] = {}
    abbreviations = data.get("abbreviations") or {}
    if not isinstance(abbreviations, dict):
        raise ValueError("vocabulary.yaml: abbreviations must be a mapping of short: long form")
    for short, long_form in abbreviations.items():
        long_forms[str(short).lower()] = str(long_form)
        groups.append([tuple(tokenize(str(short))), tuple(tokenize(str(long_form)))])
        # "SCRs", "DSLs": the plural of an abbreviation is not stemmed; it means the same.
        plural = f"{short}s".lower()
        if plural not in abbreviations and not str(short).lower().endswith("s"):
            long_forms.setdefault(plural, str(long_form))
            groups.append([tuple(tokenize(plural)), tuple(tokenize(str(long_form)))])
    synonyms = data.get("synonyms") or []
    if not isinstance(synonyms, list):
        raise ValueError("vocabulary.yaml: synonyms must be a list of groups such as [ring, call, phone]")
    for group in synonyms:
        if not isinstance(group, list):
            raise ValueError(f"vocabulary.yaml: synonym group {group!r} must be a list")
        groups.append([tuple(tokenize(str(member))) for member in group])
    alternatives: dict[str, list[Alternative]] = {}
    for members in groups:
        members = [m for m in members if m]
        for member in members:
            if len(member) != 1:
                continue  # a phrase is an alternative to single words, never looked up itself
            key = member[0]
            for other in members:
                if other != member and other not in alternatives.setdefault(key, []):
                    alternatives[key].append(other)
    return Vocabulary({k: tuple(v) for k, v in alternatives.items()}, long_forms)


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
