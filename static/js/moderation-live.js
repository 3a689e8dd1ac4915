// Live moderation queue: new, claimed and decided items appear, change and leave without a reload; on an item's
// page, a notice when another moderator decides it first. The pages work fully without this script.
(function () {
  "use strict";
  if (typeof io === "undefined") { return; }
  var list = document.getElementById("queue");
  var itemPage = document.getElementById("moderation-item");
  if (!list && !itemPage) { return; }
  var locale = document.documentElement.lang || "es";
  var status = document.getElementById("queue-live-status");

  function fromHTML(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    return holder.firstElementChild;
  }

  // whether an item belongs on this queue page, by the page's filters
  function matches(item) {
    var want = list.dataset;
    if (item.status !== want.status) { return false; }
    if (want.reason && item.reason !== want.reason) { return false; }
    if (want.language && item.language !== want.language) { return false; }
    if (want.cause && item.cause !== want.cause) { return false; }
    if (want.platform && item.platform !== want.platform) { return false; }
    if (want.languages && item.language && want.languages.split(",").indexOf(item.language) < 0) { return false; }
    if (want.age) {
      var waited = (Date.now() - Date.parse(item.opened_at)) / 3600000;
      if (waited < parseFloat(want.age)) { return false; }
    }
    return true;
  }

  function place(item) {
    var existing = document.getElementById("queue-item-" + item.id);
    if (!matches(item)) {
      if (existing) { existing.remove(); }
      return;
    }
    var row = fromHTML(item.html[locale] || item.html.es);
    if (existing) {
      existing.replaceWith(row);
    } else if (list.dataset.live === "1") {
      var empty = list.querySelector(".empty");
      if (empty) { empty.remove(); }
      row.classList.add("live-new");
      list.appendChild(row);
    }
  }

  function follow(socket, topics) {
    topics.forEach(function (topic) {
      socket.emit("moderation.subscribe", { topic: topic }, function (answer) {
        if (status) { status.textContent = answer && answer.ok ? status.dataset.online : answer.error; }
      });
    });
  }

  var socket = io("/live");
  socket.on("connect", function () {
    if (list) {
      follow(socket, (list.dataset.topics || "").split(" ").filter(Boolean));
    } else if (itemPage.dataset.itemId) {
      follow(socket, [itemPage.dataset.topic]);
    }
  });
  socket.on("disconnect", function () {
    if (status) { status.textContent = status.dataset.offline; }
  });
  socket.on("queue.item", function (item) {
    if (list) {
      place(item);
    } else if (String(item.id) === itemPage.dataset.itemId && item.status === "closed") {
      var notice = document.getElementById("live-notice");
      if (notice) {
        notice.textContent = itemPage.dataset.handled;
        notice.hidden = false;
      }
    }
  });
  socket.on("subscription.ended", function () { socket.disconnect(); });
  socket.on("session.ended", function () { socket.disconnect(); });
})();
