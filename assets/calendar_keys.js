// The console calendar's keyboard: one listener for the page moves focus between the
// grid's buttons (portal_app/pages/console_calendar/grid.py). A file, not an inline
// script, so the pages' Content-Security-Policy needs no 'unsafe-inline'.
(function () {
  if (window.__portalCalendarKeys) return;
  window.__portalCalendarKeys = true;
  document.addEventListener('keydown', function (ev) {
    var el = ev.target;
    if (!el || !el.getAttribute || el.getAttribute('data-cal-day') === null) return;
    var grid = el.closest('[data-cal-grid]');
    if (!grid) return;
    var month = grid.getAttribute('data-cal-grid') === 'month';
    var day = +el.getAttribute('data-cal-day'), slot = +el.getAttribute('data-cal-slot');
    var slots = +grid.getAttribute('data-cal-slots');
    var k = ev.key;
    if (k === 'ArrowLeft') day -= 1;
    else if (k === 'ArrowRight') day += 1;
    else if (k === 'ArrowUp') { if (month) day -= 7; else slot -= 1; }
    else if (k === 'ArrowDown') { if (month) day += 7; else slot += 1; }
    else if (k === 'Home') slot = 0;
    else if (k === 'End') slot = Math.max(0, slots - 1);
    else return;
    var next = grid.querySelector('[data-cal-day="' + day + '"][data-cal-slot="' + slot + '"]');
    ev.preventDefault();
    if (!next) return;
    grid.querySelectorAll('[data-cal-day]').forEach(function (b) { b.tabIndex = -1; });
    next.tabIndex = 0;
    next.focus();
  });
})();
