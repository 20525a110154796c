"""The dashboard's web routes: Starlette, Jinja2 templates (autoescaped), GOV.UK Frontend served locally.

Every page needs a dashboard session of a business-unit member or admin (the role is checked on each
request). Changes are POSTed forms carrying the session's CSRF token and, for a referral or an action,
the version the officer was looking at: the services refuse a change made on an out-of-date page and
say what changed. Nothing is decided here; the pages call ReviewQueue, ActionPlans and Themes.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.component import Component
from bot.config import Settings
from bot.dashboard import pages
from bot.dashboard.oidc import COOKIE as OIDC_COOKIE
from bot.dashboard.oidc import PENDING_SECONDS as OIDC_PENDING_SECONDS
from bot.dashboard.oidc import OidcRefused, OidcSignIn
from bot.dashboard.signin import SignedIn, SignIn, SignInRefused
from bot.db import Database, get_database
from bot.gaps.service import themes as gap_themes
from bot.referral.errors import QueueError, StaleReferral
from bot.referral.queue import Actor, ReviewQueue
from bot.reports.narrative import Narratives
from bot.reports.render import ReportUnavailable, report_context, report_html, report_pdf
from bot.reviews import ActionPlans, Themes
from bot.roles import Role, role_of, sees_every_referral

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
COOKIE = "sgbot_dashboard"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
    " frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Sign-in links carry a token in the URL: never send it on to another site.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class Dashboard:
    """What every page needs: the services (made on first use), templates and sign-in."""

    def __init__(self, settings: Settings, *, database: Database | None = None,
                 queue: ReviewQueue | None = None, plans: ActionPlans | None = None) -> None:
        self.settings = settings
        self._database = database
        self._queue = queue
        self._plans = plans
        self._facets: tuple[float, dict[str, list[str]]] | None = None
        self._granted: dict[tuple[str, str], Dashboard] = {}
        self.templates = Environment(
            loader=FileSystemLoader([HERE / "templates", HERE.parent / "reports" / "templates"]),
            autoescape=select_autoescape(["html"], default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.globals["label"] = pages.label
        self.templates.globals["action_status_label"] = pages.action_status_label

    @property
    def database(self) -> Database:
        if self._database is None:
            self._database = get_database(self.settings)
        return self._database

    @property
    def queue(self) -> ReviewQueue:
        if self._queue is None:
            self._queue = ReviewQueue(self.database, self.settings)
        return self._queue

    @property
    def plans(self) -> ActionPlans:
        if self._plans is None:
            self._plans = ActionPlans(self.database, self.settings, now=self.queue.now)
        return self._plans

    @property
    def themes(self) -> Themes:
        return Themes(self.database, self.settings)

    def facets(self) -> dict[str, list[str]]:
        """The queue filters' areas and assignees: two scans of the table, so kept for a minute."""
        now = time.monotonic()
        if self._facets is None or now - self._facets[0] > 60:
            self._facets = (now, self.queue.facets())
        return self._facets[1]

    def for_person(self, who: SignedIn) -> Dashboard:
        """The services as `who` may use them.

        The core's services decide roles in `bot.roles` (configuration and `sgbot roles` grants, by every id
        the person is known by). Someone whose role came from the identity provider's group claim (OpenID
        Connect) is in neither, so their requests get services over settings that name them in that role,
        for as long as their session lasts.
        """
        current = role_of(self.settings, who.user_id, who.email, database=self.database)
        if current == who.role or not sees_every_referral(who.role):
            return self
        key = (who.user_id, str(who.role))
        view = self._granted.get(key)
        if view is None:
            field = "admins" if who.role == Role.ADMIN else "business_unit"
            granted = self.settings.model_copy(update={field: [*getattr(self.settings, field), who.user_id]})
            view = Dashboard(granted, database=self.database)
            view.templates = self.templates
            self._granted[key] = view
        return view

    @property
    def narratives(self) -> Narratives:
        return Narratives(self.database, self.settings)

    @property
    def signin(self) -> SignIn:
        return SignIn(self.database, self.settings, now=self.queue.now)

    def render(self, name: str, request: Request, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = self.templates.get_template(name).render(request=request, **context)
        return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


Handler = Callable[[Request, SignedIn, "Dashboard"], Awaitable[Response]]


def build_dashboard(settings: Settings, **services: Any) -> Starlette:
    board = Dashboard(settings, **services)

    def guarded(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        """Only a live session of a business-unit member or admin reaches the page; POSTs need the CSRF token."""

        async def endpoint(request: Request) -> Response:
            who = await run_in_threadpool(board.signin.session, request.cookies.get(COOKIE))
            if who is None:
                return board.render("signed_out.html", request, 401, who=None,
                                    oidc=bool(settings.oidc_issuer), nav=None)
            if not sees_every_referral(who.role):
                return board.render("forbidden.html", request, 403, who=who, nav=None)
            if request.method == "POST":
                form = await request.form()
                token = str(form.get("csrf_token") or "")
                if not secrets.compare_digest(token, who.csrf_token):
                    return board.render("forbidden.html", request, 403, who=who, nav=None,
                                        problem="This form has expired. Go back, reload the page and try again.")
                request.state.form = {k: str(v) for k, v in form.items()}
            return await handler(request, who, board.for_person(who))

        return endpoint

    async def sign_in(request: Request) -> Response:
        token = request.query_params.get("token", "")
        if not token:
            return board.render("signed_out.html", request, 200, who=None, oidc=bool(settings.oidc_issuer), nav=None)
        try:
            who = await run_in_threadpool(board.signin.use_link, token)
        except SignInRefused as refused:
            return board.render("signed_out.html", request, 403, who=None, problem=str(refused),
                                oidc=bool(settings.oidc_issuer), nav=None)
        return _signed_in_redirect(who, settings)

    async def oidc_login(request: Request) -> Response:
        try:
            url, pending = await run_in_threadpool(OidcSignIn(board.database, settings).start)
        except OidcRefused as refused:
            return board.render("signed_out.html", request, 503, who=None, problem=str(refused), oidc=False, nav=None)
        response = RedirectResponse(url, status_code=303, headers={"Referrer-Policy": "no-referrer"})
        response.set_cookie(OIDC_COOKIE, pending, max_age=OIDC_PENDING_SECONDS, path="/dashboard/oidc",
                            httponly=True, samesite="lax", secure=settings.public_url.startswith("https://"))
        return response

    async def oidc_callback(request: Request) -> Response:
        query = {key: value for key, value in request.query_params.items()}
        signin = OidcSignIn(board.database, settings)
        try:
            person = await run_in_threadpool(signin.finish, query, request.cookies.get(OIDC_COOKIE))
            who = await run_in_threadpool(board.signin.start_session, person.user_id, person.email,
                                          method="oidc", role=person.role)
        except SignInRefused as refused:
            log.info("dashboard oidc sign-in refused", extra={"reason": type(refused).__name__})
            response: Response = board.render("signed_out.html", request, 403, who=None, problem=str(refused),
                                              oidc=signin.configured, nav=None)
        else:
            response = _signed_in_redirect(who, settings)
        response.delete_cookie(OIDC_COOKIE, path="/dashboard/oidc")
        return response

    async def sign_out(request: Request, who: SignedIn, board: Dashboard) -> Response:
        await run_in_threadpool(board.signin.end_session, request.cookies.get(COOKIE))
        response = board.render("signed_out.html", request, 200, who=None, signed_out=True,
                                oidc=bool(settings.oidc_issuer), nav=None)
        response.delete_cookie(COOKIE, path="/dashboard")
        return response

    async def queue_page(request: Request, who: SignedIn, board: Dashboard) -> Response:
        context = await run_in_threadpool(pages.queue_context, board, request, who)
        return board.render("queue.html", request, who=who, nav="queue", **context)

    async def queue_csv(request: Request, who: SignedIn, board: Dashboard) -> Response:
        text = await run_in_threadpool(pages.queue_csv, board, request, who)
        return _csv(text, "referral-queue.csv")

    async def referral_page(request: Request, who: SignedIn, board: Dashboard) -> Response:
        reference = request.path_params["reference"]
        try:
            await run_in_threadpool(board.queue.record_view, _actor(who), reference, where="dashboard")
            context = await run_in_threadpool(pages.referral_context, board, who, reference)
        except QueueError as problem:
            return board.render("problem.html", request, 404, who=who, nav="queue", problem=str(problem))
        return board.render("referral.html", request, who=who, nav="queue", **context)

    async def referral_post(request: Request, who: SignedIn, board: Dashboard) -> Response:
        reference = request.path_params["reference"]
        form: dict[str, str] = request.state.form
        status_code, done, problem = 200, None, None
        try:
            done = await run_in_threadpool(pages.apply_change, board, who, reference, form)
        except StaleReferral as stale:
            status_code, problem = 409, str(stale)
        except QueueError as error:
            status_code, problem = 400, str(error)
        except ValueError as error:
            status_code, problem = 400, str(error)
        try:
            context = await run_in_threadpool(pages.referral_context, board, who, reference)
        except QueueError as error:
            return board.render("problem.html", request, 404, who=who, nav="queue", problem=str(error))
        if status_code != 200:
            context["form"] = form  # what they typed is shown again, never lost
        return board.render("referral.html", request, status_code, who=who, nav="queue", done=done,
                            problem=problem, **context)

    async def reviews_page(request: Request, who: SignedIn, board: Dashboard) -> Response:
        context = await run_in_threadpool(pages.reviews_context, board, request, who)
        return board.render("reviews.html", request, who=who, nav="reviews", **context)

    async def reviews_csv(request: Request, who: SignedIn, board: Dashboard) -> Response:
        return _csv(await run_in_threadpool(pages.reviews_csv, board, who), "reviews-in-progress.csv")

    async def actions_page(request: Request, who: SignedIn, board: Dashboard) -> Response:
        context = await run_in_threadpool(pages.actions_context, board, request, who)
        return board.render("actions.html", request, who=who, nav="actions", **context)

    async def actions_csv(request: Request, who: SignedIn, board: Dashboard) -> Response:
        return _csv(await run_in_threadpool(board.plans.export_csv, who.user_id, email=who.email), "action-plans.csv")

    async def themes_page(request: Request, who: SignedIn, board: Dashboard) -> Response:
        counts = await run_in_threadpool(board.themes.counts)
        return board.render("themes.html", request, who=who, nav="themes", counts=counts)

    async def themes_csv(request: Request, who: SignedIn, board: Dashboard) -> Response:
        return _csv(await run_in_threadpool(pages.themes_csv, board), "review-themes.csv")

    async def report_page(request: Request, who: SignedIn, board: Dashboard) -> Response:
        return await _report(request, who, board, done=None, problem=None)

    async def _report(request: Request, who: SignedIn, board: Dashboard, *, done: str | None, problem: str | None,
                      status_code: int = 200) -> Response:
        try:
            quarter = pages.report_quarter(request, board)
        except ValueError as bad:
            quarter, problem, status_code = pages.current_quarter(board), str(bad), 400
        context = await run_in_threadpool(report_context, board.database, settings, quarter)
        return board.render("report.html", request, status_code, who=who, nav="report", quarter=quarter,
                            editable=True, done=done, problem=problem, **context)

    async def report_post(request: Request, who: SignedIn, board: Dashboard) -> Response:
        form: dict[str, str] = request.state.form
        try:
            quarter = pages.report_quarter(request, board)
            await run_in_threadpool(board.narratives.save, who.user_id, quarter, form.get("section", ""),
                                    form.get("text", ""), email=who.email)
        except (ValueError, QueueError) as problem:
            return await _report(request, who, board, done=None, problem=str(problem), status_code=400)
        return await _report(request, who, board, done="Saved.", problem=None)

    async def report_file(request: Request, who: SignedIn, board: Dashboard) -> Response:
        try:
            quarter = pages.report_quarter(request, board)
        except ValueError as bad:
            return board.render("problem.html", request, 400, who=who, nav="report", problem=str(bad))
        html = await run_in_threadpool(report_html, board.database, settings, quarter)
        name = f"how-are-we-doing-{quarter.code}"
        if request.path_params["format"] == "html":
            headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}.html"'}
            return HTMLResponse(html, headers=headers)
        try:
            pdf = await run_in_threadpool(report_pdf, html, settings.chromium)
        except ReportUnavailable as problem:
            return board.render("problem.html", request, 503, who=who, nav="report", problem=str(problem))
        headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}.pdf"'}
        return Response(pdf, media_type="application/pdf", headers=headers)

    async def gaps_page(request: Request, who: SignedIn, board: Dashboard) -> Response:
        found = await run_in_threadpool(gap_themes, board.database, settings)
        return board.render("gaps.html", request, who=who, nav="gaps", themes=found,
                            keep_questions=settings.gaps_keep_questions, retention_days=settings.gaps_retention_days)

    async def gaps_csv(request: Request, who: SignedIn, board: Dashboard) -> Response:
        found = await run_in_threadpool(gap_themes, board.database, settings)
        return _csv(pages.gaps_csv(found), "knowledge-gaps.csv")

    routes = [
        Route("/oidc/login", oidc_login, methods=["GET"]),
        Route("/oidc/callback", oidc_callback, methods=["GET"]),
        Route("/gaps", guarded(gaps_page), methods=["GET"]),
        Route("/gaps.csv", guarded(gaps_csv), methods=["GET"]),
        Route("/report", guarded(report_page), methods=["GET"]),
        Route("/report", guarded(report_post), methods=["POST"]),
        Route("/report.{format:str}", guarded(report_file), methods=["GET"]),
        Route("/", guarded(queue_page), methods=["GET"]),
        Route("/queue.csv", guarded(queue_csv), methods=["GET"]),
        Route("/sign-in", sign_in, methods=["GET"]),
        Route("/sign-out", guarded(sign_out), methods=["POST"]),
        Route("/referrals/{reference}", guarded(referral_page), methods=["GET"]),
        Route("/referrals/{reference}", guarded(referral_post), methods=["POST"]),
        Route("/reviews", guarded(reviews_page), methods=["GET"]),
        Route("/reviews.csv", guarded(reviews_csv), methods=["GET"]),
        Route("/actions", guarded(actions_page), methods=["GET"]),
        Route("/actions.csv", guarded(actions_csv), methods=["GET"]),
        Route("/themes", guarded(themes_page), methods=["GET"]),
        Route("/themes.csv", guarded(themes_csv), methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.dashboard = board
    return app


def _actor(who: SignedIn) -> Actor:
    return Actor(who.user_id, who.email)


def _signed_in_redirect(who: SignedIn, settings: Settings) -> Response:
    response = RedirectResponse("/dashboard/", status_code=303, headers={"Referrer-Policy": "no-referrer"})
    response.set_cookie(
        COOKIE,
        who.session_token,
        max_age=settings.dashboard_session_hours * 3600,
        path="/dashboard",
        httponly=True,
        samesite="lax",
        secure=settings.public_url.startswith("https://"),
    )
    return response


def _csv(text: str, filename: str) -> Response:
    headers = dict(SECURITY_HEADERS)
    headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


def dashboard_component(settings: Settings) -> Component:
    return Component(name="dashboard", routes=[Mount("/dashboard", app=build_dashboard(settings))])


def parse_iso_date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{what}: \"{value}\" is not a date. Use the form 2026-12-31.") from None
