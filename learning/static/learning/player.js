/* Lesson player: reports plausible watching time to the API and resumes where the trainee stopped.
   One beat every `interval` seconds (30 by default: learning.rules) while playing, plus one on pause,
   end and page hide — at 08:30 the beats are most of the load, and each costs one progress-row update.
   The rules live in player_core.js (pure, unit-tested); this module only wires them to the page. The
   heartbeat URL, CSRF token, interval and resume position come from the tracker's data attributes. */
import {
  beatBody, enqueue, hasUnsent, newQueue, playedSeconds, progressView, readSeconds, resumeAt, resumeText,
  sessionId, settle, takeBeat,
} from "./player_core.js";

const box = document.querySelector("[data-lesson-tracker]");
if (box) track(box);

function track(box) {
  const video = document.querySelector("video[data-lesson-video]");
  const url = box.dataset.heartbeatUrl;
  const csrf = box.dataset.csrf;
  const interval = (parseInt(box.dataset.interval, 10) || 30) * 1000;
  let completed = box.dataset.completed === "1";
  const resume = parseFloat(box.dataset.resume) || 0;
  const status = box.querySelector("[data-tracker-status]");
  const bar = box.querySelector(".tracker-bar span");
  bar.style.width = (parseInt(bar.parentNode.getAttribute("aria-valuenow"), 10) || 0) + "%";  // no style="" (CSP)
  const session = sessionId(Math.random(), Date.now());
  let queue = newQueue(), started = false, lastWall = null, lastMedia = null;

  function show(result) {
    if (!result) return;
    const view = progressView(result);
    bar.style.width = view.percent + "%";
    bar.parentNode.setAttribute("aria-valuenow", view.percent);
    status.textContent = view.text;
    if (view.done) {
      completed = true;
      box.classList.add("done");
    }
  }

  function beat(final) {
    const taken = takeBeat(queue, video ? video.currentTime : 0, !!final);
    queue = taken.queue;
    const sent = taken.beat;
    if (!sent) return;  // one is in flight: this one follows when it settles
    fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: !!final,
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}, body: beatBody(session, sent)
    }).then(function (r) {
      // An answer that is not JSON (a proxy's error page) counts as no answer: the seconds are kept.
      return r.json().then(function (data) { return {status: r.status, ok: r.ok, data: data}; },
                           function () { return {status: 0}; });
    }, function () {
      return {status: 0};  // offline: keep the time and claim it with the next beat
    }).then(function (res) {
      const settled = settle(queue, sent, res.status);
      queue = settled.queue;
      if (res.ok) show(res.data);
      else if (res.data && res.data.message) status.textContent = res.data.message;  // refused: the server says why
      else if (res.status === 0) status.textContent = "网络未连接：学习时长暂存在本机，联网后提交，是否计入以服务器核验为准";
      if (settled.sendAgain) beat();  // a pause that came while the previous beat was in flight
    });
  }

  function start() {
    if (started) return;
    started = true;
    beat();
    setInterval(function () { if (hasUnsent(queue)) beat(); }, interval);
  }

  if (video) {
    video.addEventListener("loadedmetadata", function () {
      const at = resumeAt(resume, video.duration, completed);
      if (at !== null) {
        video.currentTime = at;
        status.textContent = resumeText(at);
      }
    });
    if (video.readyState >= 1) video.dispatchEvent(new Event("loadedmetadata"));
    video.addEventListener("play", function () { lastWall = performance.now(); lastMedia = video.currentTime; start(); });
    video.addEventListener("timeupdate", function () {
      if (video.paused || lastWall === null) return;
      const now = performance.now(), wall = (now - lastWall) / 1000, media = video.currentTime - lastMedia;
      lastWall = now; lastMedia = video.currentTime;
      queue = enqueue(queue, playedSeconds(media, wall));
    });
    video.addEventListener("seeking", function () { lastMedia = video.currentTime; lastWall = performance.now(); });
    video.addEventListener("pause", function () { lastWall = null; if (hasUnsent(queue)) beat(); });
    video.addEventListener("ended", function () { lastWall = null; beat(); });
  } else {
    // Text lesson: reading time counts while the page is visible.
    let lastTick = performance.now();
    setInterval(function () {
      const now = performance.now();
      queue = enqueue(queue, readSeconds(now - lastTick, document.visibilityState === "visible"));
      lastTick = now;
    }, 1000);
    start();
  }
  window.addEventListener("online", function () { if (hasUnsent(queue)) beat(); });  // claim what waited offline
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && hasUnsent(queue)) beat(true);
  });
  // Closing the tab or navigating away (some mobile browsers skip visibilitychange then); keepalive
  // lets the request outlive the page. Nothing is sent twice: a beat empties the queue.
  window.addEventListener("pagehide", function () { if (hasUnsent(queue)) beat(true); });
}
