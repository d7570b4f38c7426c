"""The surveys pages: officers (build, results, export) and respondents (answer)."""
