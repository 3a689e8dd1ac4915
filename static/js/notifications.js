// The header's notification bell: its unread count follows "notifications.unread" on the person's private
// live topic. The text read by screen readers changes politely; focus is never moved. Loads Socket.IO itself
// when the page did not.
(function () {
  "use strict";
  var bell = document.querySelector(".notification-bell");
  if (!bell) { return; }
  var badge = bell.querySelector(".notification-count");
  var status = bell.querySelector(".notification-status");

  function show(count) {
    badge.textContent = String(count);
    badge.hidden = count === 0;
    bell.classList.toggle("has-unread", count > 0);
    var label = count === 0 ? bell.dataset.labelNone
      : (count === 1 ? bell.dataset.labelOne : bell.dataset.labelMany.replace("{n}", String(count)));
    if (status.textContent !== label) { status.textContent = label; }
  }

  function listen() {
    var socket = io("/live");
    socket.on("notifications.unread", function (data) {
      if (data && typeof data.count === "number") { show(data.count); }
    });
  }

  function start() {
    if (typeof io !== "undefined") { listen(); return; }
    var script = document.createElement("script");
    script.src = bell.dataset.socketScript;
    script.onload = listen;
    document.head.appendChild(script);
  }

  // after the page's own deferred scripts, so that one Socket.IO connection serves both
  if (document.readyState === "complete") { start(); } else { window.addEventListener("load", start); }
})();
