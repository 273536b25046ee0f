"""Django settings for the hub, read from AGORA_HUB_* environment variables (listed in .env.example)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from hub.env import EnvError, envbool, envint, envlist, envsecret, envstr, rate_limits
from hub.storage_settings import hub_storages

BASE_DIR = Path(__file__).resolve().parent

DATA_DIR = Path(envstr("AGORA_HUB_DATA", "./var/hub")).expanduser().resolve()
try:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
except OSError as error:
    raise EnvError(f"AGORA_HUB_DATA={str(DATA_DIR)!r} cannot be created: {error.strerror}.") from None


def _secret_key_from_data_dir(folder: Path) -> str:
    """The key saved in the data folder, made on first start so a fresh install needs no manual step."""
    path = folder / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return key


SECRET_KEY = envsecret("AGORA_HUB_SECRET_KEY") or _secret_key_from_data_dir(DATA_DIR)
DEBUG = envbool("AGORA_HUB_DEBUG", False)
ALLOWED_HOSTS = envlist("AGORA_HUB_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
MUSEUM_NAME = envstr("AGORA_HUB_MUSEUM_NAME", "Musée de la Vallée")
PUBLIC_URL = envstr("AGORA_HUB_PUBLIC_URL").rstrip("/") or None
if PUBLIC_URL and not PUBLIC_URL.startswith(("http://", "https://")):
    raise EnvError(f"AGORA_HUB_PUBLIC_URL={PUBLIC_URL!r} must start with http:// or https://.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "hub.museum",
    "hub.devices",
    "hub.blobs",
    "hub.contributions",
    "hub.curation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hub.curation.middleware.ContentSecurityPolicyMiddleware",
    "hub.api.middleware.ApiMiddleware",
]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"

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
                "hub.curation.context_processors.museum",
            ],
        },
    },
]

_database_url = envstr("AGORA_HUB_DATABASE_URL")
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=600, conn_health_checks=True)}
    except ValueError as error:
        raise EnvError(f"AGORA_HUB_DATABASE_URL is not a usable database URL: {error}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            # Each gunicorn worker keeps its connection instead of reopening the file on every request.
            "CONN_MAX_AGE": 600,
            # Tests get a file too (not SQLite's shared in-memory database), so concurrent requests in the
            # tests take real locks on separate connections, as gunicorn's workers do.
            "TEST": {"NAME": DATA_DIR / "test-db.sqlite3"},
            "OPTIONS": {
                # WAL lets the curator pages read while a kiosk writes; IMMEDIATE takes the write lock at
                # the start of each transaction so concurrent writers wait instead of failing mid-way.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # FULL, not WAL's usual NORMAL: a receipt promises the kiosk it may forget the story, so the
                # commit behind it must survive a power cut too.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/curate/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# English is the fallback; curators whose browser asks for French get French once the catalogue exists.
LANGUAGE_CODE = "en"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = hub_storages()

# Half-received blobs stay on this machine's disk (object stores cannot append); complete ones go to STORAGES.
AGORA_HUB_UPLOADS_DIR = DATA_DIR / "uploads"
AGORA_HUB_MAX_PHOTO_MB = envint("AGORA_HUB_MAX_PHOTO_MB", 25)
AGORA_HUB_MAX_AUDIO_MB = envint("AGORA_HUB_MAX_AUDIO_MB", 100)
AGORA_HUB_MAX_PHOTO_MEGAPIXELS = envint("AGORA_HUB_MAX_PHOTO_MEGAPIXELS", 50)
AGORA_HUB_MAX_AUDIO_SECONDS = envint("AGORA_HUB_MAX_AUDIO_SECONDS", 15 * 60)
AGORA_HUB_BLOB_UNREFERENCED_HOURS = envint("AGORA_HUB_BLOB_UNREFERENCED_HOURS", 72)
AGORA_HUB_TOKEN_OVERLAP_MINUTES = envint("AGORA_HUB_TOKEN_OVERLAP_MINUTES", 10)
AGORA_HUB_SILENT_MINUTES = envint("AGORA_HUB_SILENT_MINUTES", 30)
AGORA_HUB_KIOSK_IDLE_SECONDS = envint("AGORA_HUB_KIOSK_IDLE_SECONDS", 90)
AGORA_HUB_KIOSK_THANKS_SECONDS = envint("AGORA_HUB_KIOSK_THANKS_SECONDS", 8)
AGORA_HUB_ATTRACT_TITLE = {
    "fr": envstr("AGORA_HUB_ATTRACT_TITLE_FR", "Racontez-nous votre histoire"),
    "en": envstr("AGORA_HUB_ATTRACT_TITLE_EN", "Tell us your story"),
}
AGORA_HUB_ATTRACT_TEXT = {
    "fr": envstr("AGORA_HUB_ATTRACT_TEXT_FR", "Touchez l'écran pour commencer."),
    "en": envstr("AGORA_HUB_ATTRACT_TEXT_EN", "Touch the screen to begin."),
}

# Requests allowed per window, by scope: a small table so a museum can read and tune it in one place.
# Kiosk limits count per device, the others per client address (the proxy's address behind one).
AGORA_HUB_RATE_LIMITS = rate_limits(
    envstr("AGORA_HUB_RATE_LIMITS"),
    {
        "pair": (10, 600),  # pairing codes are short: ten guesses per ten minutes per address
        "kiosk": (600, 60),  # a kiosk sends a few requests per contribution, chunks included
        "kiosk-address": (1200, 60),  # every kiosk call from one address, token or not
        "public": (600, 60),  # the public list of stories, per address
    },
)
# How many reverse proxies in front of the hub add themselves to X-Forwarded-For (0: none, trust REMOTE_ADDR).
AGORA_HUB_PROXIES = envint("AGORA_HUB_PROXIES", 0)

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Behind a TLS-terminating proxy the public URL says https; the cookies then travel only over TLS.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = bool(PUBLIC_URL and PUBLIC_URL.startswith("https://"))
CSRF_TRUSTED_ORIGINS = [PUBLIC_URL] if PUBLIC_URL else []

# Uploads go through the kiosk API as JSON; anything bigger than a few stories is a mistake.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
