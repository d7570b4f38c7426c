"""The communication plan as data: its targets as indicators computed from live data per unit
and period, stored as per-unit figures and rolled up the tree as it was in that period, and the
targets dashboard."""
