"""One `Settings` object, read from the environment and `.env`.

Every setting is documented in the README's Configuration section. Secrets are
`SecretStr` so that printing settings never shows them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Lists come from the environment as comma-separated text ("a@x.org, b@x.org").
CsvList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore",
                                      populate_by_name=True)

    # Where everything the app writes lives: the knowledge index and the database.
    data_dir: Path = Field(default=Path("./data"), alias="SGBOT_DATA_DIR")

    # Knowledge index.
    chroma_host: str | None = Field(default=None, alias="CHROMA_HOST")
    chroma_port: int = Field(default=8000, alias="CHROMA_PORT")
    collection: str = Field(default="knowledge", alias="SGBOT_COLLECTION")
    embedding_batch_size: int = Field(default=32, alias="SGBOT_EMBEDDING_BATCH_SIZE")
    # --- Deployment (issue 11) -----------------------------------------------------
    # local: the catalog and keyword index live under SGBOT_DATA_DIR (one process, one disk).
    # database: every ingest publishes them to the database as a new generation and each replica
    # follows the newest one (needs CHROMA_HOST); see bot/qa/generations.py.
    index_store: Literal["local", "database"] = Field(default="local", alias="SGBOT_INDEX_STORE")
    # How often a replica looks for a newer published index generation.
    index_poll_seconds: float = Field(default=10.0, alias="SGBOT_INDEX_POLL_SECONDS")
    # Retention (`sgbot purge`), in days.
    draft_retention_days: int = Field(default=30, alias="SGBOT_DRAFT_RETENTION_DAYS")
    closed_referral_retention_days: int = Field(default=6 * 365, alias="SGBOT_CLOSED_REFERRAL_RETENTION_DAYS")
    inbound_event_retention_days: int = Field(default=2, alias="SGBOT_INBOUND_EVENT_RETENTION_DAYS")
    outbox_retention_days: int = Field(default=30, alias="SGBOT_OUTBOX_RETENTION_DAYS")
    # --- end deployment --------------------------------------------------------------

    # Answers.
    default_area: str | None = Field(default=None, alias="SGBOT_DEFAULT_AREA")
    regional_areas: CsvList = Field(default_factory=lambda: ["West Midlands", "Northshire Region"],
                                      alias="SGBOT_REGIONAL_AREAS")
    national_areas: CsvList = Field(default_factory=lambda: ["national", "England"],
                                      alias="SGBOT_NATIONAL_AREAS")
    contact: str = Field(
        default="your duty team or the safeguarding partnership business unit",
        alias="SGBOT_CONTACT",
    )
    answer_sentences: int = Field(default=3, alias="SGBOT_ANSWER_SENTENCES")
    # A follow-up ("and if it's a vulnerable adult?") is read with the previous question and answer
    # of the thread (or, in a chat with no threads such as the terminal, of the user's last turn)
    # when that turn is at most this many minutes old. Kept in the database: a restart keeps it.
    follow_up_minutes: float = Field(default=30.0, alias="SGBOT_FOLLOW_UP_MINUTES")
    # How often `sgbot serve` posts "what changed" notices to subscribed channels (issue 13).
    change_notice_seconds: float = Field(default=30.0, alias="SGBOT_CHANGE_NOTICE_SECONDS")

    # Optional LLM (LangChain). Off by default: answers are extractive.
    llm_base_url: str | None = Field(default=None, alias="SGBOT_LLM_BASE_URL")
    llm_model: str | None = Field(default=None, alias="SGBOT_LLM_MODEL")
    llm_api_key: SecretStr | None = Field(default=None, alias="SGBOT_LLM_API_KEY")
    llm_timeout_seconds: float = Field(default=20.0, alias="SGBOT_LLM_TIMEOUT_SECONDS")

    # Largest request body the Slack and Teams endpoints accept (their real payloads are far smaller).
    max_request_bytes: int = Field(default=1_000_000, alias="SGBOT_MAX_REQUEST_BYTES")
    # Largest document `sgbot ingest` accepts: file size for text formats, extracted text for PDF and
    # DOCX. A bigger one is refused by name with how to split it (it would embed for tens of minutes).
    ingest_max_bytes: int = Field(default=5_000_000, gt=0, alias="SGBOT_INGEST_MAX_BYTES")
    # The durable inbox (bot/inbox/). A replica's claim on an inbound event lasts this long
    # unless renewed: the holder renews it every third of it while it works, so it only runs out when
    # the replica died (or stalled); then a retry, or any replica's sweeper, answers the stored event.
    inbound_lease_seconds: float = Field(default=30.0, gt=0, alias="SGBOT_INBOUND_LEASE_SECONDS")
    # How often each replica looks for stored events whose lease ran out unanswered.
    inbox_sweep_seconds: float = Field(default=5.0, gt=0, alias="SGBOT_INBOX_SWEEP_SECONDS")
    # Claims an event may have (the first included) before it is set aside and the business unit told.
    inbox_max_attempts: int = Field(default=5, ge=1, alias="SGBOT_INBOX_MAX_ATTEMPTS")
    # A failed answer is tried again this long after it failed, twice as long after each further failure.
    inbox_retry_seconds: float = Field(default=5.0, gt=0, alias="SGBOT_INBOX_RETRY_SECONDS")

    # Database (referrals, sessions, events).
    database_url: str | None = Field(default=None, alias="DATABASE_URL")

    # Roles: comma-separated user ids or emails.
    business_unit: CsvList = Field(default_factory=list, alias="SGBOT_BUSINESS_UNIT")
    admins: CsvList = Field(default_factory=list, alias="SGBOT_ADMINS")

    # --- Referrals and the review queue (issue 3) --------------------------------
    # Statutory clocks, in England & Wales working days unless said otherwise.
    notification_working_days: int = Field(default=5, alias="SGBOT_NOTIFICATION_WORKING_DAYS")
    rapid_review_working_days: int = Field(default=15, alias="SGBOT_RAPID_REVIEW_WORKING_DAYS")
    practice_review_months: int = Field(default=6, alias="SGBOT_PRACTICE_REVIEW_MONTHS")
    final_report_working_days: int = Field(default=7, alias="SGBOT_FINAL_REPORT_WORKING_DAYS")
    decision_working_days: int = Field(default=5, alias="SGBOT_DECISION_WORKING_DAYS")
    due_soon_working_days: int = Field(default=2, alias="SGBOT_DUE_SOON_WORKING_DAYS")
    timezone: str = Field(default="Europe/London", alias="SGBOT_TIMEZONE")
    checklist: str = Field(default="practice_review", alias="SGBOT_CHECKLIST")
    # --- end referrals -------------------------------------------------------------

    # --- Reviews, dashboard and report (issue 12) --------------------------------------
    # Themes a review may be given (up to three each), separated by semicolons (a theme may hold a
    # comma); default: Salford's priorities.
    review_themes: CsvList = Field(
        default_factory=lambda: [
            "Neglect",
            "Child sexual abuse and exploitation",
            "Complex safeguarding",
            "Missing from home, care and education",
            "Early help",
            "Children affected by domestic abuse",
            "Emotional health and wellbeing",
        ],
        alias="SGBOT_REVIEW_THEMES",
    )
    # Where people reach `sgbot serve` (sign-in links and the OpenID Connect redirect are built from it).
    public_url: str = Field(default="http://127.0.0.1:3000", alias="SGBOT_PUBLIC_URL")
    # Key signing dashboard sign-in links; unset: one is made and kept in the database.
    dashboard_secret: SecretStr | None = Field(default=None, alias="SGBOT_DASHBOARD_SECRET")
    dashboard_link_minutes: int = Field(default=10, alias="SGBOT_DASHBOARD_LINK_MINUTES")
    dashboard_session_hours: int = Field(default=8, alias="SGBOT_DASHBOARD_SESSION_HOURS")
    dashboard_session_idle_minutes: int = Field(default=30, alias="SGBOT_DASHBOARD_SESSION_IDLE_MINUTES")
    # OpenID Connect (Entra ID: https://login.microsoftonline.com/<tenant>/v2.0); unset: links only.
    oidc_issuer: str | None = Field(default=None, alias="SGBOT_OIDC_ISSUER")
    oidc_client_id: str | None = Field(default=None, alias="SGBOT_OIDC_CLIENT_ID")
    oidc_client_secret: SecretStr | None = Field(default=None, alias="SGBOT_OIDC_CLIENT_SECRET")
    # The ID token claim holding the person's groups or app roles (Entra ID: "groups" gives group
    # object ids, "roles" the app roles), and which of its values give the business unit or admin role;
    # anyone else is refused the dashboard.
    oidc_role_claim: str = Field(default="groups", alias="SGBOT_OIDC_ROLE_CLAIM")
    oidc_business_unit_groups: CsvList = Field(default_factory=list, alias="SGBOT_OIDC_BUSINESS_UNIT_GROUPS")
    oidc_admin_groups: CsvList = Field(default_factory=list, alias="SGBOT_OIDC_ADMIN_GROUPS")
    oidc_scopes: str = Field(default="openid profile email", alias="SGBOT_OIDC_SCOPES")
    # Chromium, for the report's PDF (Debian's package; never downloaded).
    chromium: Path = Field(default=Path("/usr/bin/chromium"), alias="SGBOT_CHROMIUM")
    # Knowledge gaps: keep declined questions' text (redacted) only when on; forget all after N days.
    gaps_keep_questions: bool = Field(default=False, alias="SGBOT_GAPS_KEEP_QUESTIONS")
    gaps_retention_days: int = Field(default=90, alias="SGBOT_GAPS_RETENTION_DAYS")
    # --- end reviews -------------------------------------------------------------------
    # --- Notifications (the outbox and its delivery workers) -----------------------
    # Retries: exponential backoff from SGBOT_OUTBOX_RETRY_SECONDS (with jitter), at most
    # SGBOT_OUTBOX_RETRY_CAP_SECONDS apart; after SGBOT_OUTBOX_MAX_ATTEMPTS tries a notification
    # is set aside and the business unit is told.
    outbox_retry_seconds: float = Field(default=2.0, alias="SGBOT_OUTBOX_RETRY_SECONDS")
    outbox_retry_cap_seconds: float = Field(default=300.0, alias="SGBOT_OUTBOX_RETRY_CAP_SECONDS")
    outbox_max_attempts: int = Field(default=8, alias="SGBOT_OUTBOX_MAX_ATTEMPTS")
    # How often each worker looks for notifications written by other processes.
    outbox_poll_seconds: float = Field(default=2.0, alias="SGBOT_OUTBOX_POLL_SECONDS")
    # A worker's claim on a notification: if it dies mid-delivery, another takes it after this.
    outbox_lease_seconds: float = Field(default=120.0, alias="SGBOT_OUTBOX_LEASE_SECONDS")
    # --- end notifications -----------------------------------------------------------

    # --- Slack (issue 4) -------------------------------------------------------
    # Bot token (xoxb-…) and signing secret from the app's settings page; the
    # app-level token (xapp-…, scope connections:write) only for Socket Mode.
    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    # Channel id (C…) where submitted referrals and hand-offs are posted.
    slack_business_unit_channel: str | None = Field(default=None, alias="SLACK_BUSINESS_UNIT_CHANNEL")
    # Slack Web API base URL; overridden only to point at a local stand-in in tests.
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    # --- end Slack ---------------------------------------------------------------

    # --- Microsoft Teams (issue 5) ------------------------------------------------
    # The Azure Bot's Entra ID app registration: client id, tenant, and either a
    # client secret or a certificate (PFX file). Every request to /api/messages
    # must carry a valid JWT for this app id unless TEAMS_ANONYMOUS is switched on.
    teams_app_id: str | None = Field(default=None, alias="TEAMS_APP_ID")
    teams_app_password: SecretStr | None = Field(default=None, alias="TEAMS_APP_PASSWORD")
    teams_tenant_id: str | None = Field(default=None, alias="TEAMS_TENANT_ID")
    teams_cert_pfx_file: Path | None = Field(default=None, alias="TEAMS_CERT_PFX_FILE")
    teams_cert_send_x5c: bool = Field(default=False, alias="TEAMS_CERT_SEND_X5C")
    # Local testing only: accept requests without a token. `sgbot serve` refuses
    # to start like this unless bound to a loopback address.
    teams_anonymous: bool = Field(default=False, alias="TEAMS_ANONYMOUS")
    # Conversation id of the business unit's Teams channel (19:…@thread.tacv2),
    # where submitted referrals and hand-offs are posted.
    teams_business_unit_conversation: str | None = Field(
        default=None, alias="TEAMS_BUSINESS_UNIT_CONVERSATION"
    )
    # Teams service URL used for the business-unit channel until the bot has
    # seen a message there (after that the stored conversation reference wins).
    teams_service_url: str = Field(
        default="https://smba.trafficmanager.net/uk/", alias="TEAMS_SERVICE_URL"
    )
    # Refuse activities whose serviceUrl is not a Microsoft Teams / Bot Framework
    # host, so replies (and the bot's token) only ever go to Microsoft.
    teams_check_service_url: bool = Field(default=True, alias="TEAMS_CHECK_SERVICE_URL")
    # --- end Microsoft Teams ------------------------------------------------------

    @field_validator("regional_areas", "national_areas", "business_unit", "admins", "oidc_business_unit_groups",
                     "oidc_admin_groups", mode="before")
    @classmethod
    def _split_csv(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("review_themes", mode="before")
    @classmethod
    def _split_semicolons(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(";") if part.strip()]
        return value

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'sgbot.sqlite3').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
