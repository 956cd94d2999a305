"""Inmates, judgments, expulsion orders and non-associations (filled by the inmates issue)."""
