"""One policy function per action, used by the web views, the API and the CLI alike."""

from __future__ import annotations

from qualityplan.core.querysets import CHANGE, VIEW


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_enter_event(user, *, unit) -> bool:
    """Enter a credit event for ``unit`` (the deciding / owning department): the office, or that unit's reporter."""
    if not _signed_in(user):
        return False
    if user.is_office:
        return True
    return bool(user.is_reporter and unit is not None and user.unit_id == unit.id)


def can_change_event(user, event) -> bool:
    """Edit an event, record a recheck outcome, attach a file: whoever may change it by data scope."""
    return _signed_in(user) and type(event).objects.restrict(user, CHANGE).filter(pk=event.pk).exists()


def can_apply_repair(user, event) -> bool:
    """Register a repair application (received at the counter or online) for an event: its department or the
    office. (The enterprise applies; the department records the application and its materials.)"""
    return can_change_event(user, event)


def can_decide_repair(user, application) -> bool:
    """Decide a repair application: the deciding department (the event's owner) or the office."""
    if not _signed_in(user):
        return False
    if user.is_office:
        return True
    return bool(user.is_reporter and application.unit_id and user.unit_id == application.unit_id)


def can_view_document(user, document) -> bool:
    """Download a kept file: signed-in users whose data scope includes it (never by URL)."""
    return _signed_in(user) and type(document).objects.restrict(user, VIEW).filter(pk=document.pk).exists()


def can_open_supervision(user) -> bool:
    """Open a 督办单 from a credit event: the office (as for every supervision item)."""
    return _signed_in(user) and user.is_office


def can_import(user) -> bool:
    """Load a credit file (many departments' events at once): the office."""
    return _signed_in(user) and user.is_office


class SystemActor:
    """The actor of command-line runs without ``--user`` (audited as "system"): the office's rights."""

    is_authenticated = True
    is_anonymous = False
    is_superuser = True
    is_office = True
    is_reporter = False
    role = "office"
    unit = None
    unit_id = None
    pk = None
    id = None
    username = "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()
