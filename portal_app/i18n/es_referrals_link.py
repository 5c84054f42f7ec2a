"""Spanish catalogue of the Referrals app (issue 24), part "link": the referral code
field of the sign-up page (English msgid -> Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
    "Referral code (optional)": "Código de referido (opcional)",
    "We don't know that referral code.": "No conocemos ese código de referido.",
}
