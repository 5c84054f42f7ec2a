"""What a live push is about (`about=` of portal_app/live.py's pushes): a tab whose
page shows none of a push's topics reloads its shell only (state/live_pages.py).

A push without a topic is about anything: every open page reloads, and so does the
branding. Access, permissions, grants, settings, branding and the portal switched
off are pushed without one, so a permission turned off still sends the tab away at
once. When unsure what a change touches, push without a topic."""

MESSAGES = "messages"  # a message sent or read, a conversation assigned
FORMS = "forms"  # a form sent, opened, saved, submitted, cancelled
BOOKINGS = "bookings"  # booked, requested, approved, declined, moved, cancelled
DOCUMENTS = "documents"  # a file shared, uploaded, replaced, deleted (a signed form's PDF)
BILLING = "billing"  # an invoice or estimate sent, edited, voided; a payment or refund
COMMUNITY = "community"  # a post, comment, reaction, report, request to join, moderation
COURSES = "courses"  # a student's progress, unlocks, certificates
REFERRALS = "referrals"  # a referrer, commission or payout changed

TOPICS = (MESSAGES, FORMS, BOOKINGS, DOCUMENTS, BILLING, COMMUNITY, COURSES, REFERRALS)
