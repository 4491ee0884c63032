"""The errors every action, access check and selector may raise.

Pages, the API and the socket translate them the same way: a status (or an
error frame) with a code for programs and a sentence for a person.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ActionError(Exception):
    status = 400
    code = "invalid"
    default_detail: str | Promise = _("The request is not valid.")

    def __init__(self, detail: str | Promise | None = None, *, code: str | None = None) -> None:
        self.detail = detail if detail is not None else self.default_detail
        if code is not None:
            self.code = code
        super().__init__(str(self.detail))


class Invalid(ActionError):
    """Bad input: a field missing, of the wrong kind, out of range."""


class NotFound(ActionError):
    """Missing, of another tenant, or not visible to this user: one answer for all."""

    status = 404
    code = "not_found"
    default_detail = _("Not found, or you do not have access to it.")


class NotAllowed(ActionError):
    """Visible, but this user's role may not do this."""

    status = 403
    code = "not_allowed"
    default_detail = _("Your role in this meeting does not allow this.")


class WrongState(ActionError):
    """Allowed in general, but not now (a closed meeting, a ballot twice…)."""

    status = 409
    code = "wrong_state"
    default_detail = _("This cannot be done in the current state.")


class Gone(ActionError):
    """It was there and is not any more: an expired link, a superseded version.

    Not a NotFound: the person had it and may get it again (a fresh link,
    the new version), so they are told so.
    """

    status = 410
    code = "gone"
    default_detail = _("No longer available")
