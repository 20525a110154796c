"""What a question asks for, and whether a sentence carries that kind of fact.

"When…?", "how long…?" want a time or a deadline; "who…?", "what's the number…?" want a
name, a role, a phone number or an email; "how many…?" wants a number; "can I…?", "should
I…?", "do I need…?" want the rule. The answer prefers sentences that carry what was asked
for: "what is the MASH phone number?" is answered by the line with the number, not by
"phone the same number".
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from bot.index.tokens import tokenize, word_forms
from bot.index.units import passage_units
from bot.qa.vocabulary import places

Want = Literal["time", "contact", "count", "rule"]

_ASKS: dict[Want, re.Pattern[str]] = {
    "time": re.compile(
        r"\b(?:when|how (?:long|soon|quick(?:ly)?|fast|often)|(?:what|which) (?:times?|days?|hours)|deadline|"
        r"timescales?|time ?frame|by when|how many (?:days|hours|weeks|months)|opening hours|open|shut|close)\b",
        re.IGNORECASE),
    "contact": re.compile(
        r"\b(?:who|whom|which (?:team|number|person|service)|numbers?|phone (?:no|number)|contact (?:details|number)|"
        r"(?:email|e-mail) address|address|get hold of|tel(?:ephone)?(?: no)?)\b", re.IGNORECASE),
    "count": re.compile(r"\bhow (?:many|much)\b", re.IGNORECASE),
    "rule": re.compile(
        r"^\s*(?:can|could|should|must|may|do|does|am|is|are|will|have)\b|"
        r"\b(?:can|should|must|may) (?:i|we|they|you|he|she)\b|"
        r"\b(?:do|does) (?:i|we|they|you|he|she) (?:still |really |actually |even |always |also |just |ever )?"
        r"(?:need|have) to\b|\ballowed\b|"
        r"\b(?:ok|okay|alright|fine) (?:to|for)\b|"
        r"\bis it (?:ok|okay|alright|fine|legal|right)\b|\bneed to\b|"
        r"\bwhat (?:do|should|can|must|shall) (?:i|we|they|you|he|she)\b|\bwhat (?:now|next)\b|\bwhat to do\b",
        re.IGNORECASE),
}
# "Phone" and "email" alone name what the question is about, not a contact it asks for, unless
# nothing else is asked: "skelton club welfare officer phone?" wants the number; "can I just email
# the front door the referral?" wants the rule. A "non-mobile baby" is one not yet crawling.
_CONTACT_NOUN = re.compile(r"\b(?:phone|e-?mail|(?<!non )(?<!non-)mobile)\b", re.IGNORECASE)

# A UK phone number and an email address as written in the documents; read by several patterns below.
_UK_PHONE = r"\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,5}\b"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|\d+)"
# How often something happens answers "how often…?" and "when…?": "annually", "each year", "twice a year",
# "six times per year", "every 6 weeks", "every other month".
_PERIOD = r"(?:years?|months?|weeks?|days?|terms?|quarters?|fortnights?|annum)"
_FREQUENCY = (
    r"\b(?:daily|weekly|fortnightly|monthly|quarterly|termly|annually|yearly|bi-?annually|bi-?monthly|"
    r"twice-yearly|half-yearly|six-monthly)\b|"
    rf"\b(?:each|every|per) (?:(?:other|{_NUMBER_WORDS}) )?{_PERIOD}\b|"
    rf"\b(?:once|twice|{_NUMBER_WORDS} times) (?:a|an|per|each|every) {_PERIOD}\b")
# A month is a time only where it dates something: beside a day or a year ("12 May", "May 2024", "March 3rd")
# or after a word that places something in the calendar ("in May", "by the end of March", "each April").
# Alone, "may" is a verb ("you may need to…") and "march" can be one.
_MONTHS = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_MONTH_DATE = (
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?: of)? {_MONTHS}\b|\b{_MONTHS},? (?:\d{{1,2}}(?:st|nd|rd|th)?|(?:19|20)\d{{2}})\b|"
    rf"\b(?:in|by|from|until|till|since|during|before|after|each|every|early|late|mid|end of|start of|"
    rf"beginning of|this|next|last)[ -]{_MONTHS}\b")
_CARRIES: dict[Want, re.Pattern[str]] = {
    "time": re.compile(
        rf"\b{_NUMBER_WORDS}\s*(?:working\s+|calendar\s+|school\s+)?(?:minutes?|hours?|days?|weeks?|months?|years?)\b|"
        r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)\b|\bsame (?:working )?day\b|\bnext working day\b|\bimmediately\b|"
        r"\bstraight away\b|\bas soon as\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b|"
        r"\bweekends?\b|\bbank holidays?\b|\bout of hours\b|"
        rf"{_FREQUENCY}|{_MONTH_DATE}|\b(?:19|20)\d{{2}}\b|"
        rf"\bwithin (?:a|an|the (?:next|same)|{_NUMBER_WORDS})\b|"
        r"\bby the (?:end|close)\b",
        re.IGNORECASE),
    "contact": re.compile(
        rf"{_UK_PHONE}|\b999\b|\b101\b|\b0800\b|{_EMAIL}|"
        r"\b(?:officer|team|lead|manager|hub|service|line|designated|front door|social worker|police|"
        r"helpline|duty|worker|person)\b", re.IGNORECASE),
    "count": re.compile(rf"\b{_NUMBER_WORDS}\b", re.IGNORECASE),
    "rule": re.compile(
        r"\b(?:must|should|shall|need(?:s)? to|needn't|do not|don't|does not|never|always|cannot|can't|can|may|"
        r"required|have to|has to|only|not|unless|without|allowed)\b", re.IGNORECASE),
}
# How strongly each kind of fact is preferred: a phone number in a "what's the number" question is
# almost certainly the answer; a modal verb in a "should I" question only hints at the rule.
STRENGTH: dict[Want, float] = {"time": 0.25, "contact": 0.3, "count": 0.2, "rule": 0.12}
_STRONG_CONTACT = re.compile(rf"{_UK_PHONE}|\b999\b|\b101\b|{_EMAIL}")


# A personal name ("The Registered Manager, Patricia Nettleford", "The Club Safeguarding Officer is
# Toby Batch, his…") answers "who is the designated person?" as a number answers "what's the
# number?": two capitalised words after "is", a comma or a colon, ending there.
_NAME = re.compile(r"(?:\bis|,|:)\s+(?:(?:Mrs?|Ms|Miss|Dr)\.?\s+)?"
                   r"([A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?=\s*(?:[,.;(]|$))")
_NOT_NAME_WORDS = frozenset(
    """officer lead leads manager managers team person persons people director service services council
    board partnership authority social care children adults adult child police court hub line unit group
    welfare safeguarding designated local county club association school trust agency health hospital
    department centre center office policy procedure act framework review panel england wales""".split()
)

# The question's own words for the kind of fact it wants: a line that carries a phone number has
# answered "phone", "number" and "contact" even when it says "T: 07815 889215".
_ASK_WORDS: dict[Want, tuple[str, ...]] = {
    "time": ("long", "soon", "quick", "quickly", "time", "timescale", "timescales", "deadline", "timeframe", "often",
             "opening", "hours", "open", "shut", "close"),
    "contact": ("phone", "number", "numbers", "contact", "email", "telephone", "tel", "ring", "call", "details",
                "address", "who"),
    "count": ("many", "much", "number"),
    "rule": (),
}


NAME_STRENGTH = 1.0  # a named person answers "who" as surely as a number answers "which number"


def has_name(sentence: str) -> bool:
    """Does the sentence name a person?"""
    for match in _NAME.finditer(sentence):
        words = re.split(r"[ -]", match.group(1).casefold())
        if not any(word in _NOT_NAME_WORDS for word in words):
            return True
    return False


@lru_cache(maxsize=8)
def _ask_tokens(want: Want) -> frozenset[str]:
    return frozenset(tokenize(" ".join(_ASK_WORDS[want])))


# Only unmistakable facts stand in for the question's words: a phone number or an email, a
# duration or a deadline. A year or a weekday in a sentence says little about "how long".
_UNMISTAKABLE: dict[Want, re.Pattern[str]] = {
    "contact": _STRONG_CONTACT,
    "time": re.compile(
        rf"\b{_NUMBER_WORDS}\s*(?:working\s+|calendar\s+|school\s+)?(?:minutes?|hours?|days?|weeks?|months?)\b|"
        r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)\b|\bsame (?:working )?day\b|\bnext working day\b|"
        r"\bby the (?:end|close)\b", re.IGNORECASE),
}


# Timescales that are not a number of days: "immediately", "as soon as possible", "every year".
_TIMESCALE = re.compile(
    r"\bimmediately\b|\bstraight away\b|\bas soon as\b|\b(?:daily|weekly|monthly|quarterly|annually|yearly)\b|"
    rf"\bevery (?:year|month|week|day|quarter)\b|\bwithin (?:a|an|the (?:next|same)|{_NUMBER_WORDS})\b|"
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)\b",
    re.IGNORECASE)
CALENDAR_STRENGTH = 0.5
_DEADLINE_QUESTION = re.compile(
    r"\bhow (?:long|soon|quick(?:ly)?|fast)\b|\bdeadline|\btimescales?\b|\btime ?frame|\bby when\b|"
    r"\b(?:be |get it |send it |go )?in by\b|\bby\W*$|\bhow (?:many|much) (?:time|days|hours|weeks)\b",
    re.IGNORECASE)


def satisfied_words(question_wants: list[Want], sentence: str) -> frozenset[str]:
    """The question's words that a sentence answers by carrying the fact asked for."""
    found: frozenset[str] = frozenset()
    for want in question_wants:
        pattern = _UNMISTAKABLE.get(want)
        if pattern is not None and pattern.search(sentence):
            found |= _ask_tokens(want)
    return found


def wants(question: str) -> list[Want]:
    """The kinds of fact the question asks for, most specific first."""
    found = [want for want, pattern in _ASKS.items() if pattern.search(question)]
    if not found and _CONTACT_NOUN.search(question):
        found = ["contact"]
    if "count" in found and "time" in found and not re.search(r"how many (?:days|hours|weeks|months)", question, re.I):
        found.remove("time")
    return found


def carries(want: Want, sentence: str) -> float:
    """How well `sentence` carries a fact of the kind `want` (0 to 1)."""
    if want == "contact":
        if _STRONG_CONTACT.search(sentence):
            return 1.0
        if has_name(sentence):
            return NAME_STRENGTH
        return 0.3 if _CARRIES["contact"].search(sentence) else 0.0
    return 1.0 if _CARRIES[want].search(sentence) else 0.0


def asks_for_a_deadline(question: str) -> bool:
    """"How long have I got…?", "when does the MARF need to be in by?": a timescale, not a date."""
    return bool(_DEADLINE_QUESTION.search(question))


def fit(question_wants: list[Want], sentence: str, *, deadline: bool = False) -> float:
    """The bonus a sentence earns for carrying what the question asks for. Asked for a deadline, a
    line that only names a weekday, a month or "out of hours" earns half: it places something in
    the calendar, it does not say how long there is."""
    def strength(want: Want) -> float:
        found = carries(want, sentence)
        if want == "time" and deadline and found and not _UNMISTAKABLE["time"].search(sentence) \
                and not _TIMESCALE.search(sentence):
            found *= CALENDAR_STRENGTH
        return STRENGTH[want] * found

    return max((strength(want) for want in question_wants), default=0.0)


# Some questions can only be answered with a fact of a kind that is unmistakable in writing: a phone
# number, an email address or a postcode ("whats the phone number for…", "…postcode"), a fax number (a
# number the line says is a fax: "fax number for the front door" is not answered by the front door's phone),
# a sum of money ("how much does… cost", "the salary band", "weekly allowance", "fees", "what do they pay")
# or a grade ("the ofsted rating for…"). When none of the passages found carries one, no line quoted from
# them can state it, however close the passages are to the question's topic: these are the near misses
# made of the documents' own words (tests/knowledge/data/*_scope2_*.jsonl). A device ("a pic on my
# phone", "over the phone") or a verb ("email the front door") asks for nothing.
# Times, numbers and capitalised words are on nearly every page, so a count, a date, a time of day, a
# name or an address is required only where the question's words leave no other answer, and is carried
# only where it is written as that fact: "what time does… open" wants a clock time; "how many referrals…"
# a number written before the things counted ("1,200 referrals", "three safeguarding partners"); "when's
# the next meeting" a date on a line about the thing asked after (a year elsewhere on the page dates
# something else); "whats the name of the team manager" a personal name; "where is the business unit
# office" a street address or a postcode. A deadline ("when does it have to be in by"), a date in the past
# ("when was it launched"), opening hours and "who is the chair / scrutineer / officer" are not read this
# way: the documents answer them in words ("the next working day", "in the autumn", "the Independent
# Chair"), or the passage that does was not among those found.
Required = Literal[
    "phone", "fax", "email", "postcode", "money", "rating", "clock", "count", "date", "name", "address"]
_REQUIRES: dict[Required, re.Pattern[str]] = {
    "phone": re.compile(r"\b(?:(?:tele)?phone|mobile|fax) (?:no|number|numbers)\b|\bfax\b", re.IGNORECASE),
    # A fax number is a number given as a fax: "fax number for the front door" is not answered by its phone
    # ("can I fax the referral?" asks for the rule, not for a number).
    "fax": re.compile(r"\bfax (?:no|number|numbers)\b|\b(?:what(?:'s|s| is)?|whats) (?:the|their|a|an) fax\b",
                      re.IGNORECASE),
    "email": re.compile(
        r"\be-?mail\b(?!\s+(?:the|them|it|him|her|me|us|my|our|your|a|an|to|through|in|over|or|and)\b)",
        re.IGNORECASE),
    "postcode": re.compile(r"\bpost ?codes?\b", re.IGNORECASE),
    "money": re.compile(
        r"\bhow much (?:do|does|did|is|are|will|would)\b.*\b(?:cost|costs|pay|paid|charge|charged|spend|spent)\b|"
        r"\b(?:salary|salaries|fees?|allowances?|prices?|wages?|pay (?:band|scale|grade|rate))\b|"
        r"\bwhat (?:do|does|did|will|would) \w+(?: \w+)? pay\b(?! attention)|\bhow much (?:funding|money)\b",
        re.IGNORECASE),
    # An inspection grade or a RAG rating asked for ("what's the ofsted rating for…", "what did ofsted rate…"),
    # not one the practitioner already has ("the front door gave my referral an amber rating, what does
    # that mean").
    "rating": re.compile(
        r"\b(?:what(?:'s|s| is| was)?|whats)\b[^?.]*\b(?:rating|grade)\b|\b(?:rating|grade) (?:for|of)\b|"
        r"\bwhat did \w+ (?:rate|grade|judge)\b|\b(?:ofsted|cqc|inspection) (?:rating|grade|judgement|result)s?\b",
        re.IGNORECASE),
    # A time of day: "what time does the MASH open", "what times are the sessions" (not "what time frame").
    "clock": re.compile(r"\bwhat times?\b(?!\s*(?:frame|scale))|\bsession times\b", re.IGNORECASE),
    "count": re.compile(r"\bhow many\b", re.IGNORECASE),
    # A calendar date: the next one ("when's the next DSPPB meeting"), the last one ("when was it last
    # reviewed"), or one asked for by name ("what date", "what year").
    "date": re.compile(
        r"\bwhen(?:'s|s| is| are| was| were| will)?(?: the| their| our| your)? next\b|\b(?:what|which) (?:date|year)\b|"
        r"\bwhen (?:was|were|did)\b[^?.]*\blast\b",
        re.IGNORECASE),
    # A person's name, asked for as a name: "whats the name of the team manager", "who is…, whats their name".
    "name": re.compile(
        r"\b(?:their|his|her) name\b|"
        r"\bname of (?:the|our|their|your|a)\b[^?.]*\b(?:manager|officer|lead|chair|person|worker|head|director|"
        r"scrutineer|co-?ordinator|nurse|doctor|teacher|adviser|advisor|lado|dsl)s?\b",
        re.IGNORECASE),
    # Where an office or a building is: a street address or a postcode ("where is the business unit office").
    "address": re.compile(
        r"\bwhere(?:'s|s| is| are)\b[^?.]*\b(?:office|offices|building|headquarters|hq|premises)\b|"
        r"\b(?:office|postal|street|home) address\b",
        re.IGNORECASE),
}
_REQUIRED_CARRIED: dict[Required, re.Pattern[str]] = {
    "phone": re.compile(_UK_PHONE),
    # A number on a line that says it is a fax ("Fax: 01632 960999", "01632 960999 (fax)").
    "fax": re.compile(rf"\bfax\b[^\n]*?{_UK_PHONE}|{_UK_PHONE}[^\n]*?\bfax\b", re.IGNORECASE),
    "email": re.compile(_EMAIL),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"),  # a UK postcode
    # A sum: "£150", "150 pounds", a figure with thousands ("38,400" in a budget table), "free", "no charge".
    "money": re.compile(
        r"£\s?\d|\b\d[\d,.]*\s?(?:pounds|k)\b|\b\d{1,3}(?:,\d{3})+\b|\bfree\b|\bno (?:charge|cost|fee)s?\b",
        re.IGNORECASE),
    # An inspection grade (Outstanding, Good, Requires improvement, Inadequate: "good" only beside a word of
    # rating, it is on every page) or a RAG colour.
    "rating": re.compile(
        r"\b(?:outstanding|requires improvement|inadequate|red|amber|green)\b|"
        r"\b(?:rated|rating|judged|judgement|graded|grade)\b[^.\n]*\bgood\b|"
        r"\bgood\b[^.\n]*\b(?:rated|rating|judged|judgement|graded|grade)\b",
        re.IGNORECASE),
    "clock": re.compile(
        r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}[:.]\d{2}\b|\b(?:noon|midday|midnight)\b",
        re.IGNORECASE),
    # A month by its capitalised name ("may" is a verb), a year, a date in figures.
    "date": re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
                       r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b|\b(?:19|20)\d{2}\b|"
                       r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    "address": re.compile(
        r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|\bP\.?O\.? Box\b|"
        r"\b\d+[a-z]?,? (?:[A-Z][a-z]+ )+(?:Road|Street|Lane|Avenue|Way|Place|Square|Drive|Close|Court|Row|Hill|"
        r"Gardens|Terrace|Crescent|Parade)\b"),
}
# A number, in figures or words, that may count something.
_COUNT = re.compile(rf"{_NUMBER_WORDS}|eleven|thirty|forty|fifty|hundreds?|thousands?|\d[\d,]*", re.IGNORECASE)
_COUNTED_WITHIN = 3  # words between a number and the things it counts ("three local safeguarding partners")
# A personal name as `_NAME` reads one, also where a line begins with it (a contacts list's "Toby Batch",
# "Lin Blakelock (link)") or a sentence goes on after it ("… is Mike Dennis and he can be contacted on…").
_PERSON_NAME = r"(?:(?:Mrs?|Ms|Miss|Dr)\.?\s+)?([A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
_PERSON = re.compile(rf"^\s*{_PERSON_NAME}(?=\s*(?:[(,]|$))|"
                     rf"(?:\bis|\bby|,|:|\||-)\s*{_PERSON_NAME}(?=\s*(?:[,.;:(|]|$|\s(?:and|who|is|on|at|via)\b))")


def required_kinds(question: str) -> list[Required]:
    """The unmistakable kinds of fact (`_REQUIRES`) that the question can only be answered with."""
    return [kind for kind, pattern in _REQUIRES.items() if pattern.search(question)]


def carries_required(kind: Required, text: str, question: str = "") -> bool:
    """Does the passage `text` carry the kind of fact `question` can only be answered with? A count, a name,
    a date and a sum are read line by line (a sentence, a list item, a table row), with the question's words."""
    if kind == "count":
        return _counts(question, text)
    if kind == "name":
        return any(_names_someone(line) for line in _lines(text))
    if kind in ("date", "money"):
        return _on_a_line_asked_about(kind, question, text)
    return bool(_REQUIRED_CARRIED[kind].search(text))


def _lines(text: str) -> list[str]:
    return [unit.text for unit in passage_units(text)]


def _names_someone(line: str) -> bool:
    """A personal name on the line ("… is Toby Batch,", a contacts list's "Toby Batch"), not a place
    ("…, North Tyneside, Sunderland")."""
    for match in _PERSON.finditer(line):
        name = match.group(1) or match.group(2)
        words = re.split(r"[ -]", name.casefold())
        if not any(word in _NOT_NAME_WORDS for word in words) and not places().named(name):
            return True
    return False


def _counts(question: str, text: str) -> bool:
    """A number written just before the things "how many…" counts: "how many referrals" is answered by
    "1,240 referrals", "how many days" by "15 working days", not by a phone number on the same page."""
    asked = re.search(r"\bhow many\s+(.*)", question, re.IGNORECASE)
    # The words naming what is counted: "how many foster carers does…" counts foster carers.
    counted: set[str] = set()
    for word in re.findall(r"[\w'-]+", asked.group(1) if asked else ""):
        token = tokenize(word)
        if not token and counted:
            break
        counted.update(token)
        if len(counted) >= 2:
            break
    counted -= set(tokenize(" ".join(places().named(question))))
    if not counted:
        return True  # nothing named to count: any answer may do
    for line in _lines(text):
        words = re.findall(r"[\w,]+", line)
        for at, word in enumerate(words):
            phone = word.startswith("0") or any(0 <= i < len(words) and words[i][0].isdigit() for i in (at - 1, at + 1))
            if not _COUNT.fullmatch(word) or phone:  # a phone number ("01632 960120") counts nothing
                continue
            if counted & set(tokenize(" ".join(words[at + 1 : at + 1 + _COUNTED_WITHIN]))):
                return True
    return False


def _on_a_line_asked_about(kind: Required, question: str, text: str) -> bool:
    """A date or a sum on a line that shares a word with the question, places aside: "when's the next DSPPB
    meeting" is answered by a line dating a DSPPB meeting, not by "Working Together 2018" on the same page;
    "the salary for the business manager job" not by a budget table's "Dudley CCG | 107,100"."""
    asked = set(tokenize(question)) - set(tokenize(" ".join(places().named(question))))
    if not asked:  # no question to read: the fact anywhere in the passage
        return bool(_REQUIRED_CARRIED[kind].search(text))
    return any(_REQUIRED_CARRIED[kind].search(line) and asked & set(tokenize(line)) for line in _lines(text))


# What a question names as the thing it asks about: the noun after "which" ("which hotel is used for…"),
# after "what's the" / "who is the" ("whats the concussion protocol…", "who is the head coach…") and after
# "is there" ("is there parking at…"), or the thing to be done after "can I" / "should we" ("can i park at
# the family hub"). When the documents never use that word in any form, nor any word the vocabulary gives
# for it, nor a word it could be a slip of the keyboard for (`bot.qa.answer`), they cannot say which one,
# what it is, who, or whether it may be done: the passages found share the question's topic, not its
# subject, and the answer abstains however close they are in meaning (the near misses of
# tests/knowledge/data/*_scope*: parking, a hotel, a head coach, concussion). Only the word right after
# such a frame is read: what follows "what do I…" / "who do I…" ("jot down", "chase") and situational
# detail ("…in the hotel?") are how practitioners put things, and the documents answer them in their own
# words.
_ASKED_THING = re.compile(
    r"\bwhich\s+|"
    r"\b(?:what|who)(?:'s|s|\s+is|\s+are|\s+was|\s+were)\s+(?:the|a|an|their|our|your|his|her|its)\s+|"
    r"\b(?:is|are)\s+there\s+(?:(?:a|an|any|some)\s+)?|"
    r"\b(?:can|could|may|should)\s+(?:i|we)\s+",
    re.IGNORECASE)
# Words naming the kind of answer asked for, not the thing: "what's the email for the NCB team" asks about the
# team (whether a passage carries the fact is `required_kinds`' question); "which law…" is answered by an
# Act's name ("the Care Act 2014") and "which council / team / service…" by an organisation's name, which
# documents give without the word the question uses.
_FACT_KIND_WORDS = frozenset(
    "email e-mail mail phone telephone mobile number numbers contact contacts address name names postcode website "
    "web site link url fax date time day law laws act acts legislation council councils authority authorities "
    "team teams service services agency agencies organisation organisations organization organizations "
    "department departments body bodies".split())


def asked_about(question: str) -> list[tuple[str, str]]:
    """(word as written, its token) for each thing `question` names as what it asks about (`_ASKED_THING`)."""
    text = question.replace("\u2019", "'")
    found: list[tuple[str, str]] = []
    for match in _ASKED_THING.finditer(text):
        first = re.match(r"[\w-]+", text[match.end():])  # "which council's…" names a council
        if first is None:
            continue
        if first.group(0).isupper() and len(first.group(0)) > 1:
            continue  # an acronym ("what's the CSO's number") may be what the documents spell out
        forms = word_forms(first.group(0))
        # "which of…", "is there anything…": a small word names nothing.
        if len(forms) == 1 and forms[0][0] not in _FACT_KIND_WORDS and forms[0][0].isalpha():
            found.append(forms[0])
    return found
