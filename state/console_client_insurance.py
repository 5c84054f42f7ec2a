"""Console: the insurance part of one client's page (superbills on): the member id,
date of birth and the dated diagnoses. Every handler is staff-only, works on the
client the page was loaded for, and each diagnosis id is checked to be that client's
(services/billing/superbills/diagnoses.py)."""

import reflex as rx

from portal_app.i18n import formats
from portal_app.services import clients
from portal_app.services.billing.dates import business_today
from portal_app.services.billing.superbills import diagnoses as dx
from portal_app.services.billing.superbills import setup
from portal_app.services.billing.superbills.setup import FormErrors
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from state.guards import staff_event
from state.staff_session import StaffState


class ClientInsuranceState(StaffState):
    enabled: bool = False
    insurance_member_id: str = ""
    date_of_birth: str = ""  # ISO, for the date input
    diagnoses: list[dict[str, str]] = []
    errors: dict[str, str] = {}  # member id / date of birth -> message
    dx_errors: dict[str, str] = {}  # the add/edit form's fields -> message
    end_errors: dict[str, str] = {}  # diagnosis id -> message of its "End" form
    error: str = ""
    editing_id: str = ""  # "" adds a diagnosis; else the one being edited
    editing: dict[str, str] = {}
    _id: int = 0
    _ending: str = ""

    def _fill(self, session) -> None:
        client = clients.get_client(session, client_id=self._id)
        self.enabled = setup.superbills_enabled(session)
        self.insurance_member_id = client.insurance_member_id
        self.date_of_birth = client.date_of_birth.isoformat() if client.date_of_birth else ""
        self.diagnoses = [
            {"id": str(d.id), "code": d.code, "description": d.description,
             "from": formats.date_text(d.from_date, self._lang),
             "until": formats.date_text(d.until_date, self._lang) if d.until_date else "",
             "from_iso": d.from_date.isoformat(),
             "until_iso": d.until_date.isoformat() if d.until_date else "",
             "primary": "yes" if i == 0 else ""}
            for i, d in enumerate(dx.list_diagnoses(session, client_id=client.id))]

    def _clear(self) -> None:
        self.errors, self.dx_errors, self.end_errors, self.error = {}, {}, {}, ""

    def _refused(self, exc: ServiceError) -> None:
        if isinstance(exc, FormErrors):
            self.errors = {k: self._tr(v) for k, v in exc.errors.items()}
        else:
            self.error = self._tr(exc.message)

    def _dx_refused(self, exc: ServiceError) -> None:
        if isinstance(exc, FormErrors):
            self.dx_errors = {k: self._tr(v) for k, v in exc.errors.items()}
        elif exc.field:
            self.dx_errors = {exc.field: self._tr(exc.message)}
        else:
            self.error = self._tr(exc.message)

    def _end_refused(self, exc: ServiceError):
        if not exc.field:  # not this client's diagnosis: a toast, as the other handlers
            return rx.toast.error(self._tr(exc.message))
        self.end_errors = {self._ending: self._tr(exc.message)}
        return None

    def _start_new(self) -> None:
        self.editing_id = ""
        self.editing = {"code": "", "description": "", "from_date": "", "until_date": ""}

    @staff_event
    def load(self, session, ctx):
        """on_load of /console/client?id=…: the client's insurance part."""
        self._clear()
        self._start_new()
        self._id = 0
        self.diagnoses = []
        try:
            client = clients.get_client(session, client_id=self.router.url.query_parameters.get(
                "id", ""))
        except ServiceError:
            self.enabled = False
            return None  # the client page itself says the client does not exist
        self._id = client.id
        self._fill(session)
        return None

    @staff_event(on_error="_refused")
    def save_insurance(self, session, ctx, form: dict):
        self._clear()
        setup.save_client_insurance(session, staff_id=ctx.staff_id, client_id=self._id,
                                    form=dict(form), today=business_today(get_business(session)))
        self._fill(session)
        return rx.toast.success(self._tr("Insurance details saved."))

    @staff_event
    def edit_diagnosis(self, session, ctx, diagnosis_id: str):
        """Load one of this client's diagnoses into the form ("" for a new one)."""
        self._clear()
        if not diagnosis_id:
            self._start_new()
            return None
        d = dx.get_diagnosis_for(session, client_id=self._id, diagnosis_id=diagnosis_id)
        self.editing_id = str(d.id)
        self.editing = {"code": d.code, "description": d.description,
                        "from_date": d.from_date.isoformat(),
                        "until_date": d.until_date.isoformat() if d.until_date else ""}
        return None

    @staff_event(on_error="_dx_refused")
    def save_diagnosis(self, session, ctx, form: dict):
        """Add a diagnosis, or save the one being edited (checked to be this client's)."""
        self._clear()
        if self.editing_id:
            dx.update_diagnosis(session, staff_id=ctx.staff_id, client_id=self._id,
                                diagnosis_id=self.editing_id, form=dict(form))
        else:
            dx.add_diagnosis(session, staff_id=ctx.staff_id, client_id=self._id,
                             form=dict(form))
        self._start_new()
        self._fill(session)
        return rx.toast.success(self._tr("Diagnosis saved."))

    @staff_event(on_error="_end_refused")
    def end_diagnosis(self, session, ctx, form: dict):
        """Set the last day a diagnosis applies (from its row's own small form)."""
        self._clear()
        self._ending = str(form.get("diagnosis_id", ""))
        dx.end_diagnosis(session, staff_id=ctx.staff_id, client_id=self._id,
                         diagnosis_id=self._ending, until=form.get("until_date", ""))
        self._fill(session)
        return rx.toast.success(self._tr("Diagnosis ended."))

    @staff_event
    def remove_diagnosis(self, session, ctx, diagnosis_id: str):
        self._clear()
        dx.remove_diagnosis(session, staff_id=ctx.staff_id, client_id=self._id,
                            diagnosis_id=diagnosis_id)
        if self.editing_id == str(diagnosis_id):
            self._start_new()
        self._fill(session)
        return rx.toast.success(self._tr("Diagnosis removed."))

    @staff_event
    def move_diagnosis(self, session, ctx, diagnosis_id: str, step: int):
        """Up (-1, towards primary) or down (+1)."""
        self._clear()
        dx.move_diagnosis(session, staff_id=ctx.staff_id, client_id=self._id,
                          diagnosis_id=diagnosis_id, step=step)
        self._fill(session)
        return None
