"""Intake forms: templates, packets, answers, signatures and their PDFs."""
