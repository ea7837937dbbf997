/*
 * The clinic assistant's website chat widget. Plain JavaScript, no build step.
 * It talks to Rasa's socket.io channel and needs socket.io.min.js loaded first.
 *
 *   ClinicChat.init({ socketUrl: "https://assistant.clinic.example" });
 *
 * Options. Unset ones come from window.ClinicChatConfig, which the assistant
 * generates from clinic.yml as widget-config.js (never type clinic values here):
 *   socketUrl    where the Rasa server listens (required)
 *   socketPath   "/socket.io" unless credentials.yml sets socketio_path
 *   token        a JWT, only when credentials.yml sets jwt_key for socketio
 *   clinicName, clinicPhone
 *   crisis       { emergency: "...", lifeline: "..." }
 *   numbers      [{ text: "(555) 010-0142", dial: "+15550100142" }, ...]: the numbers
 *                that become links in the assistant's messages
 *   open         start with the chat open (default false)
 *   transports   ["websocket"]: Rasa's socket.io sends no CORS headers of its
 *                own, and websockets need none. Add "polling" only when the
 *                page's origin is in RASA_CORS_ORIGINS.
 *
 * The conversation lasts as long as the browser tab: its id and the messages
 * shown are kept in sessionStorage, so a reload continues the same conversation
 * and closing the tab ends it (kinder on a shared computer).
 */
(function () {
  "use strict";

  var KEY = "clinicChat.";
  var MAX_MESSAGES = 200;
  var CLINICIAN_TYPING_MS = 6000;

  var storage = {
    get: function (name, fallback) {
      try {
        var value = window.sessionStorage.getItem(KEY + name);
        return value === null ? fallback : JSON.parse(value);
      } catch (error) {
        return fallback;
      }
    },
    set: function (name, value) {
      try {
        window.sessionStorage.setItem(KEY + name, JSON.stringify(value));
      } catch (error) {
        /* storage full or blocked: the chat still works, it just won't survive a reload */
      }
    },
  };

  function newSessionId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // Builds an element; text always goes in as text, never as HTML.
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes.text;
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function phoneLink(number, dial) {
    return el("a", { href: "tel:" + (dial || String(number).replace(/[^0-9+]/g, "")), text: number });
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // A number the message says to text ("text HOME to 741741", "or text 838255") opens a text
  // message, with the keyword as its body; any other number ("call or text 988") opens a call.
  function numberLink(number, dial, before) {
    var texting = /\btext\s+(?:([A-Z]+)\s+to\s+)?$/i.exec(before);
    if (!texting || /\bcall or text\s+$/i.test(before)) return phoneLink(number, dial);
    var body = texting[1] ? "?body=" + encodeURIComponent(texting[1]) : "";
    return el("a", { href: "sms:" + dial + body, text: number });
  }

  // The text of a message with each known number (clinic.yml's, from widget-config.js) as a
  // link. The link's text is the number as written, so it is also what a screen reader says.
  function withNumberLinks(text, numbers) {
    if (!numbers.length) return [text];
    var dials = {};
    numbers.forEach(function (n) { dials[n.text] = n.dial; });
    var pattern = new RegExp(numbers.map(function (n) { return escapeRegExp(n.text); }).join("|"), "g");
    var nodes = [];
    var last = 0;
    var match;
    while ((match = pattern.exec(text))) {
      var end = match.index + match[0].length;
      if (/\d/.test(text.charAt(match.index - 1)) || /\d/.test(text.charAt(end))) continue; // part of a longer number
      nodes.push(text.slice(last, match.index), numberLink(match[0], dials[match[0]], text.slice(last, match.index)));
      last = end;
    }
    nodes.push(text.slice(last));
    return nodes;
  }

  function init(options) {
    var cfg = Object.assign({ socketPath: "/socket.io", transports: ["websocket"], crisis: {}, open: false },
      window.ClinicChatConfig || {}, options || {});
    if (!cfg.socketUrl) throw new Error("ClinicChat.init: socketUrl is required");
    if (typeof window.io !== "function") throw new Error("ClinicChat.init: load socket.io.min.js first");
    var emergency = cfg.crisis.emergency;
    var lifeline = cfg.crisis.lifeline;
    if (!emergency || !lifeline) throw new Error("ClinicChat.init: crisis.emergency and crisis.lifeline are required (widget-config.js)");
    var clinicName = cfg.clinicName || "the clinic";
    var numbers = cfg.numbers || [];
    function clinicPhoneLink() {
      var known = numbers.filter(function (n) { return n.text === cfg.clinicPhone; })[0];
      return phoneLink(cfg.clinicPhone, known && known.dial);
    }

    var sessionId = storage.get("session", null) || newSessionId();
    var history = storage.get("history", []);
    var state = "connecting"; // connecting | ready | offline
    var queue = [];
    var typingTimer = null;

    // ---- the page structure ----
    var launcher = el("button", { type: "button", class: "cc-launcher", "aria-controls": "clinic-chat-panel",
      "aria-expanded": "false", text: "Chat with us" });
    var closeButton = el("button", { type: "button", class: "cc-close", "aria-label": "Close the chat", text: "\u00d7" });
    var crisisLine = el("p", { class: "cc-crisis" }, [
      el("strong", { text: "In danger? " }), "Call ", phoneLink(emergency), ". Call or text ", phoneLink(lifeline),
      " any time.",
    ]);
    var log = el("div", { class: "cc-log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
    var notice = el("p", { class: "cc-notice" }, [
      "Hi! This is an automated assistant for " + clinicName + ". It shares general health education only. " +
      "It is not a clinician and can't give medical advice. It is not for emergencies: if you are in danger, call ",
      phoneLink(emergency), ", or call or text ", phoneLink(lifeline), ".",
    ]);
    var typing = el("p", { class: "cc-typing", "aria-hidden": "true", hidden: "" }, [
      el("span"), el("span"), el("span"),
    ]);
    var status = el("div", { class: "cc-status", role: "alert" });
    // Who answers now: a clinician who has joined (the staff console's take-over), else the assistant.
    var presence = el("p", { class: "cc-presence", role: "status", hidden: "" });
    var clinician = storage.get("clinician", null);
    // "Dana is typing…" while the clinician writes in the staff console. Always in the page (a
    // live region must exist before its text changes to be read out); empty when nobody types.
    var clinicianTyping = el("p", { class: "cc-clinician-typing", "aria-live": "polite" });
    var clinicianTypingTimer = null;
    var input = el("input", { id: "clinic-chat-input", class: "cc-input", type: "text", autocomplete: "off",
      maxlength: "1000", placeholder: "For example: What is PTSD?" });
    var sendButton = el("button", { type: "submit", class: "cc-send", text: "Send" });
    var form = el("form", { class: "cc-form" }, [
      el("label", { for: "clinic-chat-input", text: "Type your question" }),
      el("div", { class: "cc-row" }, [input, sendButton]),
    ]);
    var panel = el("section", { id: "clinic-chat-panel", class: "cc-panel", "aria-labelledby": "clinic-chat-title", hidden: "" }, [
      el("header", { class: "cc-header" }, [
        el("div", {}, [
          el("h2", { id: "clinic-chat-title", text: clinicName }),
          el("p", { text: "Automated assistant" + (cfg.clinicPhone ? " \u00b7 Clinic phone " : "") }, cfg.clinicPhone ? [clinicPhoneLink()] : []),
        ]),
        closeButton,
      ]),
      crisisLine, presence, log, typing, clinicianTyping, status, form,
    ]);
    var root = el("div", { class: "cc-root" }, [launcher, panel]);
    document.body.appendChild(root);

    // ---- messages ----
    function render(message) {
      // A clinician's message begins with their name already; the others are labelled for screen
      // readers. Numbers are links in what the clinic says (assistant or clinician), never in the
      // person's own words.
      var clinicianWrote = message.from === "clinician";
      var item = el("div", { class: "cc-msg cc-" + (clinicianWrote ? "bot cc-clinician" : message.from) });
      var label = clinicianWrote ? [] : [el("span", { class: "cc-sr", text: (message.from === "user" ? "You" : "Assistant") + ": " })];
      var text = message.text || "";
      item.appendChild(el("p", { class: "cc-bubble" }, label.concat(message.from === "user" ? [text] : withNumberLinks(text, numbers))));
      if (message.replies && message.replies.length) {
        var group = el("div", { class: "cc-replies", role: "group", "aria-label": "Suggested replies" });
        message.replies.forEach(function (reply) {
          var button = el("button", { type: "button", class: "cc-reply", text: reply.title });
          button.addEventListener("click", function () {
            if (send(reply.title, reply.payload)) input.focus();
          });
          group.appendChild(button);
        });
        item.appendChild(group);
      }
      log.appendChild(item);
      scrollToLatest();
    }

    // Shows the newest messages, but never scrolls the person's last question out of sight:
    // a long answer is then read from its start.
    function scrollToLatest() {
      var questions = log.querySelectorAll(".cc-user");
      var bottom = log.scrollHeight - log.clientHeight;
      var question = questions[questions.length - 1];
      log.scrollTop = question ? Math.min(bottom, question.offsetTop - 8) : bottom;
    }

    function add(message) {
      history.push(message);
      if (history.length > MAX_MESSAGES) history = history.slice(-MAX_MESSAGES);
      storage.set("history", history);
      render(message);
    }

    // Suggested replies belong to the latest answer: once the person says anything, they go.
    function clearReplies() {
      history.forEach(function (message) { delete message.replies; });
      Array.prototype.forEach.call(log.querySelectorAll(".cc-replies"), function (group) { group.remove(); });
    }

    function showPresence() {
      presence.hidden = !clinician;
      presence.textContent = clinician ? clinician + ", a clinician, is here with you." : "";
    }

    function showTyping(on) {
      if (clinician) on = false; // the assistant is quiet while a clinician is here
      clearTimeout(typingTimer);
      typing.hidden = !on;
      if (on) typingTimer = setTimeout(function () { typing.hidden = true; }, 20000);
    }

    // The console signals every few seconds while the clinician types: the words go after
    // CLINICIAN_TYPING_MS without a signal, or as soon as a message arrives.
    function showClinicianTyping(name) {
      clearTimeout(clinicianTypingTimer);
      clinicianTyping.textContent = name ? name + " is typing\u2026" : "";
      if (name) clinicianTypingTimer = setTimeout(function () { showClinicianTyping(null); }, CLINICIAN_TYPING_MS);
    }

    // The kind "can't connect" message; shown again (and so read out again) when someone tries to send.
    function showOffline() {
      showTyping(false);
      status.textContent = "";
      status.appendChild(el("p", {}, [
        "We can't reach the assistant right now. We're sorry. Please try again in a little while. " +
        "If you are in danger, call ", phoneLink(emergency), ", or call or text ", phoneLink(lifeline), ".",
      ].concat(cfg.clinicPhone ? [" You can also call the clinic at ", clinicPhoneLink(), "."] : [])));
    }

    function setState(next) {
      if (next === state) return;
      state = next;
      if (next === "offline") showOffline();
      else status.textContent = "";
    }

    // Returns false when the message could not be sent (the text then stays in the box).
    function send(text, payload) {
      text = text.trim();
      if (!text) return false;
      if (state === "offline") {
        showOffline();
        socket.connect(); // try again now rather than at the next scheduled retry
        return false;
      }
      clearReplies();
      add({ from: "user", text: text });
      queue.push(payload || text);
      flush();
      return true;
    }

    function flush() {
      if (state !== "ready") return;
      while (queue.length) {
        socket.emit("user_uttered", { message: queue.shift(), session_id: sessionId });
        showTyping(true);
      }
    }

    // ---- the connection ----
    var socket = window.io(cfg.socketUrl, {
      path: cfg.socketPath,
      transports: cfg.transports,
      auth: cfg.token ? { token: cfg.token } : undefined,
      reconnectionDelayMax: 10000,
    });
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", function (confirmed) {
      sessionId = (confirmed && confirmed.session_id) || confirmed || sessionId;
      storage.set("session", sessionId);
      setState("ready");
      flush();
    });
    socket.on("connect_error", function () { setState("offline"); });
    socket.on("disconnect", function () { if (state === "ready") setState("connecting"); });
    socket.on("clinician_typing", function (data) {
      if (data && typeof data.clinician === "string") showClinicianTyping(data.clinician.slice(0, 64));
    });
    socket.on("bot_uttered", function (message) {
      showTyping(false);
      showClinicianTyping(null);
      if (message && message.presence) { // sent by the staff console with "joined" or "left"
        clinician = message.presence === "joined" ? message.clinician : null;
        storage.set("clinician", clinician);
        showPresence();
        return;
      }
      if (!message || (!message.text && !(message.quick_replies || []).length)) return;
      var fromClinician = clinician && (message.text || "").indexOf(clinician + " (clinician): ") === 0;
      add({
        from: fromClinician ? "clinician" : "bot",
        text: message.text || "",
        replies: (message.quick_replies || []).map(function (r) { return { title: r.title, payload: r.payload }; }),
      });
    });
    storage.set("session", sessionId);

    // ---- opening, closing and typing ----
    function setOpen(open, focus) {
      panel.hidden = !open;
      launcher.hidden = open;
      launcher.setAttribute("aria-expanded", String(open));
      storage.set("open", open);
      if (open) {
        scrollToLatest();
        if (focus) input.focus();
      } else if (focus) {
        launcher.focus();
      }
    }
    launcher.addEventListener("click", function () { setOpen(true, true); });
    closeButton.addEventListener("click", function () { setOpen(false, true); });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") setOpen(false, true);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (send(input.value)) input.value = "";
    });

    log.appendChild(notice);
    history.forEach(render);
    showPresence();
    setOpen(storage.get("open", cfg.open), false);
    return { socket: socket, sessionId: function () { return sessionId; }, open: setOpen };
  }

  window.ClinicChat = { init: init };
})();
