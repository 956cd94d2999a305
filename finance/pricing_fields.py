"""The fields of an agreement's pricing terms that finance staff set: one list for the form, the
API and the data classification, so a new price field cannot be forgotten in one of them."""

PRICING_TERMS_FIELDS = [
    "pricing_model",
    "currency",
    "annual_fee",
    "per_inmate_month_fee",
    "start_fee",
    "yearly_indexation_percent",
    "rent_starts_on",
]
