"""Forged payment events: a client can never see, pay or answer another
household's invoice, whatever id the browser sends; permissions hold on the
server; the test-mode checkout pays only the payer's own attempt."""

from reflex.istate.data import RouterData
from sqlmodel import func, select

from models import CheckoutAttempt, Invoice, InvoiceStatus, Payment
from portal_app.services.billing import payments as payment_service
from portal_app.services.billing.invoices import save_draft
from state.checkout_test_mode import CheckoutTestModeState
from state.payments import InvoiceState, PaymentsState, ReceiptState
from tests import factories
from tests.state.harness import all_vars, call, new_tab, signed_in_client, substate, tab_at


def _invoice(session, client, price="100.00", *, status=InvoiceStatus.SENT, kind="invoice"):
    staff = factories.staff(session)
    invoice = save_draft(session, staff_id=staff.id, invoice_id=None,
                         form={"client_id": client.id, "kind": kind},
                         lines=[{"description": "Session", "quantity": "1",
                                 "unit_price": price}])
    invoice.status = status
    session.add(invoice)
    session.commit()
    return invoice



def _count(session, model) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def _victim_documents(session):
    _, victim = signed_in_client(session, "Victim")
    docs = [_invoice(session, victim, status=s) for s in
            (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.DRAFT,
             InvoiceStatus.VOID)]
    docs.append(_invoice(session, victim, kind="estimate"))
    return victim, docs


def test_every_invoice_of_another_household_is_refused_through_every_handler(engine, session):
    factories.business(session)
    token, _ = signed_in_client(session, "Mallory")
    _, docs = _victim_documents(session)
    for doc in docs:
        root = tab_at(token, f"/payments/invoice?id={doc.id}")
        call(root, InvoiceState, "load")
        view = substate(root, InvoiceState)
        assert view.found is False and view.inv == {}
        assert doc.number not in all_vars(root)
        call(root, InvoiceState, "pay_now")
        call(root, InvoiceState, "answer_estimate", True)

        tab = new_tab(token)
        call(tab, PaymentsState, "load")
        assert doc.number not in all_vars(tab)
        result = call(tab, PaymentsState, "pay_now", str(doc.id))
        assert "does not exist" in repr(result)
        call(tab, PaymentsState, "submit_payment", {"invoice_id": str(doc.id), "amount": "1"})
        assert substate(tab, PaymentsState).pay_error == "That invoice does not exist."
    assert _count(session, CheckoutAttempt) == 0
    assert _count(session, Payment) == 0
    session.expire_all()
    assert [session.get(Invoice, d.id).status for d in docs] == [
        "sent", "partially_paid", "draft", "void", "sent"]


def test_receipts_of_another_household_are_refused(engine, session):
    factories.business(session)
    token, _ = signed_in_client(session, "Mallory")
    victim_token, victim = signed_in_client(session, "Victim")
    invoice = _invoice(session, victim)
    staff = factories.staff(session)
    payment = payment_service.record_offline_payment(
        session, staff_id=staff.id, invoice_id=invoice.id,
        form={"amount": "100.00", "method": "cash"}, base_url="http://x")
    session.commit()
    for raw in (str(payment.id), "0", "-1", "abc", "9" * 30):
        root = tab_at(token, f"/payments/receipt?id={raw}")
        call(root, ReceiptState, "load")
        assert substate(root, ReceiptState).found is False
        assert payment.receipt_number not in all_vars(root)
    own = tab_at(victim_token, f"/payments/receipt?id={payment.id}")
    call(own, ReceiptState, "load")
    assert substate(own, ReceiptState).receipt["number"] == payment.receipt_number


def test_forged_amounts_are_refused_and_the_balance_is_the_default(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Payer")
    invoice = _invoice(session, client, "100.00")
    tab = new_tab(token)
    call(tab, PaymentsState, "load")
    for amount, message in (("100.01", "The most you can pay"), ("0.10", "smallest online"),
                            ("-5", "cannot be negative"), ("1e3", "such as"),
                            ("12.345", "at most 2 decimal")):
        call(tab, PaymentsState, "submit_payment", {"invoice_id": str(invoice.id),
                                                    "amount": amount})
        assert message in substate(tab, PaymentsState).pay_error, amount
    assert _count(session, CheckoutAttempt) == 0

    result = call(tab, PaymentsState, "pay_now", str(invoice.id))
    assert "/pay/test?session=" in repr(result)
    attempt = session.exec(select(CheckoutAttempt)).one()
    assert attempt.amount_minor == 10000 and attempt.client_id == client.id


def test_pay_permission_off_refuses_payment_but_shows_billing(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "No Pay", pay=False)
    invoice = _invoice(session, client)
    tab = new_tab(token)
    call(tab, PaymentsState, "load")
    view = substate(tab, PaymentsState)
    assert [r["number"] for r in view.rows] == [invoice.number]
    assert view.rows[0]["can_pay"] == ""
    result = call(tab, PaymentsState, "pay_now", str(invoice.id))
    assert "not available" in repr(result)
    assert _count(session, CheckoutAttempt) == 0


def test_billing_permission_off_hides_everything(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "No Billing", billing=False, pay=False)
    invoice = _invoice(session, client)
    tab = tab_at(token, f"/payments/invoice?id={invoice.id}")
    result = call(tab, InvoiceState, "load")
    assert "/dashboard" in repr(result)
    assert invoice.number not in all_vars(tab)
    result = call(tab, PaymentsState, "load")
    assert "/dashboard" in repr(result)
    assert invoice.number not in all_vars(tab)


def test_test_checkout_pays_only_the_payers_own_attempt(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Payer")
    other_token, _ = signed_in_client(session, "Mallory")
    invoice = _invoice(session, client, "60.00")
    call(new_tab(token), PaymentsState, "pay_now", str(invoice.id))
    attempt = session.exec(select(CheckoutAttempt)).one()
    url = f"/pay/test?session={attempt.provider_session_id}"

    intruder = tab_at(other_token, url)
    call(intruder, CheckoutTestModeState, "load")
    assert substate(intruder, CheckoutTestModeState).checkout == {}
    call(intruder, CheckoutTestModeState, "pay")
    assert _count(session, Payment) == 0

    payer = tab_at(token, url)
    call(payer, CheckoutTestModeState, "load")
    assert substate(payer, CheckoutTestModeState).checkout["amount"] == "$60.00"
    result = call(payer, CheckoutTestModeState, "pay")
    assert f"/payments/invoice?id={invoice.id}&paid=1" in repr(result)
    call(payer, CheckoutTestModeState, "pay")  # a double press records nothing more
    assert _count(session, Payment) == 1
    session.expire_all()
    assert session.get(Invoice, invoice.id).status == InvoiceStatus.PAID


def test_estimate_answered_once_by_its_owner(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Estimator")
    estimate = _invoice(session, client, kind="estimate")
    tab = tab_at(token, f"/payments/invoice?id={estimate.id}")
    call(tab, InvoiceState, "load")
    assert substate(tab, InvoiceState).inv["can_answer"] == "yes"
    call(tab, InvoiceState, "answer_estimate", True)
    result = call(tab, InvoiceState, "answer_estimate", False)
    assert "already answered" in repr(result)
    session.expire_all()
    assert session.get(Invoice, estimate.id).status == InvoiceStatus.ACCEPTED


def test_a_partial_payment_may_not_leave_an_unpayable_remainder(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Payer")
    invoice = _invoice(session, client, "100.00")
    tab = new_tab(token)
    call(tab, PaymentsState, "load")
    call(tab, PaymentsState, "submit_payment", {"invoice_id": str(invoice.id),
                                                "amount": "99.70"})
    assert "leave at least $0.50" in substate(tab, PaymentsState).pay_error
    assert _count(session, CheckoutAttempt) == 0
    result = call(tab, PaymentsState, "submit_payment", {"invoice_id": str(invoice.id),
                                                         "amount": "99.50"})
    assert "/pay/test?session=" in repr(result)


def test_the_invoice_frame_stays_for_the_owner_and_goes_for_another_household(engine, session):
    """The page paints the invoice's frame before the invoice arrives (`missing` False);
    the client's own invoice keeps it, another household's drops it with every line."""
    factories.business(session)
    token, client = signed_in_client(session, "Owner")
    own = _invoice(session, client)
    _, docs = _victim_documents(session)
    tab = tab_at(token, f"/payments/invoice?id={own.id}")
    view = substate(tab, InvoiceState)
    assert view.missing is False and view.found is False  # the frame, before the load
    call(tab, InvoiceState, "load")
    assert view.missing is False and view.found is True
    assert [ln["description"] for ln in view.lines] == ["Session"]

    # The same tab opens someone else's invoice: nothing of the last one stays.
    tab.router_data["asPath"] = f"/payments/invoice?id={docs[0].id}"
    tab.router = RouterData.from_router_data(tab.router_data)
    call(tab, InvoiceState, "load")
    assert view.missing is True and view.found is False
    assert view.inv == {} and view.lines == [] and view.payments == []
    assert "does not exist" in view.notice
