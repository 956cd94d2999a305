"""Danish: 03.12.2026, 03.12.2026 14:05, 3.750.000,00 (Django's own: 3. december 2026)."""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
# Typed dates: 03.12.2026, 3.12.2026 and 03.12.26; ISO (2026-12-03) is always accepted too, since
# Django adds it to every language's input formats, and it is what a date picker sends.
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
