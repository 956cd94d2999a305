"""The programme report: the figures the Folketing's committee and the Ministry ask for.

Each figure is one set-based query over the case timeline (transfers.CaseEvent) or the
placements, dated by the day a thing happened, so a past period's report stays the same. See
docs/programme-report.md for the definitions and how to add a figure.
"""
