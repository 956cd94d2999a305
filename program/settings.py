"""The one settings module. Every value comes from the environment (see README, Configuration).

Development works with nothing set: a private PostgreSQL cluster under var/ and kombu's
filesystem broker. DJANGO_ENV=production refuses to start without the values a real deployment
must choose itself.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

from program import devdb
from program.env import env_bool, env_int, env_list, env_path, env_str

# ModelAdmin[Inmate], QuerySet[Tranche] and the like are only types to mypy; this makes them
# subscriptable when Python runs the class statements too (strict typing, pyproject.toml).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("VAR_DIR", BASE_DIR / "var")

DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ValueError(f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"

# --- Core -----------------------------------------------------------------------------------------

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [], required=True)
    env_str("DATABASE_URL", required=True)
else:
    # A fixed development key: development data is demo data and never leaves the machine.
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-" + "x" * 40)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

DEBUG = env_bool("DEBUG", default=DJANGO_ENV == "development")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "program.core",
    "program.outbox",
    "program.inmates",
    "program.cells",
    "program.notifications",
    "program.tokens",
    "program.host",
    "program.incidents",
    "program.inspections",
    "program.handover",
    "program.complaints",
    "program.visits",
    "transfers",
    "transfers.letters",
    "finance",
    "pgtrigger",
    "pghistory",
    "program.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "program.core.middleware.RequestIdMiddleware",
    # Before sessions, CSRF and sign-in: headers and the query string only, never a JSON body;
    # a body too large is a 413 unread, a malformed form a 400 (see the module).
    "program.core.request_limits.RequestLimitsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions (it reads the signed-in user's language there), before everything that
    # answers in words; see program/core/language.py for the order it looks in.
    "program.core.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: marks request.user verified when this session gave a TOTP code.
    "program.core.request_user.RequestUserOTPMiddleware",
    # Keeps the request at hand for security events raised outside views (program.security).
    "program.core.security_log.SecurityRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: an expired session is logged out with a message for the log-in page.
    "program.core.sessions.SessionTimeoutMiddleware",
    "program.core.middleware.NoStoreForSignedInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Turns axes' "locked out" flag on the request into the lock-out page.
    "axes.middleware.AxesMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Before the route policy: a session that owes its second factor sees no page but the code's.
    "program.core.second_factor.SecondFactorMiddleware",
    "program.core.middleware.RoutePolicyMiddleware",
    # After the route policy: a page's form is read only for a request it lets in, and a NUL or
    # a text-direction control in it is a 400 naming the field (API bodies: the API's parsers).
    "program.core.control_characters.FormControlCharactersMiddleware",
    # After the route policy: its role check has loaded the user the history context names.
    "program.audit.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "program.urls"
WSGI_APPLICATION = "program.wsgi.application"
ASGI_APPLICATION = "program.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "program.core.context_processors.navigation",
                "program.core.context_processors.work_queue_counts",
                "program.notifications.context.unread_notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL") or devdb.private_cluster_url(VAR_DIR)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"].setdefault("OPTIONS", {})
# Fail fast when the database is unreachable instead of hanging a request for minutes.
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "test_program")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------------

# The lock-out check runs first: a locked-out user is refused before any password is compared.
AUTHENTICATION_BACKENDS = [
    "program.core.passwords.LockoutBackend",
    # ModelBackend whose get_user loads the roles, the unread count and the second-factor
    # device in the user's own query (program/core/request_user.py).
    "program.core.request_user.RequestUserBackend",
]
# Length and refusal lists only: composition rules push people to predictable patterns (NIST
# SP 800-63B 5.1.1.2). The demo passwords are set with set_password and never pass through these.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 15},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "program.core.passwords.ContextWordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: 30 minutes idle and 12 hours in all (program.core.sessions.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lock-out (django-axes, program/core/lockout.py), each for 30 minutes after the last failure:
# 5 failures of a user name from one address lock that pair; 20 from one address over all user
# names lock the address; 50 of a user name over all addresses lock the name. Locking a named
# colleague out thus takes many addresses, not five guesses.
AXES_HANDLER = "program.core.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
LOCKOUT_ADDRESS_FAILURE_LIMIT = env_int("LOCKOUT_ADDRESS_FAILURE_LIMIT", 20)
LOCKOUT_USERNAME_FAILURE_LIMIT = env_int("LOCKOUT_USERNAME_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
# Failures are cleared when the whole sign-in succeeds, after the second factor where one is
# due (program.core.second_factor.failures_clear), not after the password alone: otherwise each
# new password log-in would wipe the count of wrong codes.
AXES_RESET_ON_SUCCESS = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed attempt kept, with address and agent
AXES_LOCKOUT_CALLABLE = "program.core.passwords.lockout_response"
# X-Forwarded-For is set by whoever sends the request: it is read only when the deployment says
# how many proxies of its own stand in front (then the address that many hops from the right).
# Behind a proxy and left at 0, every user shares the proxy's address and its lock-out.
AXES_TRUSTED_PROXY_COUNT = env_int("AXES_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "program.core.passwords.client_ip"

# Second factor (django-otp, TOTP): "everyone" or "administrators" (superusers and staff, who
# need it always). Production requires it of everyone; development and test only of
# administrators, so the demo's other users sign in with a password alone (see README).
OTP_REQUIRED_FOR = env_str("OTP_REQUIRED_FOR", "everyone" if PRODUCTION else "administrators")
if OTP_REQUIRED_FOR not in {"everyone", "administrators"}:
    raise ValueError(
        f"OTP_REQUIRED_FOR must be everyone or administrators, not {OTP_REQUIRED_FOR!r}."
    )
if PRODUCTION and OTP_REQUIRED_FOR != "everyone":
    raise ValueError("OTP_REQUIRED_FOR must be everyone when DJANGO_ENV is production.")
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Rented prison places")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's key or QR code

# --- Internationalisation -------------------------------------------------------------------------

# Danish first, English second (docs/i18n.md). Another language is its catalogue under locale/
# plus its code in LANGUAGES. The test suite reads the source (English) strings unless a test
# chooses a language, so that its assertions do not depend on the catalogues.
# Names from Django's table, translated by Django's own catalogue ("Danish", "Albanian").
LANGUAGES = [
    (code, _(LANG_INFO[code]["name"]) if code in LANG_INFO else code)
    for code in env_list("LANGUAGES", ["da", "en", "sq"])
]
# Whether a user who never chose reads the language every role they hold defaults to (the host
# facility's staff read Albanian: program/core/roles.ROLE_LANGUAGES, docs/i18n.md). A saved
# choice always wins. Off in the test suite, which reads the source strings unless a test
# chooses a language (as LANGUAGE_CODE).
ROLE_LANGUAGES_APPLY = env_bool("ROLE_LANGUAGES_APPLY", DJANGO_ENV != "test")
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en" if DJANGO_ENV == "test" else "da")
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switch in the header sets this cookie; it outlives the session so the device remembers.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
# Dates, numbers and amounts in the reader's convention: 03.12.2026 and 3.750.000,00 in Danish.
# Numbers a machine reads (ids, SVG geometry, form values) are written with |unlocalize.
FORMAT_MODULE_PATH = ["program.formats"]
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Copenhagen")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = env_path("STATIC_ROOT", BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Uploaded files (documents and evidence; never served publicly) ----------------------------

MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The most a request body may hold, files aside (a form's fields, a JSON body): a larger one is a
# 413 before it is read (program.core.request_limits). A JSON body also may nest at most
# REQUEST_JSON_MAX_DEPTH arrays and objects (program.core.api.parsers).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("REQUEST_BODY_MAX_BYTES", 2 * 1024 * 1024)
REQUEST_JSON_MAX_DEPTH = env_int("REQUEST_JSON_MAX_DEPTH", 32)
# A multipart body in all (files and fields): above the 10 MB a document or evidence file may
# have, so that a file slightly too large meets the form's own message; larger is a 413 unread.
REQUEST_UPLOAD_MAX_BYTES = env_int("REQUEST_UPLOAD_MAX_BYTES", 25 * 1024 * 1024)

# --- Finance --------------------------------------------------------------------------------------

FINANCE_APPROVAL_LEVELS = env_int("FINANCE_APPROVAL_LEVELS", 2)  # 1 or 2 approvers per tranche
FINANCE_OVERDUE_GRACE_DAYS = env_int("FINANCE_OVERDUE_GRACE_DAYS", 30)

# --- Security -------------------------------------------------------------------------------------

# Addresses or networks of the deployment's own reverse proxies, which set X-Request-ID themselves
# (replacing any a client sent); the id is taken from them only, when well-formed. Empty: every
# request gets an id of the app's own (program.core.middleware.RequestIdMiddleware).
REQUEST_ID_TRUSTED_PROXIES = env_list("REQUEST_ID_TRUSTED_PROXIES", [])
for _proxy in REQUEST_ID_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ValueError(
            f"REQUEST_ID_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network "
            "(for example 10.0.0.5 or 10.0.0.0/24)."
        ) from None

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from hx-headers on <body>, never from JS
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    },
}

# --- REST API -------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header turns "not signed in" into 401 rather than 403.
    # Personal tokens (program/tokens), made by each user on their account page; docs/api.md.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "program.tokens.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["program.core.api.permissions.RoutePolicyPermission"],
    "DEFAULT_PAGINATION_CLASS": "program.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Strict: an unknown parameter or a value a filter cannot read is a 400, never ignored.
    "DEFAULT_FILTER_BACKENDS": [
        "program.core.api.filters.StrictFilterBackend",
        "program.core.api.filters.StrictOrderingFilter",
    ],
    # Bodies are read only when a view asks for them, within size and nesting limits.
    "DEFAULT_PARSER_CLASSES": [
        "program.core.api.parsers.JSONParser",
        "program.core.api.parsers.FormParser",
        "program.core.api.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "program.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "program.core.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Personal API tokens: the longest a token may be valid, and how many that still work one user
# may hold at once.
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 90)
API_TOKEN_MAX_ACTIVE = env_int("API_TOKEN_MAX_ACTIVE", 10)
SPECTACULAR_SETTINGS = {
    "TITLE": "Rented prison places API",
    "DESCRIPTION": (
        "Transfer cases, cells and payments of rented-cell programmes.\n\n"
        "**Signing in.** A program calls the API with a personal API token: sign in to the web "
        "app, open *My account › API tokens* (/account/tokens/), give the token a name and a "
        f"lifetime (at most {API_TOKEN_MAX_DAYS} days) and copy it; it is shown once. Send it "
        "with every request "
        "as `Authorization: Bearer <token>`. It acts as you, with your roles and no more; revoke "
        "it on the same page when it is no longer needed. An unknown, expired or revoked token "
        "is answered 401 with the reason. In a browser, the signed-in session works too."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["program.core.api.permissions.RoutePolicyPermission"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The operations the route policy has, and nothing else.
    "PREPROCESSING_HOOKS": ["program.core.api.schema.only_routes_the_policy_has"],
    # The error answers the policy, authentication, pagination and parsers give before a view.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "program.core.api.schema.add_error_responses",
    ],
    # Several models have a `kind` or `state`; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "CellKindEnum": "program.cells.models.Cell.Kind",
        "PlacementKindEnum": "program.cells.models.Placement.Kind",
        "TransferCaseStateEnum": "transfers.models.TransferCase.State",
        "CaseEventKindEnum": "transfers.models.CaseEvent.Kind",
        "DocumentKindEnum": "transfers.models.Document.Kind",
        "ScreeningOutcomeEnum": "transfers.models.Screening.Outcome",
        "DecisionOutcomeEnum": "transfers.models.Decision.Outcome",
        "AppealOutcomeEnum": "transfers.models.TransferCase.AppealOutcome",
        "TrancheConditionKindEnum": "finance.models.TrancheCondition.Kind",
        "ComplaintKindEnum": "program.complaints.models.Kind",
        "ComplaintDocumentKindEnum": "program.complaints.models.ComplaintDocument.Kind",
        "ComplaintChannelEnum": "program.complaints.models.Complaint.Channel",
        "IncidentKindEnum": "program.incidents.models.Incident.Kind",
        "IncidentStateEnum": "program.incidents.models.Incident.State",
        "IncidentReviewOutcomeEnum": "program.incidents.models.IncidentReview.Outcome",
        "InspectionKindEnum": "program.inspections.models.Inspection.Kind",
        "FindingActionStatusEnum": "program.inspections.models.FindingAction.Status",
        "HandoverAlertLevelEnum": "program.handover.models.Level",
    },
}

# --- Celery ---------------------------------------------------------------------------------------

BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "filesystem://"
REDIS_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {
        # One folder for both directions: producer and worker share a machine in development.
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),  # else kombu writes ./control
        "store_processed": False,
    }
    if CELERY_BROKER_URL == "filesystem://"
    else {
        # Redis hands a message that a worker took but never acknowledged (the worker was killed;
        # tasks acknowledge late) to a worker again after this long. Longer than the longest task
        # (task_time_limit, 300 s), so a task still running is not handed out twice.
        "visibility_timeout": REDIS_VISIBILITY_TIMEOUT,
        # How often a worker looks for such messages (kombu's default is every 100 s).
        "unacked_restore_interval": min(10, REDIS_VISIBILITY_TIMEOUT),
        "unacked_restore_throttle": 1,
    }
)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "program")
CELERY_TASK_ALWAYS_EAGER = False
# Outbox rows handed to the broker but not done after this long are handed over again (the
# broker may have lost them); see program/outbox.
OUTBOX_RESEND_AFTER_SECONDS = env_int("OUTBOX_RESEND_AFTER_SECONDS", 15 * 60)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Logging --------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "program.core.request_id.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        # The security event log: one JSON object per line (program/core/security_log.py).
        "security_json": {"()": "program.core.security_log.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        },
        "security": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "security_json",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "program.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
    },
}

# --- E-mail (notifications; SMTP in production, files under var/mail/ in development) ------------

_DEFAULT_EMAIL_BACKEND = {
    "production": "django.core.mail.backends.smtp.EmailBackend",
    # One .eml file per message in EMAIL_FILE_PATH; `manage.py mailbox` lists them.
    "development": "program.core.mail.MailboxBackend",
    # pytest-django replaces it with the in-memory outbox; worker processes print to the console.
    "test": "django.core.mail.backends.console.EmailBackend",
}
EMAIL_BACKEND = env_str("EMAIL_BACKEND", _DEFAULT_EMAIL_BACKEND[DJANGO_ENV])
# Where program.core.mail.MailboxBackend (and Django's file backend) write messages.
EMAIL_FILE_PATH = env_path("EMAIL_FILE_PATH", VAR_DIR / "mail")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@localhost")
SITE_URL = env_str("SITE_URL", "http://localhost:8000")  # makes the case links in e-mails absolute

# --- Audit ----------------------------------------------------------------------------------------

# Every domain app's models are tracked by program.audit (write history by database triggers).
AUDIT_TRACKED_MODULES = [
    "program.inmates.models",
    "program.cells.models",
    "program.notifications.models",
    "program.tokens.models",
    "program.host.models",
    "program.incidents.models",
    "program.inspections.models",
    "program.handover.models",
    "program.complaints.models",
    "program.visits.models",
    "transfers.models",
    "transfers.letters.models",
    "finance.models",
    "finance.travel.models",
]
# Whether a read of a person's record is part of the reader's own open case (no purpose asked).
AUDIT_OPEN_CASE_CHECK = "transfers.access.caseworker_has_open_case"
# The people whose transfer cases a caseworker holds (a query of inmate ids): the visits a
# caseworker sees (program/visits/selectors.py), named here so program.* imports no app above it.
VISITS_CASEWORKER_INMATES = "transfers.access.caseworker_inmate_ids"
# One user reading more distinct people than this within an hour alerts the auditors (0: never).
AUDIT_BULK_READ_ALERT_PEOPLE = env_int("AUDIT_BULK_READ_ALERT_PEOPLE", 1000)

# --- Pages ----------------------------------------------------------------------------------------

# Panels on the home page, each a callable (request, roles) -> dict | None from its own app.
# Work queues ("waiting for me" on the home page, counts in the navigation), each app's own.
WORK_QUEUES = [
    "transfers.queues.QUEUES",
    "program.cells.queues.QUEUES",
    "finance.queues.QUEUES",
    "program.host.queues.QUEUES",
    "program.incidents.queues.QUEUES",
    "program.inspections.queues.QUEUES",
    "program.complaints.queues.QUEUES",
]
HOME_PANELS = [
    "program.host.panels.host_panel",
    "program.cells.panels.programme_panel",
    "program.cells.panels.breaches_panel",
    "program.cells.panels.occupancy_panel",
    "finance.panels.finance_panel",
    "program.core.panels.system_panel",
]
