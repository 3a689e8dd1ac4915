// Live seat counts on an event page: seats left and the waiting list follow every registration and cancellation.
// The page works fully without this script (the counts are right when it loads); it only spares a reload.
// The words come from the page (data- attributes written by the server in the reader's language).
(function () {
  "use strict";
  var box = document.getElementById("event-seats");
  if (!box || box.dataset.live !== "1" || typeof io === "undefined") { return; }
  var topic = "event:" + box.dataset.eventId;
  var seats = document.getElementById("seats-left");
  var waiting = document.getElementById("waiting-count");

  function counted(count, one, other) {
    return count === 1 ? one : other.split("{n}").join(String(count));
  }

  function show(data) {
    if (!data) { return; }
    if (seats) {
      var left = data.seats_left;
      var text = left === null ? box.dataset.unlimited
        : left === 0 ? box.dataset.full : counted(left, box.dataset.seatsOne, box.dataset.seatsOther);
      if (seats.textContent !== text) { seats.textContent = text; }
    }
    if (waiting && typeof data.waiting === "number") {
      var line = counted(data.waiting, box.dataset.waitingOne, box.dataset.waitingOther);
      if (waiting.textContent !== line) { waiting.textContent = line; }
    }
  }

  var socket = io("/live");
  socket.on("connect", function () {
    socket.emit("event.subscribe", { topic: topic }, function (answer) {
      if (answer && answer.ok) { show(answer); }
    });
  });
  socket.on("event.seats", function (data) {
    if (data && String(data.event_id) === box.dataset.eventId) { show(data); }
  });
  socket.on("subscription.ended", function () { socket.disconnect(); });
  socket.on("session.ended", function () { socket.disconnect(); });
})();
