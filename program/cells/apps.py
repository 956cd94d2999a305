from django.apps import AppConfig


class CellsConfig(AppConfig):
    name = "program.cells"
    label = "cells"
    verbose_name = "Cells and places"
