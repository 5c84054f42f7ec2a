"""Intake forms: templates and versions (templates.py), field rules (fields.py,
rules.py), packets and triggers (packets.py, sending.py), requests (requests.py),
autosave (drafts.py), submit and verify (submit.py), consent text (consent.py),
the client-record mapping (profile_map.py), reminders (reminders.py), the data
export (export.py), drawn and typed signatures (signature.py), and the signed
form's PDF (render.py builds document.py's FormDocument from the stored
canonical document that submit.py hashed; pdf.py draws it; signed_pdf.py files
it), and the events that send packets by themselves (hooks.py). Import the
modules themselves; this package exports nothing."""
