"""Evaluations of apps above the toolkit (`congdoan nlp eval --only NAME`), registered by dotted
path from their AppConfig.ready (the toolkit imports no app): nothing of them, nor of
:mod:`congdoan.text.evaluate`, is imported when a process starts, only when the command runs
them (:func:`congdoan.text.evaluate.evaluations`)."""

from __future__ import annotations

# name → dotted path of a function (models_dir: Path | None) -> evaluate.Row
APP_EVALUATIONS: dict[str, str] = {}


def register(name: str, path: str) -> None:
    APP_EVALUATIONS[name] = path
