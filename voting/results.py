"""Result sheets: a closed slip's or ballot's result as a signed PDF.

Rendered in the administrative layout (``ecabinet/templates/pdf/document.html``),
signed with the tenant's certificate and kept immutable by
``ecabinet.actions.do_issue_signed_document``. Issuing is idempotent: a slip
or ballot keeps the id of its sheet, and a second call returns that sheet.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ecabinet.collation import by_name
from ecabinet.errors import ActionError, WrongState
from ecabinet.models import User
from ecabinet.roles import TenantCapability, tenant_allows
from meetings.models import Participant
from voting.access import manages_slips
from voting.models import Ballot, Outcome, Slip, SlipAnswer, SlipRecipient
from voting.payloads import named_votes, option_label
from voting.rules import SECRET_COUNTS_FROM

SLIP_RESULT = "slip_result"
BALLOT_RESULT = "ballot_result"


def _outcome_label(outcome: str) -> str:
    return str(dict(Outcome.choices)[outcome])


def _signer(tenant: Any, acting_user: User | None) -> dict[str, str]:
    return {
        "signer_authority": _("ON BEHALF OF THE SECRETARIAT"),
        "signer_position": (
            acting_user.title if acting_user and acting_user.title else _("Secretariat")
        ).upper(),
        "signer_name": acting_user.full_name if acting_user else str(tenant.name),
    }


def slip_sheet_context(slip: Slip) -> dict[str, Any]:
    result = slip.result or {}
    labels = dict(SlipAnswer.Choice.choices)
    answers = {a.user_id: a for a in SlipAnswer.objects.filter(slip=slip)}
    rows = []
    for recipient in (
        SlipRecipient.objects.filter(slip=slip).select_related("user").order_by(by_name("user__full_name"))
    ):
        answer = answers.get(recipient.user_id)
        rows.append(
            {
                "name": recipient.user.full_name,
                "title": recipient.user.title,
                "answer": str(labels[answer.choice]) if answer else _("No answer"),
                "text": answer.text if answer else "",
            }
        )
    return {
        "tenant": slip.tenant,
        "title": _("RESULT OF THE OPINION SLIP"),
        "subtitle": slip.question,
        "slip": slip,
        "result": result,
        "outcome_label": _outcome_label(result.get("outcome", Outcome.FAILED)),
        "counts": [
            (str(labels[key]), result.get("counts", {}).get(key, 0)) for key in SlipAnswer.Choice.values
        ],
        "rows": rows,
        "recipients": [_("Members asked")],
        **_signer(slip.tenant, slip.issued_by),
    }


def ballot_sheet_context(ballot: Ballot) -> dict[str, Any]:
    result = ballot.result or {}
    labels = {o["key"]: option_label(o) for o in ballot.options}
    chair = Participant.objects.filter(meeting=ballot.meeting, role="chair").select_related("user").first()
    return {
        "tenant": ballot.tenant,
        "title": _("RESULT OF THE VOTE"),
        "subtitle": ballot.question,
        "ballot": ballot,
        "meeting": ballot.meeting,
        "item": ballot.item,
        "result": result,
        "outcome_label": _outcome_label(result.get("outcome", Outcome.FAILED)),
        "winner_label": labels.get(result.get("winner") or "", ""),
        "counts": [(labels[o["key"]], result["counts"].get(o["key"], 0)) for o in ballot.options]
        if result.get("counts") is not None
        else [],
        "withheld": result.get("outcome") == Outcome.WITHHELD,
        "secret_counts_from": SECRET_COUNTS_FROM,
        "votes": [v | {"option_label": labels.get(v["option"], v["option"])} for v in named_votes(ballot)],
        "recipients": [_("Members of the meeting")],
        "signer_authority": _("ON BEHALF OF THE SECRETARIAT"),
        "signer_position": _("Chair of the session").upper(),
        "signer_name": chair.user.full_name if chair else "",
    }


@transaction.atomic
def issue_slip_result_sheet(slip: Slip, *, acting_user: User | None = None) -> Any:
    from ecabinet.actions import do_issue_signed_document
    from ecabinet.models import SignedDocument

    slip = Slip.objects.select_for_update().select_related("tenant", "issued_by").get(pk=slip.pk)
    if slip.status != Slip.Status.CLOSED:
        raise WrongState(_("The result sheet is issued once the slip is closed."))
    if slip.result_document_id:
        return SignedDocument.objects.get(pk=slip.result_document_id)
    document = do_issue_signed_document(
        tenant=slip.tenant,
        kind=SLIP_RESULT,
        title=_("Result of opinion slip no. %(number)s") % {"number": slip.number},
        template_name="voting/pdf/slip_result.html",
        context=slip_sheet_context(slip),
        acting_user=acting_user,
        symbol="KQLYK",
        reference=f"slip:{slip.pk}",
    )
    slip.result_document_id = document.pk
    slip.save(update_fields=["result_document_id"])
    return document


@transaction.atomic
def issue_ballot_result_sheet(ballot: Ballot, *, acting_user: User | None = None) -> Any:
    from ecabinet.actions import do_issue_signed_document
    from ecabinet.models import SignedDocument

    ballot = Ballot.objects.select_for_update().select_related("tenant", "meeting", "item").get(pk=ballot.pk)
    if ballot.status != Ballot.Status.CLOSED:
        raise WrongState(_("The result sheet is issued once the ballot is closed."))
    if ballot.result_document_id:
        return SignedDocument.objects.get(pk=ballot.result_document_id)
    document = do_issue_signed_document(
        tenant=ballot.tenant,
        kind=BALLOT_RESULT,
        title=_("Result of the vote: %(question)s") % {"question": ballot.question[:200]},
        template_name="voting/pdf/ballot_result.html",
        context=ballot_sheet_context(ballot),
        acting_user=acting_user,
        symbol="KQBQ",
        reference=f"ballot:{ballot.pk}",
    )
    ballot.result_document_id = document.pk
    ballot.save(update_fields=["result_document_id"])
    return document


def may_read_slip_result(user: Any, document: Any) -> bool:
    """The secretariat and the members asked read a slip's result sheet."""
    slip = Slip.objects.filter(result_document_id=document.pk).first()
    if slip is None:
        return tenant_allows(user, TenantCapability.READ_RECORDS)
    return manages_slips(user) or SlipRecipient.objects.filter(slip=slip, user=user).exists()


def may_read_ballot_result(user: Any, document: Any) -> bool:
    """Whoever sees the ballot's item in its meeting reads its result sheet."""
    from meetings.access import access_meeting

    ballot = Ballot.objects.filter(result_document_id=document.pk).first()
    if ballot is None:
        return tenant_allows(user, TenantCapability.READ_RECORDS)
    try:
        access = access_meeting(user, ballot.meeting_id)
    except ActionError:
        return False
    return access.sees_item(ballot.item_id)


def register_result_access() -> None:
    from ecabinet.signing import register_signed_document_access

    register_signed_document_access(SLIP_RESULT, may_read_slip_result)
    register_signed_document_access(BALLOT_RESULT, may_read_ballot_result)
