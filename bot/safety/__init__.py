"""What keeps people safe whatever they type: the emergency route first, text shown as text.

- `emergency.emergency_first(text)`: the emergency route, when what someone typed
  describes a person at risk now (Q&A does this inside its answer; every other
  free-text path — checklist answers, replies to requests for information,
  hand-off notes — calls this before storing what was typed).
"""
