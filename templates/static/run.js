// The run view: one clock for the whole group. The server keeps the state
// (part, start, pauses, extensions); this script shows the time left from
// it, follows changes through server-sent events (or, where a proxy holds
// them back, by asking every second), lets the facilitator, timekeeper and
// mentor drive the clock, and saves the note-taker's notes as they type.
(function () {
  "use strict";
  var root = document.getElementById("run");
  if (!root) { return; }
  var meeting = root.getAttribute("data-meeting");
  var base = "/meetings/" + meeting + "/run";
  var clock = document.getElementById("clock");
  var announce = document.getElementById("announce");
  var signal = document.getElementById("signal");
  var connection = document.getElementById("connection");
  var steps = Array.prototype.slice.call(document.querySelectorAll("#steps li"));
  var controls = document.getElementById("controls");
  var canRun = root.getAttribute("data-run") === "true";
  var state = null;
  var receivedAt = 0;
  var lastMinuteSaid = "";
  var source = null;
  var pollTimer = 0;
  var watchdog = 0;

  function text(name) { return root.getAttribute("data-" + name) || ""; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  function csrf() {
    var field = document.querySelector("input[name=_csrf]");
    return field ? field.value : "";
  }

  // The state as the page was made, so the clock runs before any event.
  state = {
    version: Number(clock.getAttribute("data-version")),
    status: clock.getAttribute("data-status"),
    phase: Number(clock.getAttribute("data-phase")),
    blocks: steps.length,
    planned: Number(clock.getAttribute("data-planned")),
    elapsed: Number(clock.getAttribute("data-elapsed")),
    live: true
  };
  receivedAt = performance.now();

  function remaining() {
    var elapsed = state.elapsed;
    if (state.status === "running") {
      elapsed += Math.floor((performance.now() - receivedAt) / 1000);
    }
    return state.planned - elapsed;
  }

  function format(sec) {
    var sign = sec < 0 ? "\u2212" : "";
    sec = Math.abs(sec);
    var s = sec % 60;
    return sign + Math.floor(sec / 60) + ":" + (s < 10 ? "0" : "") + s;
  }

  function step(i) { return steps[i] || steps[0]; }

  // An optional, gentle chime at the end of a part, made on the spot with
  // WebAudio (no sound file). Each person turns it on for their own device;
  // browsers allow sound only after a click, so the switch makes the
  // audio context.
  var soundBox = document.getElementById("sound");
  var audio = null;
  var chimedFor = "";
  function chime() {
    if (!audio || !soundBox || !soundBox.checked) { return; }
    var now = audio.currentTime;
    [659.25, 880].forEach(function (freq, i) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      var at = now + i * 0.35;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.2, at + 0.04);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 1.2);
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + 1.25);
    });
  }
  if (soundBox && (window.AudioContext || window.webkitAudioContext)) {
    document.getElementById("sound-choice").hidden = false;
    try { soundBox.checked = window.localStorage.getItem("crossmentor.run.sound") === "on"; } catch (e) { /* storage off */ }
    var makeAudio = function () {
      if (!audio) { audio = new (window.AudioContext || window.webkitAudioContext)(); }
      if (audio.state === "suspended") { audio.resume(); }
    };
    soundBox.addEventListener("change", function () {
      try { window.localStorage.setItem("crossmentor.run.sound", soundBox.checked ? "on" : "off"); } catch (e) { /* storage off */ }
      if (soundBox.checked) { makeAudio(); chime(); }
    });
    // A remembered choice needs one touch of the page before it may sound.
    document.addEventListener("pointerdown", function () { if (soundBox.checked) { makeAudio(); } }, { once: true });
    document.addEventListener("keydown", function () { if (soundBox.checked) { makeAudio(); } }, { once: true });
  }

  function tick() {
    var left = remaining();
    var shown = format(left);
    if (clock.textContent !== shown) { clock.textContent = shown; }
    var active = state.status === "running" || state.status === "paused";
    var over = active && left < 0;
    root.classList.toggle("over", over);
    if (signal) { signal.hidden = !over; }
    // The chime sounds once, as the time of a running part runs out.
    var chimeKey = state.phase + ":" + state.planned;
    if (state.status === "running" && left <= 0 && left > -3 && chimedFor !== chimeKey) {
      chimedFor = chimeKey;
      chime();
    }
    // The last minute is said once per part (and again after "+1 minute").
    var key = state.phase + ":" + state.planned;
    if (state.status === "running" && left <= 60 && left > 55 && lastMinuteSaid !== key) {
      lastMinuteSaid = key;
      announce.textContent = fill(text("say-minute"), { name: step(state.phase).getAttribute("data-name") });
    }
  }

  function render(old) {
    root.classList.remove("idle", "running", "paused", "ended");
    root.classList.add(state.status);
    clock.setAttribute("data-status", state.status);
    document.getElementById("run-status").textContent = text("status-" + state.status);
    document.getElementById("run-position").textContent = fill(text("position"), { n: state.phase + 1, total: state.blocks });
    var current = step(state.phase);
    document.getElementById("h-now").textContent = current.getAttribute("data-name");
    document.getElementById("phase-text").textContent = current.getAttribute("data-text");
    steps.forEach(function (li, i) {
      if (i === state.phase) { li.setAttribute("aria-current", "step"); } else { li.removeAttribute("aria-current"); }
      li.classList.toggle("done", i < state.phase);
    });
    if (controls) {
      var active = state.status === "running" || state.status === "paused";
      controls.querySelectorAll("button[data-when]").forEach(function (b) {
        b.hidden = b.getAttribute("data-when") !== state.status;
      });
      controls.querySelector("[value=previous]").disabled = !active || state.phase === 0;
      controls.querySelector("[value=next]").disabled = !active || state.phase + 1 >= state.blocks;
      controls.querySelector("[value=extend]").disabled = !active;
      controls.querySelector("[value=end]").disabled = !active;
    }
    // Said aloud at a change of part only, not every second.
    if (old && old.phase !== state.phase && state.status !== "ended") {
      announce.textContent = fill(text("say-now"), {
        name: current.getAttribute("data-name"),
        min: Math.round(state.planned / 60)
      });
    }
    tick();
  }

  function apply(next) {
    if (!next || next.version < state.version) { return; }
    var old = state;
    state = next;
    receivedAt = performance.now();
    render(old);
    if (!next.live && source) { source.close(); source = null; }
  }

  // Live updates: server-sent events, with polling where they do not come
  // through (a proxy that buffers them, or no EventSource at all).
  function poll() {
    fetch(base + "/state", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s) { apply(s); } })
      .catch(function () {});
  }
  function startPolling() {
    if (pollTimer) { return; }
    if (source) { source.close(); source = null; }
    connection.textContent = text("offline");
    connection.hidden = false;
    pollTimer = window.setInterval(poll, 1000);
    poll();
  }
  function armWatchdog() {
    window.clearTimeout(watchdog);
    watchdog = window.setTimeout(function () { if (state.live) { startPolling(); } }, 20000);
  }
  function connect() {
    if (!window.EventSource) { startPolling(); return; }
    source = new EventSource(base + "/events");
    armWatchdog();
    source.addEventListener("state", function (event) {
      armWatchdog();
      connection.hidden = true;
      try { apply(JSON.parse(event.data)); } catch (e) { /* a broken event: the next one repairs it */ }
    });
    source.addEventListener("error", function () {
      if (source && source.readyState === EventSource.CLOSED) { startPolling(); }
    });
  }

  // The controls: one request per press; the answer is the new state.
  function act(action) {
    if (!controls) { return; }
    var body = new URLSearchParams();
    body.set("_csrf", csrf());
    body.set("action", action);
    fetch(base, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { Accept: "application/json", "X-CSRF-Token": csrf() }
    }).then(function (r) {
      return r.json().then(function (data) {
        if (r.ok) { apply(data); return; }
        connection.textContent = (data.errors && data.errors.action) || data.title || "";
        connection.hidden = false;
        poll();
      });
    }).catch(function () { poll(); });
  }
  if (controls) {
    controls.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; } // "end" asked for confirmation and was cancelled
      event.preventDefault();
      var button = event.submitter;
      if (button && button.value) { act(button.value); }
    });
  }
  document.addEventListener("keydown", function (event) {
    if (!canRun || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var t = event.target;
    if (t.closest && t.closest("input, textarea, select, button, a, [contenteditable]")) { return; }
    if (event.key === " ") {
      event.preventDefault();
      if (state.status === "running") { act("pause"); } else if (state.status === "paused") { act("resume"); }
    } else if (event.key === "ArrowRight" && state.phase + 1 < state.blocks) {
      event.preventDefault();
      act("next");
    } else if (event.key === "ArrowLeft" && state.phase > 0) {
      event.preventDefault();
      act("previous");
    }
  });

  // The note-taker's notes are saved a moment after typing stops, and when
  // the page is left.
  var notes = document.getElementById("notes");
  var notesForm = document.getElementById("notes-form");
  var notesStatus = document.getElementById("notes-status");
  var saveTimer = 0;
  var savedText = notes ? notes.value : "";
  function saveNotes(keepalive) {
    window.clearTimeout(saveTimer);
    if (!notes || notes.value === savedText) { return; }
    var value = notes.value;
    var body = new URLSearchParams();
    body.set("_csrf", csrf());
    body.set("notes", value);
    notesStatus.textContent = text("saving");
    fetch(notesForm.getAttribute("data-autosave"), {
      method: "POST", credentials: "same-origin", body: body, keepalive: !!keepalive,
      headers: { Accept: "application/json", "X-CSRF-Token": csrf() }
    }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      savedText = value;
      notesStatus.textContent = text("saved");
    }).catch(function () {
      notesStatus.textContent = text("not-saved");
      saveTimer = window.setTimeout(saveNotes, 5000);
    });
  }
  if (notes) {
    notes.addEventListener("input", function () {
      window.clearTimeout(saveTimer);
      saveTimer = window.setTimeout(saveNotes, 1200);
    });
    notesForm.addEventListener("submit", function (event) {
      event.preventDefault();
      saveNotes();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { saveNotes(true); }
    });
    window.addEventListener("pagehide", function () { saveNotes(true); });
  }

  // Attendance, ticked by the mentor at the start, is saved a moment after
  // each tick; action items are added to the list as they are agreed.
  function post(form, done) {
    var body = new URLSearchParams(new FormData(form));
    return fetch(form.getAttribute("action"), {
      method: "POST", credentials: "same-origin", body: body,
      headers: { Accept: "application/json", "X-CSRF-Token": csrf() }
    }).then(function (r) {
      return r.json().then(function (data) { done(r.ok, data); });
    });
  }
  var attendance = document.getElementById("attendance-form");
  var attendanceStatus = document.getElementById("attendance-status");
  var attendanceTimer = 0;
  function saveAttendance() {
    window.clearTimeout(attendanceTimer);
    post(attendance, function (ok) {
      attendanceStatus.textContent = ok ? text("attendance-saved") : text("not-saved-short");
    }).catch(function () { attendanceStatus.textContent = text("not-saved-short"); });
  }
  if (attendance) {
    attendance.addEventListener("change", function () {
      window.clearTimeout(attendanceTimer);
      attendanceTimer = window.setTimeout(saveAttendance, 600);
    });
    attendance.addEventListener("submit", function (event) { event.preventDefault(); saveAttendance(); });
  }
  var actionForm = document.getElementById("action-form");
  if (actionForm) {
    var actionStatus = document.getElementById("action-status");
    actionForm.addEventListener("submit", function (event) {
      event.preventDefault();
      post(actionForm, function (ok, data) {
        if (!ok) {
          var errors = data.errors || {};
          actionStatus.textContent = errors.text || errors.due_on || errors.holder_id || data.title || text("not-saved-short");
          return;
        }
        var li = document.createElement("li");
        li.textContent = data.text + " ";
        var meta = document.createElement("span");
        meta.className = "muted";
        meta.textContent = "\u00b7 " + data.holder_name + (data.due ? " \u00b7 " + data.due : "");
        li.appendChild(meta);
        document.getElementById("action-list").appendChild(li);
        actionForm.querySelector("[name=text]").value = "";
        actionForm.querySelector("[name=due_on]").value = "";
        actionStatus.textContent = text("action-added");
      }).catch(function () { actionStatus.textContent = text("not-saved-short"); });
    });
  }

  window.setInterval(tick, 250);
  tick();
  connect();
}());
