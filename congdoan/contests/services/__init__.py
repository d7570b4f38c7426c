"""Writes of the contests app, by topic (participants, attempts, scoring, the officer side)."""
