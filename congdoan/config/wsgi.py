"""The WSGI application gunicorn serves: Django, with the contest answer call's short road in
front of it (congdoan/contests/fastpath.py; CONTESTS_ANSWER_FAST_PATH=0 turns it off)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congdoan.config.settings")
django_application = get_wsgi_application()

from congdoan.contests.fastpath import wrap  # noqa: E402 (after Django is set up)

application = wrap(django_application)
