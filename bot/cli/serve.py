"""`sgbot serve`: Slack (HTTP or Socket Mode), Teams, /healthz and /metrics on one port."""

from __future__ import annotations

import typer

from bot.cli import app

# Below Kubernetes' default terminationGracePeriodSeconds (30 s), so a pod finishes its turns and exits
# before it would be killed; deploy/k8s sets the grace period to match.
GRACEFUL_SHUTDOWN_SECONDS = 25.0


@app.command()
def serve(
    host: str = typer.Option("0.0.0.0", help="Interface to listen on."),
    port: int = typer.Option(3000, help="Port to listen on."),
    socket_mode: bool = typer.Option(
        False,
        "--socket-mode",
        help="Connect to Slack over Socket Mode (needs SLACK_APP_TOKEN) instead of receiving HTTP "
        "requests at /slack/events: for sites with no public URL.",
    ),
    log_level: str = typer.Option("info", help="uvicorn log level."),
    log_format: str = typer.Option(
        "json", help="json: one JSON object per line (ids, never message text), for a log collector; "
        "text: plain lines for a terminal.",
    ),
    shutdown_seconds: float = typer.Option(
        GRACEFUL_SHUTDOWN_SECONDS,
        help="On SIGTERM, how long in-flight requests and answers get to finish before the process exits.",
    ),
) -> None:
    """Run the chat server: Slack at /slack/events (or Socket Mode), health at /healthz."""
    import logging

    import uvicorn

    from bot.config import get_settings
    from bot.server import create_app

    if log_format == "json":
        from bot.serving.logs import configure_json_logging

        configure_json_logging(log_level)
    else:
        logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # Teams: refuse anonymous mode off loopback, or an app id without credentials.
    # (A missing or unsafe setting is a ConfigurationError: the CLI prints it and exits 2.)
    from bot.channels.teams import check_teams_can_start

    check_teams_can_start(get_settings(), host)
    asgi = create_app(get_settings(), slack_mode="socket" if socket_mode else "http")
    # log_config=None: uvicorn keeps the logging configured above. On SIGTERM uvicorn stops accepting
    # connections, waits for requests in flight, then runs the app's shutdown (which drains answers
    # being worked on in the background); timeout_graceful_shutdown bounds the wait.
    uvicorn.run(asgi, host=host, port=port, log_level=log_level, proxy_headers=True,
                log_config=None if log_format == "json" else uvicorn.config.LOGGING_CONFIG,
                timeout_graceful_shutdown=int(shutdown_seconds))
