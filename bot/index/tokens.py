"""Tokens and sentences, shared by the keyword index, answer extraction and abstention."""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

_TOKEN = re.compile(r"[a-z0-9]+(?:[',.][a-z0-9]+)*")

# "tell" is a content word: "who do I tell?" is how practitioners ask whom to report to (prompts/
# vocabulary.yaml maps it to report/refer). "told" stays a stopword: "a pupil told me something" is the
# frame of nearly every disclosure question, and counted as a word it drowned the question's own words.
# "often", "instead", "still", "sort", "bit", "pretty", "couple", "ago" are the frame of a
# question ("how often…", "a bit of…", "years ago"): counted as words, they made answerable questions look
# as if they used words the documents never use.
# Irregular forms are left to Snowball ("goes" stays "goe", "children" "children"): read as their word
# ("go", "child", "write", "take"), or "go" as a stopword like "get", they lost passages and answers on
# the development sets (issue 8, tokenizer measurements of the vocabulary branch).
STOPWORDS = frozenset(
    """happen happens happened happening mean means meant
    a about all am an and any are as at be because been being below between both but by can could did do
    does doing during each few for from had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no now of on once or other our ours
    ourselves own same she should so some such than that the their theirs them themselves then there
    these they this those through to too until very was we were what when where which while who whom why
    will with would you your yours yourself yourselves shall may might must also us get got told
    please thing things often instead still sort bit pretty couple ago
    s t d ll re ve m o y one thanks thank not actually really basically literally ok okay
    hello hi hey hiya cheers
    anyone anybody anything someone somebody something everyone everybody everything nobody nothing""".split()
)


_STEMMER = snowballstemmer.stemmer("english")

# An abbreviation's plural ("LSCBs", "SCRs", "PDFs"): no vowel to stem by, so Snowball keeps the "s".
_ABBREVIATION_PLURAL = re.compile(r"[b-df-hj-np-tv-z]{2,}s")


# Each word's stem, once stemmed (Snowball in Python takes ~40 µs a word: the few hundred new words of the
# passages a question finds took ~10 ms of its answer) or once learnt from the index's words, which its
# ingest stemmed (`remember_stems`). Vocabularies are small; past this size it starts again.
STEM_CACHE = 200_000
_STEMS: dict[str, str] = {}


def _stem(word: str) -> str:
    stem = _STEMS.get(word)
    if stem is None:
        stem = _stem_now(word)
        if len(_STEMS) >= STEM_CACHE:
            _STEMS.clear()
        _STEMS[word] = stem
    return stem


@cache
def stemmer_fingerprint() -> str:
    """What made the stems: this module and Snowball's English stemmer, as code. Stems kept with an index are
    used only by the same code, so that a word is never read with a stem today's stemmer would not give it."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    snowball = sys.modules[type(_STEMMER).__module__].__file__
    digest.update(Path(snowball).read_bytes() if snowball else b"")
    return digest.hexdigest()[:16]


def remember_stems(words: Sequence[str], stems: Sequence[str], fingerprint: str) -> bool:
    """Learn the stems of `words` (as `stemmer_fingerprint()` `fingerprint` stemmed them), unless they were
    stemmed by other code; whether they were learnt."""
    if fingerprint != stemmer_fingerprint() or len(words) != len(stems):
        return False
    if len(_STEMS) + len(words) > STEM_CACHE:
        _STEMS.clear()
    _STEMS.update(zip(words[:STEM_CACHE], stems[:STEM_CACHE], strict=True))
    return True


def _stem_now(word: str) -> str:
    """English Snowball stem ("contribute", "contribution" -> "contribut").

    Besides Snowball: an abbreviation's plural is read as the abbreviation ("SCRs" -> "scr"), and two
    regular endings Snowball stems apart from the word they inflect are stemmed together:
    "staffed"/"staffing" ("staf", "staff": English never doubles an f to inflect), and an -ed/-ing form of
    a word in -e whose suffix Snowball only sees with the e ("experienced" -> "experienc", "experience" ->
    "experi"; "evidencing", "referenced").
    """
    if word.isdigit():
        return word
    if _ABBREVIATION_PLURAL.fullmatch(word):
        return word[:-1]
    stem = str(_STEMMER.stemWord(word))
    ending = "ed" if word.endswith("ed") else "ing" if word.endswith("ing") else ""
    if ending:
        base = word[: -len(ending)]
        if base.endswith("ff"):
            return str(_STEMMER.stemWord(base))
        if len(base) >= 5:
            with_e = str(_STEMMER.stemWord(base + "e"))
            if len(with_e) < len(stem) and stem.startswith(with_e):
                return with_e
    return stem


# Contractions as people type them, with or without the apostrophe: "what's"/"whats" is "what",
# "can't"/"cant" is "can" + "not", "mum's" is "mum". Left whole they become words the documents
# never use ("whats", "cant"), which retrieval ignores and abstention counts against the question.
_CLITICS = {"s": "", "re": "", "ve": "", "ll": "", "d": "", "m": ""}
_NEGATED = {"can": "can", "won": "will", "shan": "shall", "ain": "is"}
RUN_TOGETHER = {
    "whats": "what", "thats": "that", "whos": "who", "hows": "how", "wheres": "where", "whens": "when",
    "theres": "there", "hes": "he", "shes": "she", "till": "until", "thru": "through",
    "heres": "here", "its": "it", "im": "i", "ive": "i", "youre": "you", "youve": "you",
    "theyre": "they", "theyve": "they", "weve": "we", "wat": "what", "wot": "what", "u": "you", "ur": "your",
    "pls": "please", "plz": "please", "ta": "thanks",
    "dont": "do not", "doesnt": "does not", "didnt": "did not", "cant": "can not", "wont": "will not",
    "isnt": "is not", "arent": "are not", "wasnt": "was not", "werent": "were not", "shouldnt": "should not",
    "wouldnt": "would not", "couldnt": "could not", "havent": "have not", "hasnt": "has not",
    "hadnt": "had not", "mustnt": "must not", "neednt": "need not",
}


# A number run into its unit as people type it: "12yo" is "12 yo" (year old), "2nd" is "2".
_NUMBER_UNIT = re.compile(r"^(\d+)(yo|yrs?|st|nd|rd|th)$")
_ORDINAL = frozenset({"st", "nd", "rd", "th"})


def _words(raw: str) -> list[str]:
    """`raw` (one token of `_TOKEN`) as the words it stands for."""
    number_unit = _NUMBER_UNIT.match(raw)
    if number_unit:
        number, unit = number_unit.groups()
        return [number] if unit in _ORDINAL else [number, unit]
    if "'" in raw:
        base, _, clitic = raw.partition("'")
        if clitic == "t" and base.endswith("n"):  # n't
            return [_NEGATED.get(base, base[:-1]), "not"]
        if clitic in _CLITICS:
            return [base]
    if raw in RUN_TOGETHER:
        return RUN_TOGETHER[raw].split()
    return [raw]




def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed content words. Numbers keep their digits ("38,400" -> "38400")."""
    if len(text) <= LINE_CHARS:
        return list(_line_tokens(text))
    return [token for _, token in word_forms(text)]


# A line is read several times while one question is answered (for abstention, for choosing what to
# quote, as the line before another, as a list's lead-in), and the lines of the passages a question
# finds are read again by the next question that finds them: a line's tokens are kept once read.
# Lines only (a passage's words are stored in the catalog): a few MB at most.
LINE_CHARS = 600
LINE_CACHE = 8192


@lru_cache(maxsize=LINE_CACHE)
def _line_tokens(text: str) -> tuple[str, ...]:
    return tuple(token for _, token in word_forms(text))


def word_forms(text: str) -> list[tuple[str, str]]:
    """(word as written, lower-cased; its token) for each content word of `text`, in order: the
    words behind `tokenize(text)`, for reading a token as a word again."""
    forms: list[tuple[str, str]] = []
    for raw in _TOKEN.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'")):
        for part in _words(raw):
            word = part.replace(",", "").replace(".", "").replace("'", "")
            if word and word not in STOPWORDS and part not in STOPWORDS:
                forms.append((word, _stem(word)))
    return forms


def stemmed_words(text: str) -> list[str]:
    """Every word of `text` in order, stemmed like `tokenize`'s, stopwords kept: for matching phrases
    such as "on their own" or "straight away", whose words alone say little or nothing."""
    words: list[str] = []
    for raw in _TOKEN.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'")):
        for part in _words(raw):
            word = part.replace(",", "").replace(".", "").replace("'", "")
            if word:
                words.append(_stem(word))
    return words


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9'\"(])")
_SECTION_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.$")


def split_line(line: str) -> list[str]:
    """The sentences of one line of text. A section number is not a sentence: "5. Using Texts and
    Emails" is one heading, not "5." and "Using Texts and Emails"."""
    pieces: list[str] = []
    for piece in (s.strip() for s in _SENTENCE_SPLIT.split(line)):
        if not piece:
            continue
        if pieces and _SECTION_NUMBER.match(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


def sentences(text: str) -> list[str]:
    """Sentences, list items and table rows of a chunk, each a quotable unit."""
    units: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith("- ") or " | " in line:
            units.append(line)
        else:
            units.extend(split_line(line))
    return units
