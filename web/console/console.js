// The staff console's pages: the inbox (live, from server-sent events) and one ticket.
// Every POST carries the session's CSRF token; the server refuses it otherwise.
(function () {
  "use strict";
  var me = null;

  function $(selector) { return document.querySelector(selector); }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": me.csrf_token },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      if (response.status === 401) location.href = "/login";
      return response.text().then(function (text) {
        if (!response.ok) throw new Error(text || response.statusText);
        return text;
      });
    });
  }

  function minutes(ms) {
    var total = Math.max(0, Math.round(ms / 60000));
    return total < 60 ? total + " min" : Math.floor(total / 60) + " h " + (total % 60) + " min";
  }

  function since(iso) { return Date.now() - Date.parse(iso); }

  // ------------------------------------------------------------------ inbox

  var seenUrgent = null;
  var audio = null;

  function beep() {
    if (!audio || audio.state !== "running") return;
    var tone = audio.createOscillator();
    var gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.2;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.6);
  }

  function alertUrgent(tickets) {
    var urgent = tickets.filter(function (t) { return t.priority === "urgent" && !t.held_by; });
    var fresh = seenUrgent === null ? [] : urgent.filter(function (t) { return !seenUrgent[t.id]; });
    seenUrgent = {};
    urgent.forEach(function (t) { seenUrgent[t.id] = true; });
    var box = $("#alert");
    if (fresh.length) {
      box.textContent = "New urgent ticket: #" + fresh.map(function (t) { return t.id; }).join(", #");
      box.hidden = false;
      beep();
    } else if (!urgent.length) {
      box.hidden = true;
    }
  }

  function timerCells(row, ticket) {
    row.querySelector(".age").textContent = minutes(since(ticket.created_at));
    var left = Date.parse(ticket.due_at) - Date.now();
    var promise = row.querySelector(".promise");
    promise.textContent = left >= 0 ? "due in " + minutes(left) : "overdue by " + minutes(-left);
    promise.classList.toggle("overdue", left < 0);
  }

  function renderInbox(tickets) {
    var body = $("#inbox tbody");
    body.textContent = "";
    tickets.forEach(function (ticket) {
      var row = element("tr", null, ticket.priority);
      row.dataset.ticket = ticket.id;
      var link = element("a", "#" + ticket.id);
      link.href = "/tickets/" + ticket.id;
      var cell = element("td");
      cell.appendChild(link);
      row.appendChild(cell);
      row.appendChild(element("td", ticket.priority, "priority"));
      row.appendChild(element("td", ticket.reason));
      row.appendChild(element("td", ticket.channel));
      row.appendChild(element("td", "", "age"));
      row.appendChild(element("td", "", "promise"));
      row.appendChild(element("td", ticket.held_by || "—", "held"));
      row.appendChild(element("td", ticket.message, "message"));
      timerCells(row, ticket);
      row.ticket = ticket;
      body.appendChild(row);
    });
    $("#empty").hidden = tickets.length > 0;
    alertUrgent(tickets);
  }

  function inbox() {
    $("#sound").addEventListener("click", function () {
      // Browsers play sound only after a click on the page.
      audio = audio || new AudioContext();
      audio.resume().then(function () { $("#sound").textContent = "Alert sound on"; beep(); });
    });
    var events = new EventSource("/api/events");
    events.addEventListener("inbox", function (event) { renderInbox(JSON.parse(event.data)); });
    setInterval(function () {
      document.querySelectorAll("#inbox tbody tr").forEach(function (row) { timerCells(row, row.ticket); });
    }, 15000);
  }

  // ------------------------------------------------------------------ one ticket

  var ticketId = location.pathname.split("/").pop();
  var TYPING_EVERY_MS = 3000;

  function facts(list, pairs) {
    list.textContent = "";
    pairs.forEach(function (pair) {
      list.appendChild(element("dt", pair[0]));
      list.appendChild(element("dd", pair[1] === null || pair[1] === undefined ? "—" : String(pair[1])));
    });
  }

  function renderTicket(view) {
    var t = view.ticket;
    $("#title").textContent = "Ticket #" + t.id + " · " + t.priority;
    document.body.dataset.priority = t.priority;
    facts($("#facts"), [
      ["Tier", t.priority], ["Topic", t.reason], ["Channel", t.channel], ["Status", t.status],
      ["Waiting", minutes(since(t.created_at))], ["Held by", view.held_by],
      ["Chat", view.taken_over ? "taken over by a clinician" : "the assistant answers"],
    ]);
    facts($("#contact"), view.contact
      ? [["Name", view.contact.contact_name], [view.contact.contact_method || "Contact", view.contact.contact_value], ["Best time", view.contact.best_time]]
      : [["Consent", "not given: no contact details are kept"]]);
    var notes = $("#notes");
    notes.textContent = "";
    view.notes.forEach(function (note) { notes.appendChild(element("li", note.by + ": " + note.text)); });
    var conversation = $("#conversation");
    conversation.textContent = "";
    if (view.conversation === null) conversation.appendChild(element("li", "The assistant is not answering: the conversation can't be shown right now."));
    (view.conversation || []).forEach(function (line) {
      var item = element("li", null, line.from);
      // A clinician's message already begins with their name.
      if (line.from !== "clinician") item.appendChild(element("strong", line.from + (line.topic ? " · " + line.topic : "") + ": "));
      item.appendChild(document.createTextNode(line.text));
      conversation.appendChild(item);
    });
    var show = {
      claim: !view.held_by && t.status !== "closed",
      take_over: view.held_by_me && !view.taken_over,
      hand_back: view.held_by_me && view.taken_over,
      release: !!view.held_by,
      close: t.status !== "closed",
      reopen: t.status === "closed",
    };
    document.querySelectorAll("#actions button").forEach(function (button) {
      button.hidden = !show[button.dataset.action];
    });
    $("#message-form").hidden = !(view.held_by_me && view.taken_over);
  }

  function load() {
    return fetch("/api/tickets/" + ticketId).then(function (response) {
      if (response.status === 401) location.href = "/login";
      return response.json();
    }).then(renderTicket);
  }

  function problem(error) {
    var box = $("#problem");
    box.textContent = error ? error.message : "";
    box.hidden = !error;
  }

  function act(action, body) {
    return post("/api/tickets/" + ticketId + "/" + action, body)
      .then(function () { problem(null); return load(); })
      .catch(problem);
  }

  function ticket() {
    document.querySelectorAll("#actions button").forEach(function (button) {
      button.addEventListener("click", function () { act(button.dataset.action); });
    });
    // The person sees "Dana is typing" (their widget hides it after a few seconds): at most one
    // signal every TYPING_EVERY_MS while the clinician types.
    var lastTyping = 0;
    $("#message-form").text.addEventListener("input", function () {
      if (Date.now() - lastTyping < TYPING_EVERY_MS) return;
      lastTyping = Date.now();
      post("/api/tickets/" + ticketId + "/typing").catch(function () { /* only a courtesy */ });
    });
    [["#note-form", "note"], ["#message-form", "message"]].forEach(function (pair) {
      var form = $(pair[0]);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        act(pair[1], { text: form.text.value }).then(function () { form.text.value = ""; });
      });
    });
    load();
    setInterval(load, 3000);  // the person's new messages
  }

  fetch("/api/me").then(function (response) {
    if (response.status === 401) { location.href = "/login"; return null; }
    return response.json();
  }).then(function (who) {
    if (!who) return;
    me = who;
    $("#who").textContent = who.display_name + " (" + who.role + ")";
    $("#logout").addEventListener("click", function () {
      post("/logout").then(function () { location.href = "/login"; });
    });
    if (document.body.dataset.page === "inbox") inbox();
    else ticket();
  });
})();
