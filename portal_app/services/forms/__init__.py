"""Intake forms: templates and versions (templates.py), field rules (fields.py,
rules.py), packets and triggers (packets.py), requests (requests.py), drafts
(drafts.py), submit and verify (submit.py), the client-record mapping
(profile_map.py). Import the modules themselves; this package exports nothing."""
