"""Settings for `make bench`'s own set-up steps (migrate, demo content, bench_data, measurements run
in-process): the production settings, plus permission to load the demo college into the throwaway
bench database. gunicorn under test runs `config.settings.production` itself, unchanged."""

from config.settings.production import *  # noqa: F403

COLLEGE_ALLOW_DEMO_DATA = True

INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405 - the demo college and bench data, never in production
