"""Scheduling: services offered, staff availability, free slots and bookings.

Modules (import from them directly):

- `services`: the services the business offers and who provides them (staff side).
- `availability`: weekly working hours and date exceptions per staff member.
- `slots`: free start times, computed in the business time zone (DST-correct).
- `bookings`: booking, rescheduling, cancelling, approving; reminders.
- `booking_changes`: the same changes with the client's notice queued (what handlers call).

No double booking is enforced by the database (see `models.scheduling.BookingLock`).
"""
