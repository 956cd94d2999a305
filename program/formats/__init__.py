"""The project's date and number formats per language (settings.FORMAT_MODULE_PATH).

Each language's module overrides only what differs from Django's own formats for it; anything it
does not name comes from Django. A language without a folder here uses Django's formats as they
are (Albanian, for one). See docs/i18n.md.
"""
