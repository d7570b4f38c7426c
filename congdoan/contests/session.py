"""Which participant a request is, in a contest: a logged-in user's participant (by their
login), or the participant this browser's session verified by phone (kept in the session
under SESSION_KEY as {contest id: participant id}); and the attempts this session opened
(ATTEMPTS_KEY, {token: participant id}), so that the answer endpoint knows the participant
of an attempt without a query."""

from __future__ import annotations

from django.http import HttpRequest

from congdoan.contests.models import Attempt, Contest, Participant

SESSION_KEY = "contests.participants"
ATTEMPTS_KEY = "contests.attempts"
ATTEMPTS_KEPT = 20


def participant_for(request: HttpRequest, contest: Contest) -> Participant | None:
    """The participant of this request in `contest`, or None when they have not joined."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        found = Participant.objects.filter(contest=contest, user=user).order_by("pk").first()
        if found is not None:
            return found
    remembered = request.session.get(SESSION_KEY, {}).get(str(contest.pk))
    if not remembered:
        return None
    return Participant.objects.filter(pk=remembered, contest=contest).order_by("pk").first()


def participant_id_for_attempt(request: HttpRequest, token: str) -> int | None:
    """The participant whose attempt `token` this session opened (the attempt page remembers
    it): the answer endpoint's check, without a query. None when this session never opened it."""
    value = request.session.get(ATTEMPTS_KEY, {}).get(str(token)[:32])
    return int(value) if value else None


def remember_attempt(request: HttpRequest, attempt: Attempt) -> None:
    """Remember that this session's participant owns `attempt` (set by the attempt page)."""
    kept = dict(request.session.get(ATTEMPTS_KEY, {}))
    if kept.get(attempt.token) == attempt.participant_id:
        return
    if len(kept) >= ATTEMPTS_KEPT:  # the oldest go first: a session keeps a handful
        kept = dict(list(kept.items())[-(ATTEMPTS_KEPT - 1) :])
    kept[attempt.token] = attempt.participant_id
    request.session[ATTEMPTS_KEY] = kept


def remember(request: HttpRequest, participant: Participant) -> None:
    """Keep the participant in this session (after a phone code, and for members too, so that
    the answer endpoint finds them without a query)."""
    kept = dict(request.session.get(SESSION_KEY, {}))
    kept[str(participant.contest_id)] = participant.pk
    request.session[SESSION_KEY] = kept
