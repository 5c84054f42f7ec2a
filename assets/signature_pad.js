// Drawing on <canvas data-signature-pad> with a finger, a pen or the mouse.
// Listeners sit on the document (event delegation), so a canvas that React mounts
// later needs no set-up. The Reflex component reads the result with
// window.portalSignaturePad.dataUrl(id) ("" while nothing is drawn) and wipes the
// canvas with clear(id). The server checks and re-encodes whatever arrives.
(function () {
  if (window.portalSignaturePad) return;
  var INK = "#1a1a2e";
  var active = null; // {canvas, ctx, x, y, id}
  var inked = {}; // canvas id -> true once a stroke was drawn

  function pad(target) {
    return target && target.closest ? target.closest("canvas[data-signature-pad]") : null;
  }

  function point(canvas, event) {
    var rect = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * canvas.width) / rect.width,
      y: ((event.clientY - rect.top) * canvas.height) / rect.height,
    };
  }

  function pen(canvas) {
    var ctx = canvas.getContext("2d");
    ctx.strokeStyle = INK;
    ctx.fillStyle = INK;
    ctx.lineWidth = Math.max(4, canvas.width / 130);
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    return ctx;
  }

  document.addEventListener("pointerdown", function (event) {
    var canvas = pad(event.target);
    if (!canvas || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault();
    try { canvas.setPointerCapture(event.pointerId); } catch (e) { /* not capturable */ }
    var ctx = pen(canvas);
    var p = point(canvas, event);
    ctx.beginPath();
    ctx.arc(p.x, p.y, ctx.lineWidth / 2, 0, 2 * Math.PI);
    ctx.fill();
    active = { canvas: canvas, ctx: ctx, x: p.x, y: p.y, pointer: event.pointerId };
    inked[canvas.id] = true;
  });

  document.addEventListener("pointermove", function (event) {
    if (!active || event.pointerId !== active.pointer) return;
    event.preventDefault();
    var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    if (!events.length) events = [event];
    for (var i = 0; i < events.length; i++) {
      var p = point(active.canvas, events[i]);
      active.ctx.beginPath();
      active.ctx.moveTo(active.x, active.y);
      active.ctx.lineTo(p.x, p.y);
      active.ctx.stroke();
      active.x = p.x;
      active.y = p.y;
    }
  });

  function end(event) {
    if (active && event.pointerId === active.pointer) active = null;
  }
  document.addEventListener("pointerup", end);
  document.addEventListener("pointercancel", end);

  window.portalSignaturePad = {
    dataUrl: function (id) {
      var canvas = document.getElementById(id);
      return canvas && inked[id] ? canvas.toDataURL("image/png") : "";
    },
    clear: function (id) {
      var canvas = document.getElementById(id);
      if (canvas) canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
      inked[id] = false;
      return "";
    },
  };
})();
