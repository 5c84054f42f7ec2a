"""English labels of the forms vocabulary, shared by the console's forms states
and pages (pages show them through t(); states through _tr())."""

from models import DueRule, FieldKind, FormStatus, PacketTrigger, ProfileField

OVERDUE = "overdue"  # services.forms.console.OVERDUE (pages do not import services)

STATE_LABELS = {
    FormStatus.SENT: "Sent",
    FormStatus.OPENED: "Opened",
    FormStatus.IN_PROGRESS: "In progress",
    FormStatus.COMPLETED: "Completed",
    FormStatus.CANCELLED: "Cancelled",
    OVERDUE: "Overdue",
}
# The Outstanding list's state filter: "" is every open form.
STATE_FILTERS = [("", "Every open form"), (FormStatus.SENT, "Sent"),
                 (FormStatus.OPENED, "Opened"), (FormStatus.IN_PROGRESS, "In progress"),
                 (OVERDUE, "Overdue")]

KIND_LABELS = {
    FieldKind.SHORT_TEXT: "Short text",
    FieldKind.LONG_TEXT: "Long text",
    FieldKind.EMAIL: "Email",
    FieldKind.PHONE: "Phone",
    FieldKind.DATE: "Date",
    FieldKind.NUMBER: "Number",
    FieldKind.SINGLE_CHOICE: "Single choice",
    FieldKind.MULTIPLE_CHOICE: "Multiple choice",
    FieldKind.YES_NO: "Yes / no",
    FieldKind.FILE: "File",
    FieldKind.SIGNATURE: "Signature",
    FieldKind.INITIALS: "Initials",
    FieldKind.STATEMENT: "Statement (text to read)",
}
KINDS = [(k, KIND_LABELS[k]) for k in FieldKind.ALL]
CHOICE_KINDS = FieldKind.CHOICES

PROFILE_LABELS = {
    ProfileField.FULL_NAME: "Name",
    ProfileField.PHONE: "Phone",
    ProfileField.DATE_OF_BIRTH: "Date of birth",
    ProfileField.ADDRESS: "Address",
    ProfileField.EMERGENCY_CONTACT: "Emergency contact",
    ProfileField.TIMEZONE: "Time zone",
}
PROFILE_CHOICES = [("", "Not mapped"), *PROFILE_LABELS.items()]
SHOW_OPS = [("is", "is"), ("contains", "contains")]

TRIGGER_LABELS = {
    PacketTrigger.MANUAL: "Sent by hand",
    PacketTrigger.CLIENT_CREATED: "When a client is created",
    PacketTrigger.FIRST_BOOKING_MADE: "When the client's first booking is made",
    PacketTrigger.FIRST_BOOKING_CONFIRMED: "When the client's first booking is confirmed",
    PacketTrigger.SERVICE_BOOKED: "When a chosen service is booked",
}
TRIGGERS = [(k, TRIGGER_LABELS[k]) for k in PacketTrigger.ALL]
SERVICE_BOOKED = PacketTrigger.SERVICE_BOOKED

DUE_LABELS = {
    DueRule.NONE: "No due date",
    DueRule.DAYS_AFTER_SENT: "Days after sending",
    DueRule.HOURS_BEFORE_FIRST_APPOINTMENT: "Hours before the first appointment",
}
DUE_RULES = [(k, DUE_LABELS[k]) for k in DueRule.ALL]
DUE_NONE = DueRule.NONE


def due_text(rule: str, amount: int) -> str:
    """A packet's due rule in a few words (English; translated by the caller)."""
    if rule == DueRule.DAYS_AFTER_SENT:
        return f"Due {amount} day(s) after sending"
    if rule == DueRule.HOURS_BEFORE_FIRST_APPOINTMENT:
        return f"Due {amount} hour(s) before the first appointment"
    return "No due date"
