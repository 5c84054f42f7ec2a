"""Superbills: the insurance codes they need (`codes`), what a superbill holds and
how it is built from bookings, diagnoses and payments."""
