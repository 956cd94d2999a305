from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    # An app of its own inside transfers: its tables and migrations stay apart from the case
    # file's, and transfers imports nothing from it.
    name = "transfers.letters"
    label = "letters"
    verbose_name = _("Letters")
