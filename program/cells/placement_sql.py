"""SQL text shared by the cells app's raw queries.

A placement reaches its agreement through its place, cell, unit and facility. Several counts
(occupied days, holds against the cap, the occupancy series) walk that same path; keeping it in
one place keeps their notion of "the agreement's placements" the same.
"""

# Aliases: p placement, pl place, c cell, u unit, f facility. Callers add their own WHERE.
PLACEMENT_TO_FACILITY = """
    FROM cells_placement p
    JOIN cells_place pl ON pl.id = p.place_id
    JOIN cells_cell c ON c.id = pl.cell_id
    JOIN cells_unit u ON u.id = c.unit_id
    JOIN cells_facility f ON f.id = u.facility_id
"""

# The periods of the agreement's holds (placed or reserved, not cancelled), leaving out the
# placement %(ignore)s (0 for none); callers add the window the periods must overlap.
AGREEMENT_HOLDS = f"""
    SELECT p.period
    {PLACEMENT_TO_FACILITY}
    WHERE f.agreement_id = %(agreement)s
      AND p.end_reason <> 'cancelled'
      AND p.id <> %(ignore)s
"""
