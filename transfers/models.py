"""Transfer cases, eligibility screenings, documents and transport (filled by their issue)."""
