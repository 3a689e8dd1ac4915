// Live thread page: new, edited, deleted and hidden posts, reactions, "N reading now" and "… is writing".
// The page works fully without this script; it only spares the reader a reload.
// A post the moderators hid arrives as its placeholder: its controls go (reload to moderate it again).
// Only a post newer than the last one on the page is new: it is added at the end (on the thread's last page) and
// announced; edits, deletions and hides of posts on other pages are not this page's business.
(function () {
  "use strict";
  var posts = document.getElementById("posts");
  if (!posts || typeof io === "undefined") { return; }
  var threadId = posts.dataset.threadId;
  var topic = "thread:" + threadId;
  var lastId = parseInt(posts.dataset.lastPostId || "0", 10);
  var appendNew = posts.dataset.live === "1";
  var userId = posts.dataset.userId;
  var locale = document.documentElement.lang || "es";
  var status = document.getElementById("live-status");
  var typingBox = document.getElementById("typing");
  var announcer = document.getElementById("new-posts");
  var typingTimer = null;
  var arrived = [];  // the new posts not announced yet
  var announceTimer = null;

  function fromHTML(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    return holder.firstElementChild;
  }

  function controlsFor(post) {
    var mine = userId && post.author && String(post.author.id) === userId;
    var template = document.getElementById(mine ? "own-post-controls-template" : "post-controls-template");
    if (!template || post.deleted || (post.status && post.status !== "visible")) { return null; }
    // the template was drawn for post 0: point its links and forms at this post
    var html = template.innerHTML.split("/posts/0/").join("/posts/" + post.id + "/")
      .split('/post/0"').join("/post/" + post.id + '"').split('#post-0"').join("#post-" + post.id + '"')
      .split("quote=0").join("quote=" + post.id).split('data-post-id="0"').join('data-post-id="' + post.id + '"');
    return fromHTML(html);
  }

  function showReading(count) {
    if (!status || typeof count !== "number") { return; }
    status.textContent = count === 1 ? status.dataset.readingOne
      : status.dataset.readingOther.replace("{n}", String(count));
  }

  // tell screen readers of new posts without moving the focus (the region is polite: it waits its turn); the posts
  // that arrive within a second are told together ("3 new posts": data-several is the plural form, for two or more).
  // The region is emptied first and written a moment later, so that the same words twice in a row (two posts by one
  // person) are read twice.
  function announce(post) {
    if (!announcer) { return; }
    arrived.push(post);
    if (announceTimer) { return; }
    announcer.textContent = "";
    announceTimer = setTimeout(function () {
      var first = arrived[0];
      if (arrived.length > 1) {
        announcer.textContent = announcer.dataset.several.replace("{n}", String(arrived.length));
      } else {
        announcer.textContent = first.author ? announcer.dataset.by.replace("{name}", first.author.name)
          : announcer.dataset.unsigned;
      }
      arrived = [];
      announceTimer = null;
    }, 1000);
  }

  // an edited, deleted or hidden post takes its own place on the page; one that is not on it is left alone
  function replace(post) {
    var existing = document.getElementById("post-" + post.id);
    if (!existing) { return; }
    var article = fromHTML(post.html[locale] || post.html.es);
    existing.replaceWith(article);
    if (post.deleted || (post.status && post.status !== "visible")) {
      var controls = article.parentElement && article.parentElement.querySelector(".post-controls");
      if (controls) { controls.remove(); }
    }
  }

  // a new post goes at the end of the thread's last page, and is announced
  function add(post) {
    if (document.getElementById("post-" + post.id)) { replace(post); return; }
    if (post.id <= lastId) { return; }
    lastId = post.id;
    if (!appendNew) { return; }
    var item = document.createElement("div");
    item.className = "post-item live-new";
    item.dataset.postId = post.id;
    item.appendChild(fromHTML(post.html[locale] || post.html.es));
    var controls = controlsFor(post);
    if (controls) { item.appendChild(controls); }
    posts.appendChild(item);
    announce(post);
  }

  var socket = io("/live");

  socket.on("connect", function () {
    socket.emit("subscribe", { topic: topic, since: lastId }, function (answer) {
      if (answer && answer.ok) { showReading(answer.reading); }
    });
  });
  socket.on("disconnect", function () {
    if (status) { status.textContent = status.dataset.offline; }
  });
  socket.on("post.created", add);
  socket.on("post.updated", replace);
  socket.on("post.deleted", replace);
  socket.on("post.reactions", function (data) {
    var box = document.querySelector('.reactions[data-post-id="' + data.id + '"]');
    if (!box) { return; }
    box.querySelector('[data-kind="support"] .count').textContent = data.support;
    box.querySelector('[data-kind="thanks"] .count').textContent = data.thanks;
  });
  socket.on("presence", function (data) {
    if (data && data.topic === topic) { showReading(data.reading); }
  });
  socket.on("typing", function (data) {
    if (!typingBox || !data || !data.user) { return; }
    typingBox.textContent = status.dataset.typing.replace("{name}", data.user.name);
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingBox.textContent = ""; }, 4000);
  });
  socket.on("subscription.ended", function () { socket.disconnect(); });
  socket.on("session.ended", function () { socket.disconnect(); });

  var body = document.querySelector("#reply-form textarea[name=body]");
  var lastTyping = 0;
  if (body) {
    body.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTyping > 2500 && socket.connected) {
        lastTyping = now;
        socket.emit("typing", { topic: topic });
      }
    });
  }
})();
