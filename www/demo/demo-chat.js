// "Acme Chat": the demo's simulated chat vendor. It behaves like a real one —
// a launcher, a chat window, agents online on a schedule (Europe/Amsterdam),
// agents who answer after a delay, resolution and a 1-5 star rating — and
// reports to the widget through the generic integration, supportKpi('chat', …).
(function () {
  var ZONE = "Europe/Amsterdam";
  // Agents' shifts (site time): weekdays 08:00-17:00, Saturday 10:00-13:00.
  var SHIFTS = { 1: [8, 17], 2: [8, 17], 3: [8, 17], 4: [8, 17], 5: [8, 17], 6: [10, 13] };
  var REPLIES = [
    "Thanks for reaching out! Let me look into that for you.",
    "I can see your order — it left our warehouse yesterday.",
    "That's covered by our 30-day return policy. I've sent you a return label.",
    "Good question. You can change that under Account → Settings.",
  ];
  var track = function () {
    window.supportKpi.apply(null, arguments);
  };
  var hourFormat = new Intl.DateTimeFormat("en-US", { timeZone: ZONE, hourCycle: "h23", hour: "numeric", weekday: "short" });
  var DAYS = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

  /** True when an agent is on shift now. */
  function agentsOnline() {
    var parts = {};
    hourFormat.formatToParts(Date.now()).forEach(function (p) {
      parts[p.type] = p.value;
    });
    var shift = SHIFTS[DAYS[parts.weekday]];
    var hour = Number(parts.hour);
    return Boolean(shift) && hour >= shift[0] && hour < shift[1];
  }

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = "/demo/demo-chat.css";
  document.head.appendChild(style);

  var launcher = document.createElement("button");
  launcher.id = "acme-chat-launcher";
  launcher.innerHTML = "<span class=dot></span>Chat with us";
  var panel = document.createElement("section");
  panel.id = "acme-chat";
  panel.hidden = true;
  panel.innerHTML =
    '<header><b>Acme support</b><span class="state"></span><button class="close" aria-label="Close">×</button></header>' +
    '<ol class="messages"></ol>' +
    '<form class="compose"><input name="text" autocomplete="off" placeholder="Type your question…"><button>Send</button></form>' +
    '<div class="outcome" hidden>Did that solve it? <button data-resolved="true">Yes, solved</button><button data-resolved="false">No</button></div>' +
    '<div class="rating" hidden>Rate this chat: ' +
    [1, 2, 3, 4, 5].map(function (n) { return '<button data-score="' + n + '">' + n + "★</button>"; }).join("") +
    "</div>" +
    '<div class="effort" hidden>How easy was it to get help? (1 very easy – 7 very hard) ' +
    [1, 2, 3, 4, 5, 6, 7].map(function (n) { return '<button data-effort="' + n + '">' + n + "</button>"; }).join("") +
    "</div>";
  document.addEventListener("DOMContentLoaded", function () {
    document.body.append(launcher, panel);
    updateAvailability();
  });

  var online = null;
  var chatting = false;
  var messages = panel.querySelector(".messages");

  function updateAvailability() {
    var now = agentsOnline();
    if (now !== online) {
      online = now;
      launcher.classList.toggle("offline", !now);
      panel.querySelector(".state").textContent = now ? "agents online" : "offline — leave a message";
      track("chat", now ? "online" : "offline");
    }
  }
  setInterval(updateAvailability, 60000);

  function say(who, text) {
    var item = document.createElement("li");
    item.className = who;
    item.textContent = text;
    messages.appendChild(item);
    messages.scrollTop = messages.scrollHeight;
  }

  /** The visitor opens the chat window. */
  function open() {
    panel.hidden = false;
    track("chat", "open");
  }

  /** The visitor sends a message; an agent on shift answers after 8-75 s. */
  function send(text) {
    say("visitor", text);
    track("chat", "customer_message");
    chatting = true;
    panel.querySelector(".outcome").hidden = true;
    if (!online) return;
    setTimeout(function () {
      if (!chatting) return;
      say("agent", REPLIES[Math.floor(Math.random() * REPLIES.length)]);
      track("chat", "agent_message");
      panel.querySelector(".outcome").hidden = false;
    }, 8000 + Math.random() * 67000);
  }

  /** The chat ends; `outcome` as in chat_ended (resolved, escalated, transferred). */
  function end(outcome) {
    if (!chatting) return;
    chatting = false;
    track("chat", "ended", outcome || {});
    panel.querySelector(".outcome").hidden = true;
    panel.querySelector(".rating").hidden = false;
    say("system", outcome && outcome.escalated ? "Your question was passed to our specialist team." : "Chat ended.");
  }

  /** The visitor rates the chat 1-5; then the effort question follows. */
  function rate(score) {
    track("chat", "rating", { kind: "csat", score: score });
    panel.querySelector(".rating").hidden = true;
    panel.querySelector(".effort").hidden = false;
  }

  /** The visitor says how easy getting help was (1-7). */
  function effort(score) {
    track("chat", "rating", { kind: "ces", score: score });
    panel.querySelector(".effort").hidden = true;
    say("system", "Thanks for your feedback!");
  }

  launcher.addEventListener("click", open);
  panel.querySelector(".close").addEventListener("click", function () {
    panel.hidden = true;
  });
  panel.querySelector(".compose").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = event.target.elements.text;
    if (input.value.trim()) send(input.value.trim());
    input.value = "";
  });
  panel.querySelector(".outcome").addEventListener("click", function (event) {
    var value = event.target.dataset.resolved;
    if (value) end({ resolved: value === "true" });
  });
  panel.querySelector(".rating").addEventListener("click", function (event) {
    if (event.target.dataset.score) rate(Number(event.target.dataset.score));
  });
  panel.querySelector(".effort").addEventListener("click", function (event) {
    if (event.target.dataset.effort) effort(Number(event.target.dataset.effort));
  });

  /** The vendor's page API (as real vendors have), also used by the simulator. */
  window.AcmeChat = { open: open, send: send, end: end, rate: rate, effort: effort, isOnline: agentsOnline, isChatting: function () { return chatting; } };
})();
