"""The client's forms are in "Download my data": sent and submitted ones with the
answers and the signer's record, and nothing of another client's."""

import json

from portal_app.services.data_export import build_export
from portal_app.services.forms.submit import submit_form
from portal_app.services.permissions import Access
from tests.unit.forms_helpers import NOW, send, setup

NOTHING = Access(bookings=False, messaging=False, billing=False, pay=False, documents=False,
                 upload=False)


def test_export_holds_the_records_forms_and_answers_only(session):
    staff, account, (alex, sam), template = setup(session, names=("Alex", "Sam"))
    mine = send(session, staff, alex, template)
    theirs = send(session, staff, sam, template)
    for client, request, marker in ((alex, mine, "Ownmarker"), (sam, theirs, "Foreignmarker")):
        submit_form(session, client_id=client.id, request_id=request.id, account_id=account.id,
                    email=account.email, ip="198.51.100.7", user_agent="UA",
                    consent_version=None, now=NOW,
                    answers={"name": f"{client.full_name}", "allergies": "no",
                             "notes": marker, "dob": "1990-02-03"})

    data = build_export(session, client_id=alex.id, access=NOTHING).data

    (form,) = data["forms"]
    assert (form["id"], form["title"], form["status"], form["version"]) == (
        mine.id, "Intake", "completed", 1)
    assert {"question": "Anything else?", "answer": "Ownmarker"} in form["answers"]
    assert form["signed"]["email"] == account.email and len(form["signed"]["document_sha256"]) == 64
    assert data["profile"]["date_of_birth"] == "1990-02-03"
    assert "Foreignmarker" not in json.dumps(data)
