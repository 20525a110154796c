"""People, not channel ids: one row per person, whichever platforms they use.

A person may be known by a Slack user id, a Teams (Entra object) id, a
terminal user name and an email; the platforms' profile APIs give the email,
and a shared email links the ids to one person. Notifications follow the
person to the channel where they last spoke to the assistant.
"""

from bot.people.models import Person
from bot.people.service import ChannelKey, People, id_column

__all__ = ["ChannelKey", "People", "Person", "id_column"]
