"""The draft form's live preview, without Reflex: each line's amount or error
and the totals, from the texts as typed, with the parsers the saved draft uses."""

from portal_app.services.billing.lines import LinePreview, preview_draft


def _line(description, quantity, price):
    return {"description": description, "quantity": quantity, "unit_price": price}


def test_preview_computes_lines_discount_and_tax():
    preview = preview_draft([_line("Consultation", "2", "80.00"),
                             _line("Materials", "1.5", "10.00")],
                            tax_rate="8.25", discount="5.00", currency="USD")
    assert preview.lines == [LinePreview("$160.00", ""), LinePreview("$15.00", "")]
    assert preview.totals == {"subtotal": "$175.00", "discount": "-$5.00",
                              "tax_label": "Tax (8.25%)", "tax": "$14.03", "total": "$184.03"}


def test_blank_and_unreadable_lines_count_for_nothing():
    preview = preview_draft([_line("", "1", ""), _line("Cut", "1", "1500.5"),
                             _line("Cut", "3", "1500")],
                            tax_rate="10", discount="0", currency="JPY")
    assert preview.lines == [LinePreview("", ""),
                             LinePreview("", "JPY amounts have no decimals."),
                             LinePreview("¥4,500", "")]
    assert preview.totals["total"] == "¥4,950"
    assert preview.totals["discount"] == ""


def test_no_tax_rate_shows_a_plain_tax_label():
    preview = preview_draft([_line("Session", "1", "10.00")], tax_rate="0", discount="",
                            currency="USD")
    assert preview.totals == {"subtotal": "$10.00", "discount": "", "tax_label": "Tax",
                              "tax": "$0.00", "total": "$10.00"}


def test_an_unreadable_rate_or_discount_leaves_only_the_subtotal():
    for rate, discount in (("abc", "0"), ("5", "-1")):
        preview = preview_draft([_line("Session", "2", "10.00")], tax_rate=rate,
                                discount=discount, currency="USD")
        assert preview.totals == {"subtotal": "$20.00", "discount": "", "tax_label": "Tax",
                                  "tax": "—", "total": "—"}
