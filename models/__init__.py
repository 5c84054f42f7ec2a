"""SQLModel tables, one module per aggregate. Importing this registers them all."""

from models.audit import AuditEvent
from models.auth import AuthSession, CodePurpose, OneTimeCode, RateEvent, SignInTicket
from models.billing import (
    CheckoutAttempt,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    NumberSequence,
    Payment,
    PaymentMethod,
    ProcessedEvent,
    Refund,
)
from models.business import Business, PortalActivation
from models.calendar_feed import CalendarFeed
from models.client import Client, Invitation, PortalAccess, PortalAccount
from models.documents import Document, DocumentDirection
from models.forms import (
    DueRule,
    ESignConsent,
    FieldKind,
    FormDraftAnswer,
    FormPacket,
    FormRequest,
    FormStatus,
    FormSubmission,
    FormTemplate,
    FormTemplateVersion,
    FormTriggerFiring,
    PacketTrigger,
    ProfileField,
)
from models.messaging import Conversation, Message, Notification, NotificationKind
from models.outbox import OutboxMessage, OutboxStatus
from models.scheduling import (
    AvailabilityException,
    Booking,
    BookingLock,
    BookingStatus,
    Service,
    ServiceProvider,
    WorkingHours,
)
from models.staff import RecoveryCode, StaffRole, StaffUser
from models.superbills import BillingDocumentSend, ClientDiagnosis, Superbill, SuperbillStatus

__all__ = [
    "BillingDocumentSend",
    "ClientDiagnosis",
    "Superbill",
    "SuperbillStatus",
    "CalendarFeed",
    "DueRule",
    "ESignConsent",
    "FieldKind",
    "FormDraftAnswer",
    "FormPacket",
    "FormRequest",
    "FormStatus",
    "FormSubmission",
    "FormTemplate",
    "FormTemplateVersion",
    "FormTriggerFiring",
    "PacketTrigger",
    "ProfileField",
    "Conversation",
    "Document",
    "DocumentDirection",
    "Message",
    "Notification",
    "NotificationKind",
    "CheckoutAttempt",
    "Invoice",
    "InvoiceKind",
    "InvoiceLine",
    "InvoiceStatus",
    "NumberSequence",
    "Payment",
    "PaymentMethod",
    "ProcessedEvent",
    "Refund",
    "AvailabilityException",
    "Booking",
    "BookingLock",
    "BookingStatus",
    "Service",
    "ServiceProvider",
    "WorkingHours",
    "AuditEvent",
    "AuthSession",
    "Business",
    "PortalActivation",
    "Client",
    "Invitation",
    "CodePurpose",
    "OneTimeCode",
    "OutboxMessage",
    "OutboxStatus",
    "PortalAccess",
    "PortalAccount",
    "RateEvent",
    "RecoveryCode",
    "SignInTicket",
    "StaffRole",
    "StaffUser",
]
