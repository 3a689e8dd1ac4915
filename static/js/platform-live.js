// Live platform page: threads started while the page is open appear at the top of the list.
(function () {
  "use strict";
  var list = document.getElementById("thread-list");
  if (!list || list.dataset.live !== "1" || typeof io === "undefined") { return; }
  var locale = document.documentElement.lang || "es";
  var socket = io("/live");
  socket.on("connect", function () {
    socket.emit("subscribe", { topic: "platform:" + list.dataset.platform });
  });
  socket.on("thread.created", function (thread) {
    if (document.getElementById("thread-" + thread.id)) { return; }
    var holder = document.createElement("ul");
    holder.innerHTML = (thread.html[locale] || thread.html.es).trim();
    var row = holder.firstElementChild;
    var empty = list.querySelector(".empty");
    if (empty) { empty.remove(); }
    var firstUnpinned = list.querySelector(".thread-row:not(.pinned)");
    list.insertBefore(row, firstUnpinned);
  });
  socket.on("subscription.ended", function () { socket.disconnect(); });
})();
