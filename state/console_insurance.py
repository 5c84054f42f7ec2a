"""Console settings: the "Insurance billing" section (superbills' provider block,
the signature image and the monthly day). The tax id reaches the browser only
masked; the signature only as a data URL for signed-in staff."""

import reflex as rx

from models import StaffRole
from portal_app import routes
from portal_app.db import session_scope
from portal_app.services.billing.superbills import setup
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.guards import refusal, staff_event
from state.staff_session import StaffState

# What the page shows, from the services (pages import state, not services).
SIGNATURE_MAX_BYTES = setup.SIGNATURE_MAX_BYTES
__all__ = ["SIGNATURE_MAX_BYTES", "InsuranceSettingsState"]


class InsuranceSettingsState(StaffState):
    enabled: bool = False
    can_edit: bool = False  # the owner's; other staff see the section read-only
    legal_name: str = ""
    npi_individual: str = ""
    npi_organisation: str = ""
    tax_id_masked: str = ""
    tax_id_kind: str = "ein"
    license_number: str = ""
    license_state: str = ""
    taxonomy_code: str = ""
    address: str = ""
    phone: str = ""
    auto_day: str = "0"
    has_signature: bool = False
    signature_src: str = ""
    errors: dict[str, str] = {}  # field -> message, shown beside the field
    error: str = ""
    signature_error: str = ""

    def _fill(self, session, ctx) -> None:
        shown = setup.get_insurance_setup(session)
        self.enabled = shown.enabled
        self.can_edit = ctx.role == StaffRole.OWNER
        self.legal_name, self.tax_id_kind = shown.legal_name, shown.tax_id_kind
        self.npi_individual, self.npi_organisation = shown.npi_individual, shown.npi_organisation
        self.tax_id_masked = shown.tax_id_masked
        self.license_number, self.license_state = shown.license_number, shown.license_state
        self.taxonomy_code, self.address, self.phone = (shown.taxonomy_code, shown.address,
                                                        shown.phone)
        self.auto_day = str(shown.auto_day)
        self.has_signature = shown.has_signature
        self.signature_src = setup.signature_data_url(get_business(session),
                                                      data_dir=get_settings().data_dir)

    def _refused(self, exc: ServiceError) -> None:
        if isinstance(exc, setup.FormErrors):
            self.errors = {k: self._tr(v) for k, v in exc.errors.items()}
        else:
            self.error = self._tr(exc.message)

    def _signature_refused(self, exc: ServiceError) -> None:
        self.signature_error = self._tr(exc.message)

    def _clear(self) -> None:
        self.errors, self.error, self.signature_error = {}, "", ""

    @staff_event
    def load(self, session, ctx):
        self._clear()
        self._fill(session, ctx)

    @staff_event(on_error="_refused")
    def set_enabled(self, session, ctx, enabled: bool):
        """"We bill clients who claim from insurance" (owner only, audited)."""
        self._clear()
        setup.set_superbills_enabled(session, staff_id=ctx.staff_id, enabled=bool(enabled))
        self._everyone_changed()
        self._fill(session, ctx)
        return rx.toast.success(self._tr(
            "Superbills are on." if enabled else "Superbills are off."))

    @staff_event(on_error="_refused")
    def save(self, session, ctx, form: dict):
        """Save the provider block; every bad field is named and nothing is saved."""
        self._clear()
        setup.save_insurance_setup(session, staff_id=ctx.staff_id, form=dict(form))
        self._fill(session, ctx)
        return rx.toast.success(self._tr("Insurance billing saved."))

    @rx.event
    async def upload_signature(self, files: list[rx.UploadFile]):
        """The signature image: checked by content and size, stored privately. Two
        steps: the staff check and reading the file, then one checked transaction."""
        self._clear()
        with session_scope() as session:
            if self._staff(session) is None:
                return rx.redirect(routes.CONSOLE_LOGIN)
        if not isinstance(files, list) or len(files) != 1:
            self.signature_error = self._tr("Choose one image file.")
            return None
        data = await files[0].read(setup.SIGNATURE_MAX_BYTES + 1)

        def store(session, ctx):
            setup.save_signature(session, staff_id=ctx.staff_id, data=data,
                                 data_dir=get_settings().data_dir)
            self._fill(session, ctx)

        event, result = self._as_staff(store)
        if event is not None:
            return event
        if isinstance(result, ServiceError):
            return refusal(self, result, "_signature_refused")
        return rx.toast.success(self._tr("Signature saved."))

    @staff_event(on_error="_signature_refused")
    def remove_signature(self, session, ctx):
        self._clear()
        setup.remove_signature(session, staff_id=ctx.staff_id, data_dir=get_settings().data_dir)
        self._fill(session, ctx)
        return rx.toast.success(self._tr("Signature removed."))
