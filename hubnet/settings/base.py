"""Settings shared by every environment; embedded defaults for one machine.

Everything configurable is read through ``hubnet.env`` so a bad value stops start-up
with one line naming the variable.
"""

from pathlib import Path
from typing import Any

import dj_database_url

from federation.vocabularies import HUB_LEVELS
from hubnet import broker
from hubnet.env import ConfigError, env
from hubnet.settings.alerts import *  # noqa: F403
from hubnet.settings.alerts import ALERTS_CHECK_INTERVAL
from hubnet.settings.api import *  # noqa: F403
from hubnet.settings.federation import *  # noqa: F403
from hubnet.settings.federation import (
    HARVEST_RUN_DEADLINE,
    SYNC_CONNECT_TIMEOUT,
    SYNC_DEADLINE,
    SYNC_INTERVAL,
    SYNC_PRUNE_INTERVAL,
    SYNC_REQUEST_DEADLINE,
)
from hubnet.settings.search import *  # noqa: F403
from hubnet.settings.search import SEARCH_DRAIN_INTERVAL, SEARCH_EMBED_INTERVAL

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.str("HUBNET_VAR_DIR", str(BASE_DIR / "var"))).resolve()

SLUG_PATTERN = r"[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?"

HUB_SLUG = env.matching(
    "HUB_SLUG", SLUG_PATTERN, "hub", what="a slug of lowercase letters, digits and -"
)
HUB_NAME = env.str("HUB_NAME", HUB_SLUG)
HUB_LEVEL = env.choice("HUB_LEVEL", HUB_LEVELS, "eu")
HUB_COUNTRY = env.matching(
    "HUB_COUNTRY", r"[A-Z]{2}|", "", what="an ISO 3166-1 alpha-2 code like NL"
)
HUB_NUTS = env.matching(
    "HUB_NUTS", r"[A-Z]{2}[A-Z0-9]{0,3}|", "", what="a NUTS code like NL414"
)
HUB_LATITUDE = env.float("HUB_LATITUDE")
HUB_LONGITUDE = env.float("HUB_LONGITUDE")
if HUB_LATITUDE is not None and not -90 <= HUB_LATITUDE <= 90:
    raise ConfigError(f"HUB_LATITUDE must be within -90..90, got {HUB_LATITUDE}")
if HUB_LONGITUDE is not None and not -180 <= HUB_LONGITUDE <= 180:
    raise ConfigError(f"HUB_LONGITUDE must be within -180..180, got {HUB_LONGITUDE}")
# Ancestors top first, ending with this hub: eu,nl,nl-nb,den-bosch
HUB_PATH = env.list("HUB_PATH", [HUB_SLUG])
if HUB_PATH[-1] != HUB_SLUG:
    raise ConfigError(f"HUB_PATH must end with HUB_SLUG ({HUB_SLUG}), got {HUB_PATH}")
HUB_PARENT_URL = env.optional_url("HUB_PARENT_URL")
HUB_PUBLIC_URL = env.url("HUB_PUBLIC_URL", "http://127.0.0.1:8000")

HUB_VAR_DIR = VAR_DIR / "hubs" / HUB_SLUG

SECRET_KEY = env.str("SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env.bool("DEBUG", False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "hubs",
    "federation",
    "search",
    "cms",
    "standards",
    "alerts",
    "hubnet",
    "corsheaders",
    "django.contrib.sitemaps",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "graphene_django",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Request id (X-Request-ID) for the logs, request counts and latency.
    "hubnet.observability.RequestObservationMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer (CommonMiddleware, Whitenoise's redirects).
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Rate limits of /graphql, /search/, /catalog*, /healthz and sign-ins.
    "hubnet.middleware.ThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "hubnet.urls"
WSGI_APPLICATION = "hubnet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hubnet.context_processors.hub",
            ],
        },
    },
]

DATABASE_URL = env.url(
    "DATABASE_URL",
    f"sqlite:///{HUB_VAR_DIR / 'db.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql"),
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and a busy timeout let the web process and the worker share one file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["OPTIONS"] = {"connect_timeout": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the rate limit counts. Local memory counts per process; with
# several web workers (production) CACHE_URL points them at one Redis.
CACHE_URL = env.optional_url("CACHE_URL", schemes=("redis", "rediss"))
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # A throttle lookup must not hang a request on a dead Redis.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The languages this hub's site speaks, its default first: pages and records
# written here are in the default unless an editor says otherwise.
SITE_LANGUAGES = ("en", "nl", "fr", "de")
HUB_LANGUAGES = env.list("HUB_LANGUAGES", list(SITE_LANGUAGES))
if not HUB_LANGUAGES or set(HUB_LANGUAGES) - set(SITE_LANGUAGES):
    raise ConfigError(
        f"HUB_LANGUAGES must list codes from {', '.join(SITE_LANGUAGES)}, "
        f"got {','.join(HUB_LANGUAGES)!r}"
    )
HUB_LANGUAGES = list(dict.fromkeys(HUB_LANGUAGES))
LANGUAGE_CODE = HUB_LANGUAGES[0]
# Each language in its own name: the switcher shows them so (base.html).
LANGUAGE_OWN_NAMES = {
    "en": "English",
    "nl": "Nederlands",
    "fr": "Français",
    "de": "Deutsch",
}
LANGUAGES = [(code, LANGUAGE_OWN_NAMES[code]) for code in HUB_LANGUAGES]
# One catalogue for every app (django and djangojs domains), so translators of
# different languages edit different files.
LOCALE_PATHS = [BASE_DIR / "hubnet" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", str(HUB_VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage",
    },
}

WAGTAIL_SITE_NAME = HUB_NAME
WAGTAILADMIN_BASE_URL = HUB_PUBLIC_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Wagtail's index updates run at once, except in batches (cms.indexing).
TASKS = {"default": {"BACKEND": "cms.indexing.DeferringImmediateBackend"}}

# Celery: the embedded broker is a SQLite file per hub (hubnet.broker); Redis in
# CI and compose.
CELERY_BROKER_URL = env.url(
    "CELERY_BROKER_URL",
    f"sqlite-broker:///{HUB_VAR_DIR / 'broker.sqlite3'}",
    schemes=("sqlite-broker", "redis", "rediss"),
)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    dict(broker.TRANSPORT_OPTIONS)
    if CELERY_BROKER_URL.startswith("sqlite-broker:")
    else {"visibility_timeout": 3600}
)
# The embedded broker has no fanout exchange, which remote control needs.
CELERY_WORKER_ENABLE_REMOTE_CONTROL = not CELERY_BROKER_URL.startswith("sqlite-broker:")
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", f"hub-{HUB_SLUG}")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(HUB_VAR_DIR / "celerybeat-schedule")

HEARTBEAT_INTERVAL = env.int("HEARTBEAT_INTERVAL", 30, minimum=1, maximum=3600)
# A worker is considered alive when its last heartbeat is younger than this.
HEARTBEAT_MAX_AGE = env.int(
    "HEARTBEAT_MAX_AGE", 3 * HEARTBEAT_INTERVAL, minimum=HEARTBEAT_INTERVAL
)
HEALTH_CHECK_TIMEOUT = env.int("HEALTH_CHECK_TIMEOUT", 3, minimum=1, maximum=30)
# /healthz shows why a part is down only to staff users and to callers sending
# "Authorization: Bearer <HEALTH_TOKEN>" (monitoring); unset, no token works.
HEALTH_TOKEN = env.optional_str("HEALTH_TOKEN") or ""
if HEALTH_TOKEN and len(HEALTH_TOKEN) < 32:
    raise ConfigError("HEALTH_TOKEN must have at least 32 characters")
# /metrics (Prometheus) answers only "Authorization: Bearer <METRICS_TOKEN>";
# unset, it answers 404 to everyone.
METRICS_TOKEN = env.optional_str("METRICS_TOKEN") or ""
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ConfigError("METRICS_TOKEN must have at least 32 characters")
# ``hubnet backup`` / ``hubnet restore``: where pg_dump and pg_restore are
# (empty: on PATH) and how long either may take.
BACKUP_PG_BIN_DIR = env.str("BACKUP_PG_BIN_DIR", "")
BACKUP_TIMEOUT = env.int("BACKUP_TIMEOUT", 3600, minimum=10, maximum=86400)

# This hub's Ed25519 signing key: base64 of the raw 32-byte private key in
# HUBNET_SIGNING_KEY (wins), else the file HUBNET_SIGNING_KEY_FILE (mode 0600,
# generated on first use). Records from origins whose key is pinned are verified
# unless FEDERATION_VERIFY_SIGNATURES=0 (for measuring its cost only).
HUBNET_SIGNING_KEY = env.str("HUBNET_SIGNING_KEY", "")
HUBNET_SIGNING_KEY_FILE = Path(
    env.str("HUBNET_SIGNING_KEY_FILE", str(HUB_VAR_DIR / "signing.key"))
)
FEDERATION_VERIFY_SIGNATURES = env.bool("FEDERATION_VERIFY_SIGNATURES", True)
# Every periodic task of a hub, in one place (beat runs in the worker started
# with --beat). A missed drain or prune is harmless (the next run does it all),
# so their queued runs expire.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "hubs.tasks.heartbeat_record_task",
        "schedule": float(HEARTBEAT_INTERVAL),
    },
    "sync-neighbours": {
        "task": "federation.tasks.neighbours_sync_task",
        "schedule": float(SYNC_INTERVAL),
    },
    "search-index-drain": {
        "task": "search.tasks.index_drain_task",
        "schedule": float(SEARCH_DRAIN_INTERVAL),
        "options": {"expires": float(SEARCH_DRAIN_INTERVAL)},
    },
    "search-embeddings-fill": {
        "task": "search.tasks.embeddings_fill_task",
        "schedule": float(SEARCH_EMBED_INTERVAL),
        "options": {"expires": float(SEARCH_EMBED_INTERVAL)},
    },
    "sync-history-prune": {
        "task": "federation.tasks.sync_history_prune_task",
        "schedule": float(SYNC_PRUNE_INTERVAL),
        "options": {"expires": float(SYNC_PRUNE_INTERVAL)},
    },
    "harvest-due": {
        "task": "standards.tasks.harvest_due_task",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
}
CELERY_BEAT_SCHEDULE |= {
    "alerts-digests": {
        "task": "alerts.tasks.digests_due_enqueue_task",
        "schedule": float(ALERTS_CHECK_INTERVAL),
        "options": {"expires": float(ALERTS_CHECK_INTERVAL)},
    },
    "alerts-webhooks": {
        "task": "alerts.tasks.webhooks_check_task",
        "schedule": float(ALERTS_CHECK_INTERVAL),
        "options": {"expires": float(ALERTS_CHECK_INTERVAL)},
    },
}
# Every task gets a soft time limit (the task can clean up) and a hard one (its
# process is killed); a sync gets its deadline plus a margin.
CELERY_TASK_SOFT_TIME_LIMIT = env.int(
    "CELERY_TASK_SOFT_TIME_LIMIT", 300, minimum=5, maximum=86400
)
CELERY_TASK_TIME_LIMIT = env.int(
    "CELERY_TASK_TIME_LIMIT",
    CELERY_TASK_SOFT_TIME_LIMIT + 30,
    minimum=CELERY_TASK_SOFT_TIME_LIMIT + 1,
    maximum=86400,
)
CELERY_TASK_ANNOTATIONS = {
    "federation.tasks.neighbour_sync_task": {
        "soft_time_limit": SYNC_DEADLINE + 30,
        "time_limit": SYNC_DEADLINE + 60,
    },
    "federation.tasks.neighbour_poke_task": {
        "soft_time_limit": SYNC_CONNECT_TIMEOUT + SYNC_REQUEST_DEADLINE + 10,
        "time_limit": SYNC_CONNECT_TIMEOUT + SYNC_REQUEST_DEADLINE + 20,
    },
    "hubs.tasks.heartbeat_record_task": {"soft_time_limit": 20, "time_limit": 30},
    "standards.tasks.harvest_run_task": {
        "soft_time_limit": HARVEST_RUN_DEADLINE + 30,
        "time_limit": HARVEST_RUN_DEADLINE + 60,
    },
}
# Each kind of work has its own queue, "<CELERY_QUEUE>.<kind>" ("default" is
# CELERY_QUEUE itself), so a stuck sync never delays indexing or health. The
# router reads the default queue when a task is sent (tests change it).
# Vectors ("embed") run in the sync worker's process: encoding may take seconds
# a batch, and the main worker must stay free for the index drain.
TASK_QUEUE_KINDS = ("sync", "poke", "index", "health", "embed", "default")
TASK_QUEUE_OF = {
    "federation.tasks.neighbour_sync_task": "sync",
    "federation.tasks.neighbour_poke_task": "poke",
    "search.tasks.index_drain_task": "index",
    "hubs.tasks.heartbeat_record_task": "health",
    "search.tasks.embeddings_fill_task": "embed",
}
CELERY_TASK_ROUTES = ("hubnet.celery.task_route",)
# A publish must not hang on a dead broker: two quick attempts, then the caller
# logs a warning and goes on (the interval sync and the drain catch up).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
if CELERY_BROKER_URL.startswith("redis"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "socket_connect_timeout": 2,
        # Without it a publish waits forever on a half-open connection (failover,
        # NAT); consumers' BRPOP is guarded by kombu's own health check.
        "socket_timeout": 10,
    }

SPECTACULAR_SETTINGS = {
    "TITLE": "hubnet API",
    "DESCRIPTION": "The catalogue of one hubnet hub: its own and federated records.",
    "VERSION": "1",
    "PREPROCESSING_HOOKS": ["hubnet.openapi.public_api_only"],
    # Swagger UI from drf-spectacular-sidecar's static files: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# "plain" for people (the demo), "json" for a log collector: one object a line
# with the hub, the request id and the Celery task id.
LOG_FORMAT = env.choice("LOG_FORMAT", ("plain", "json"), "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "hubnet.logs.LogContextFilter"}},
    "formatters": {
        "plain": {
            "format": f"%(asctime)s {HUB_SLUG} %(levelname)s %(name)s %(message)s"
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
            },
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env.choice(
            "LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), "INFO"
        ),
    },
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # At INFO the OpenSearch client logs every request body; at WARNING every
        # failed request with a traceback, although the error reaches our code,
        # which says it in one line (a down engine filled the logs in a soak).
        "opensearch": {"level": "ERROR"},
        "opensearchpy.trace": {"level": "WARNING"},
        "elastic_transport": {"level": "ERROR"},
    },
}

# GraphQL (graphene-django): the schema the endpoint serves and
# ``hubnet graphql_schema`` prints. No graphene middleware (the SQL debug
# middleware graphene adds under DEBUG would wrap every resolver).
GRAPHENE = {
    "SCHEMA": "hubnet.graphql.schema",
    "SCHEMA_OUTPUT": "hubnet/schema.graphql",
    "MIDDLEWARE": [],
}
