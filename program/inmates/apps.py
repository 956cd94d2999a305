from django.apps import AppConfig


class InmatesConfig(AppConfig):
    name = "program.inmates"
    label = "inmates"
    verbose_name = "Inmates"
