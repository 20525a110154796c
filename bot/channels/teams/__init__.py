"""Microsoft Teams channel, on the Microsoft 365 Agents SDK.

Only translation lives here: Teams activities → `bot.messages.Message`, and
`Reply` / `Outcome` → text, Adaptive Cards and proactive messages.

- `startup.check_teams_can_start(settings, host)`: may `sgbot serve` host Teams?
- `route.mount_teams(app, settings)`: adds POST /api/messages to the FastAPI app.
- `package`: builds the Teams app package (manifest + icons) for upload.

Submodules import the SDK; this package's own import stays light.
"""

from bot.channels.teams.startup import TeamsConfigError, check_teams_can_start, teams_configured

__all__ = ["TeamsConfigError", "check_teams_can_start", "teams_configured"]
