"""Intake forms: templates and versions (templates.py), field rules (fields.py,
rules.py), packets and triggers (packets.py, sending.py), requests (requests.py),
autosave (drafts.py), submit and verify (submit.py), consent text (consent.py),
the client-record mapping (profile_map.py), reminders (reminders.py), the data
export (export.py), drawn and typed signatures (signature.py), and the signed
form's document and PDF (document.py, pdf.py). Import the modules themselves;
this package exports nothing."""
