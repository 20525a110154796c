"""Slack: Bolt listeners, Block Kit rendering, modals and App Home (see app.py)."""
