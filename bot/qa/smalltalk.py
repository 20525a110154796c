"""Greetings and thanks: a short reply saying what the assistant can do, never "I can't find this".

A message is small talk only when every word in it is a greeting, a thanks or a filler word
("hi there", "thanks so much!", "good morning"). Anything else is a question, however short.
"""

from __future__ import annotations

import re
from typing import Literal

SmallTalk = Literal["greeting", "thanks"]

_GREETING = frozenset("hi hello hey hiya heya morning afternoon evening good howdy yo greetings".split())
_THANKS = frozenset("thanks thank thankyou thx ty cheers ta appreciated appreciate".split())
_FILLER = frozenset("there you so much very lot a all again everyone team bot sgbot ok okay great brilliant lovely "
                    "perfect many and for that the thats helpful really is was it".split())
_WORD = re.compile(r"[a-z’']+")


def small_talk(text: str) -> SmallTalk | None:
    words = _WORD.findall(text.lower())
    if not words or len(words) > 8:
        return None
    if any(w not in _GREETING | _THANKS | _FILLER for w in words):
        return None
    if any(w in _THANKS for w in words):
        return "thanks"
    if any(w in _GREETING for w in words):
        return "greeting"
    return None
