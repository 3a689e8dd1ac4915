// Live comments on a consultation page: a new comment appears beside its paragraph (or under the comment it
// replies to, or among the comments on the whole draft) and the paragraph's count changes, without a reload.
// The page works fully without this script. The server sends each comment already drawn in both interface
// languages; the page takes the one of its own language.
(function () {
  "use strict";
  var box = document.getElementById("consultation-live");
  if (!box || box.dataset.live !== "1" || typeof io === "undefined") { return; }
  var id = box.dataset.consultationId;
  var lang = box.dataset.lang;
  var news = document.getElementById("consultation-news");

  function fragment(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;  // drawn by the server from sanitised, stored HTML
    return holder.firstElementChild;
  }

  function place(data, element) {
    if (data.parent_id) {
      var parent = document.getElementById("comment-" + data.parent_id);
      if (!parent) { return false; }
      var replies = parent.querySelector(":scope > .replies");
      if (!replies) {
        replies = document.createElement("div");
        replies.className = "replies";
        var link = parent.querySelector(":scope > .reply-link");
        parent.insertBefore(replies, link);
      }
      replies.appendChild(element);
      return true;
    }
    if (data.paragraph === null) {
      var whole = document.querySelector(".whole-draft-comments");
      if (!whole) { return false; }
      var empty = whole.querySelector(".empty");
      if (empty) { empty.remove(); }
      whole.appendChild(element);
      return true;
    }
    var paragraph = document.getElementById("p-" + data.paragraph);
    var list = paragraph && paragraph.querySelector(".paragraph-comments");
    if (!list) { return false; }
    list.appendChild(element);
    return true;
  }

  function count(data) {
    var text = data.count_text[lang] || data.count_text.es;
    if (data.paragraph === null) {
      var whole = document.querySelector("#whole-draft-heading .count");
      if (whole) { whole.textContent = "(" + data.count + ")"; }
      return;
    }
    var paragraph = document.getElementById("p-" + data.paragraph);
    var shown = paragraph && paragraph.querySelector(".comment-count");
    if (shown) { shown.textContent = text; }
    if (news) { news.textContent = "§" + data.paragraph + ": " + text; }
  }

  var socket = io("/live");
  socket.on("connect", function () {
    socket.emit("consultation.subscribe", { topic: "consultation:" + id });
  });
  socket.on("comment.created", function (data) {
    if (!data || String(data.consultation_id) !== id) { return; }
    if (!document.getElementById("comment-" + data.comment_id)) {
      var element = fragment(data.html[lang] || data.html.es);
      if (element) { place(data, element); }
    }
    count(data);
  });
  socket.on("subscription.ended", function () { socket.disconnect(); });
  socket.on("session.ended", function () { socket.disconnect(); });
})();
