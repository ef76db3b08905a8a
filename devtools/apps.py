from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """The demo college (load_demo_data, demo_banner) and the benchmark data (bench_data): installed by
    the local, test and bench settings only, so a production deployment has neither the commands nor
    their code. It sits above every app and may use their internals: it is scaffolding, not product."""

    name = "devtools"
    verbose_name = "开发工具"
