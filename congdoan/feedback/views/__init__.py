"""Pages of "Workers' voice", by topic: `public` (send, follow), `posters` (the workplace QR code),
`inbox` (the list, its export, recording a concern), `concern` (one concern and the steps of
the work), `reports` (groups, dashboard, summaries, the Office's tools); `params` holds the
query-parameter names.

Views are thin: they parse a form, ask `feedback.rules` or call one selector or service, and
render or redirect. `feedback/urls.py` names each view by its module.
"""
