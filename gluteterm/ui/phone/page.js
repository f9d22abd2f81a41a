// The phone page of gluteterm: shows the session the terminal shows and sends its
// commands. The server sends views (time left at sending, the figure's period and
// phase), never frames: the number and the figure move here between messages.
"use strict";

const $ = (id) => document.getElementById(id);
const STALE_MS = 10000; // nothing heard for this long: the link is down
let ws = null;
let view = null; // the last view, and when (performance.now()) it came
let viewAt = 0;
let heardAt = 0;
let shapes = null; // the figure's cycle: {view, bounds, frames}
let figureDrill = undefined;
let card = null;
let retry = 500;
let sound = false; // the user tapped to start: sound, vibration, wake lock
let audio = null;
let wakeLock = null;
let lastSegment = null;
let lastStep = null;
let noticeTimer = null;

// -- the link --------------------------------------------------------------------

function socketUrl() {
  const base = location.pathname.endsWith("/") ? location.pathname : location.pathname + "/";
  return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + base + "ws";
}

function connect() {
  if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) return;
  const socket = new WebSocket(socketUrl());
  ws = socket;
  socket.onopen = () => {
    retry = 500;
    socket.send(JSON.stringify({ do: "hello" }));
  };
  socket.onmessage = (event) => {
    heardAt = performance.now();
    let message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    receive(message);
  };
  socket.onclose = () => {
    if (ws === socket) ws = null;
    showLink();
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 5000);
  };
  socket.onerror = () => socket.close();
}

function linked() {
  return ws !== null && ws.readyState === WebSocket.OPEN && performance.now() - heardAt < STALE_MS;
}

function showLink() {
  const link = $("link");
  const up = linked();
  link.textContent = up ? "live" : "reconnecting";
  link.classList.toggle("off", !up);
}

function send(command) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(command));
}

// -- what the server sends --------------------------------------------------------

function receive(message) {
  if (message.type === "view") showView(message);
  else if (message.type === "idle") showIdle();
  else if (message.type === "card") card = message;
  else if (message.type === "figure") { shapes = message.shapes; figureDrill = message.drill; }
  else if (message.type === "notice") showNotice(message);
}

function showIdle() {
  view = null;
  document.body.className = "s-idle";
  $("band-text").textContent = "NO SESSION";
  $("step-name").textContent = "No session under way";
  $("counters").textContent = "Start one on the laptop; this page follows it.";
  for (const id of ["small", "cue", "up-next", "session-left"]) $(id).textContent = "";
  $("big").textContent = "·";
  $("question").hidden = true;
  $("controls").hidden = true;
  showLink();
}

function showView(v) {
  const before = view;
  view = v;
  viewAt = performance.now();
  document.body.className = "s-" + v.state;
  $("controls").hidden = v.state === "finished";
  $("title").textContent = v.title;
  $("count").textContent = "Step " + v.step_number + " of " + v.step_count;
  $("band-text").textContent = v.mark + "  " + v.band.replace(": space to resume", "") + "  " + v.mark;
  $("step-name").textContent = v.step_name;
  $("counters").textContent = v.counters;
  $("small").textContent = v.small.replace("Enter when", "Done when");
  $("setup").hidden = !v.setup;
  $("setup").textContent = v.setup;
  $("cue").textContent = v.cue;
  $("up-next").textContent = v.up_next;
  $("progress-fill").style.width = Math.round(v.progress * 100) + "%";
  $("b-pause").textContent = v.state === "paused" ? "Resume" : "Pause";
  $("b-pause").classList.toggle("on", v.state === "paused");
  $("b-fail").hidden = !v.tested;
  $("b-pain").hidden = v.session_kind !== "workout";
  showQuestion(v.question);
  if (before && before.segment !== v.segment) changed(v, before);
  lastSegment = v.segment;
  showLink();
  drawNumber();
}

function showQuestion(q) {
  $("question").hidden = !q;
  document.body.classList.toggle("asking", Boolean(q));
  if (!q) return;
  $("q-subject").textContent = q.subject;
  $("q-prompt").textContent = q.prompt;
  const checkIn = q.kind === "check-in";
  $("q-felt").hidden = !checkIn;
  $("q-flags").hidden = !checkIn;
  $("q-yesno").hidden = checkIn;
  $("q-close").hidden = !checkIn;
  $("q-skip").hidden = !q.can_skip;
  $("q-advice").textContent = q.advice;
  if (checkIn) {
    const felt = $("q-felt");
    if (felt.children.length !== 10) {
      felt.textContent = "";
      for (let n = 0; n <= 9; n++) {
        const b = document.createElement("button");
        b.textContent = String(n);
        b.dataset.do = "felt";
        b.dataset.value = String(n);
        felt.appendChild(b);
      }
    }
    for (const b of felt.children) b.classList.toggle("on", Number(b.dataset.value) === q.felt);
    const flags = $("q-flags");
    const keys = q.flag_keys.map((pair) => pair[0]).join(",");
    if (flags.dataset.keys !== keys) {
      flags.textContent = "";
      flags.dataset.keys = keys;
      for (const [key, name] of q.flag_keys) {
        const b = document.createElement("button");
        b.textContent = name.charAt(0).toUpperCase() + name.slice(1);
        b.dataset.do = "flag";
        b.dataset.value = JSON.stringify(key);
        b.dataset.flag = name;
        flags.appendChild(b);
      }
    }
    for (const b of flags.children) b.classList.toggle("on", q.flags.includes(b.dataset.flag));
  }
}

function showNotice(n) {
  const box = $("notice");
  box.textContent = n.text;
  box.className = n.severity;
  box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { box.hidden = true; }, Math.min(n.timeout, 15) * 1000);
}

// -- cues: a beep, a buzz, the step's name spoken ----------------------------------

function changed(v, before) {
  document.body.classList.add("flash");
  setTimeout(() => document.body.classList.remove("flash"), 300);
  if (!sound || v.sound === "muted") return;
  beep(v.state === "work" ? 880 : 660);
  if (navigator.vibrate) navigator.vibrate(v.state === "work" ? [180] : [90, 60, 90]);
  if (v.sound === "sound+voice" && "speechSynthesis" in window) {
    const words = v.step !== before.step || v.state === "prepare" ? v.step_name
      : v.state === "switch" ? "Switch sides" : v.state === "rest" ? "Rest"
      : v.state === "finished" ? "Done" : "";
    if (words) {
      speechSynthesis.cancel();
      speechSynthesis.speak(new SpeechSynthesisUtterance(words));
    }
  }
}

function beep(freq) {
  if (!audio) return;
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.frequency.value = freq;
  gain.gain.setValueAtTime(0.0001, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.4, audio.currentTime + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.18);
  osc.connect(gain).connect(audio.destination);
  osc.start();
  osc.stop(audio.currentTime + 0.2);
}

async function keepAwake() {
  if ("wakeLock" in navigator && window.isSecureContext) {
    try {
      wakeLock = await navigator.wakeLock.request("screen");
      document.documentElement.dataset.awake = "wake-lock";
      return;
    } catch (e) { /* fall through to the video */ }
  }
  // Plain HTTP on a local address is no secure context: a playing video keeps
  // the screen on. It is made here (a one-pixel canvas stream), not downloaded.
  const video = $("awake");
  try {
    if (!video.srcObject) {
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = 2;
      const paint = canvas.getContext("2d");
      let flip = false;
      setInterval(() => { flip = !flip; paint.fillStyle = flip ? "#000" : "#010101"; paint.fillRect(0, 0, 2, 2); }, 1000);
      video.srcObject = canvas.captureStream(1);
    }
    video.hidden = false;
    await video.play();
    document.documentElement.dataset.awake = "video";
  } catch (e) {
    document.documentElement.dataset.awake = "none";
  }
}

function start() {
  $("start").hidden = true;
  sound = true;
  try {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (Context) { audio = new Context(); audio.resume(); beep(660); }
  } catch (e) { audio = null; }
  keepAwake();
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState !== "visible") return;
  if (sound && wakeLock !== null) keepAwake(); // a wake lock is released when hidden
  if (!linked()) { if (ws) ws.close(); else connect(); }
});

// -- taps -----------------------------------------------------------------------------

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-do]");
  if (!button) return;
  const command = { do: button.dataset.do };
  if (button.dataset.value !== undefined) command.value = JSON.parse(button.dataset.value);
  send(command);
});
$("start-button").addEventListener("click", start);
$("b-card").addEventListener("click", () => {
  $("card-text").textContent = card ? card.lines.join("\n") : "No card yet.";
  $("card").hidden = false;
});
$("card-close").addEventListener("click", () => { $("card").hidden = true; });

// -- drawing: the number and the figure, every frame -------------------------------------

function clockText(seconds) {
  const whole = Math.max(0, Math.ceil(seconds - 1e-9));
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  return m + ":" + (s < 10 ? "0" : "") + s;
}

function drawNumber() {
  const big = $("big");
  if (!view) return;
  const up = linked();
  big.classList.toggle("reconnecting", !up);
  if (!up) { big.textContent = "reconnecting"; return; }
  const dt = (performance.now() - viewAt) / 1000;
  let text = view.big;
  if (view.counts === "down" && view.remaining !== null) text = clockText(view.remaining - dt);
  else if (view.counts === "up") text = clockText(view.elapsed + dt);
  if (big.textContent !== text) big.textContent = text;
  const left = view.state === "finished" || view.state === "paused" ? view.session_left
    : Math.max(0, view.session_left - dt);
  const minutes = Math.ceil(left / 60);
  $("session-left").textContent = view.state === "finished" ? "" : "About " + minutes + " min left in the session";
}

// Where a rep paced up, hold and down seconds is, `seconds` in (core/figure.py's
// tempo_phase): 0 to 0.5 rising, 0.5 held at the top, 0.5 to 1 lowering.
function tempoPhase(seconds, up, hold, down) {
  const t = seconds % (up + hold + down);
  if (t < up) return 0.5 * t / up;
  if (t < up + hold) return 0.5;
  return down > 0 ? Math.min(0.5 + 0.5 * (t - up - hold) / down, 1) % 1 : 0;
}

function drawFigure() {
  const canvas = $("figure");
  const ratio = window.devicePixelRatio || 1;
  const width = Math.round(canvas.clientWidth * ratio);
  const height = Math.round(canvas.clientHeight * ratio);
  if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, width, height);
  if (!view || !shapes || figureDrill !== view.figure.drill || !width || !height) return;
  const fig = view.figure;
  let phase = fig.phase;
  if (fig.period && view.state !== "paused" && view.state !== "finished" && linked()) {
    const dt = (performance.now() - viewAt) / 1000;
    phase = fig.phases ? tempoPhase(fig.into + dt, ...fig.phases) : phase + dt / fig.period;
  }
  phase = ((phase % 1) + 1) % 1;
  const frames = shapes.frames;
  const at = phase * frames.length;
  const i = Math.floor(at) % frames.length;
  const j = (i + 1) % frames.length;
  const t = at - Math.floor(at);
  const a = frames[i], b = frames[j];
  const mix = (p, q) => p + (q - p) * t;
  const [x0, x1, y1] = shapes.bounds;
  const pad = 10 * ratio;
  const scale = Math.min((width - 2 * pad) / Math.max(x1 - x0, 1e-6), (height - 2 * pad) / Math.max(y1, 1e-6));
  const offset = (width - (x1 - x0) * scale) / 2 - x0 * scale;
  const floor = height - pad;
  const mirror = fig.side === "right";
  const px = (x) => { const X = x * scale + offset; return mirror ? width - X : X; };
  const py = (y) => floor - y * scale;
  const ink = getComputedStyle(document.body).color;
  g.strokeStyle = ink;
  g.lineCap = "round";
  g.lineJoin = "round";
  g.lineWidth = Math.max(4 * ratio, scale * 0.035);
  const bandLine = shapes.band_line ?? a.lines.length;
  const bandCircle = shapes.band_circle ?? a.circles.length;
  const strokeLines = (from, to) => {
    g.beginPath();
    for (let k = from; k < to; k++) {
      const p = a.lines[k], q = b.lines[k];
      g.moveTo(px(mix(p[0], q[0])), py(mix(p[1], q[1])));
      g.lineTo(px(mix(p[2], q[2])), py(mix(p[3], q[3])));
    }
    g.stroke();
  };
  const circle = (k, fill) => {
    const p = a.circles[k], q = b.circles[k];
    g.beginPath();
    g.arc(px(mix(p[0], q[0])), py(mix(p[1], q[1])), Math.max(2 * ratio, mix(p[2], q[2]) * scale), 0, 2 * Math.PI);
    if (fill) g.fill(); else g.stroke();
  };
  strokeLines(0, bandLine);
  g.fillStyle = ink;
  for (let k = 0; k < bandCircle; k++) circle(k, k === 0); // the head filled, as in the terminal
  // A band, in a colour of its own and thinner, as the terminal draws it.
  g.strokeStyle = "#b00020";
  g.fillStyle = "#b00020";
  g.lineWidth = Math.max(3 * ratio, scale * 0.02);
  strokeLines(bandLine, a.lines.length);
  for (let k = bandCircle; k < a.circles.length; k++) circle(k, true);
  g.strokeStyle = ink;
  g.lineWidth = 2 * ratio;
  g.beginPath();
  g.moveTo(0, floor + g.lineWidth);
  g.lineTo(width, floor + g.lineWidth);
  g.stroke();
}

function frame() {
  drawNumber();
  drawFigure();
  if (view && performance.now() - heardAt > STALE_MS && ws && ws.readyState === WebSocket.OPEN) {
    ws.close(); // the keep-alive stopped coming: reconnect
  }
  requestAnimationFrame(frame);
}

connect();
requestAnimationFrame(frame);
