"""Letters the system writes as PDF: decisions, notification, appeal outcome, transport manifest.

Templates are data per programme and language (LetterTemplate), each generation is stored as a
new version of one of the case's documents with the template versions and the data it used
(Letter). See docs/letters.md.
"""
