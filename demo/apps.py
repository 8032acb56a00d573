from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and ``setup_demo``: no models, only builders and the tables they read."""

    name = "demo"
