from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HostConfig(AppConfig):
    name = "program.host"
    label = "host"
    verbose_name = _("Host facility")
