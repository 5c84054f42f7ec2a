"""Console → Calendar: the views and their dialogs (`view`), the staff member's
iCalendar feed panel (`feed`), and the grid rows the page renders (`grid`)."""

from state.console_calendar.feed import CalendarFeedState
from state.console_calendar.view import CalendarState

__all__ = ["CalendarFeedState", "CalendarState"]
