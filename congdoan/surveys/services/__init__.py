"""Writes of the surveys app (every officer write audited)."""
