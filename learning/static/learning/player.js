/* Lesson player: reports plausible watching time to the API and resumes where the trainee stopped.
   One beat every `interval` seconds (30 by default: learning.rules) while playing, plus one on pause,
   end and page hide — at 08:30 the beats are most of the load, and each costs one progress-row update. */
(function () {
  "use strict";
  var box = document.querySelector("[data-lesson-tracker]");
  if (!box) return;
  var video = document.querySelector("video[data-lesson-video]");
  var url = box.dataset.heartbeatUrl;
  var csrf = box.dataset.csrf;
  var interval = (parseInt(box.dataset.interval, 10) || 30) * 1000;
  var completed = box.dataset.completed === "1";
  var resume = parseFloat(box.dataset.resume) || 0;
  var status = box.querySelector("[data-tracker-status]");
  var bar = box.querySelector(".tracker-bar span");
  var session = Math.random().toString(36).slice(2) + Date.now().toString(36);
  var seq = 0, watched = 0, started = false, sending = false, pending = false, lastWall = null, lastMedia = null;

  function show(result) {
    if (!result) return;
    bar.style.width = result.percent + "%";
    bar.parentNode.setAttribute("aria-valuenow", result.percent);
    if (result.completed) {
      completed = true;
      status.textContent = "已完成 ✓ 学时已记入学习台账";
      box.classList.add("done");
    } else if (result.percent >= 100) {
      status.textContent = "视频已学完，完成本页测验后即完成本课";
    } else {
      status.textContent = "已学习 " + result.percent + "%";
    }
  }

  function beat(final) {
    if (sending && !final) { pending = true; return; }
    pending = false;
    var claimed = Math.round(watched * 10) / 10;
    watched = 0;
    seq += 1;
    var body = JSON.stringify({
      session: session, seq: seq, watched: claimed,
      position: video ? Math.round((video.currentTime || 0) * 10) / 10 : 0
    });
    sending = true;
    return fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: !!final,
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}, body: body
    }).then(function (r) {
      return r.json().then(function (data) { return {ok: r.ok, data: data}; });
    }).then(function (res) {
      if (res.ok) show(res.data);
      else if (res.data && res.data.message) status.textContent = res.data.message;
    }).catch(function () {
      watched += claimed;  // offline: keep the time and claim it with the next beat
    }).then(function () {
      sending = false;
      if (pending && watched > 0) beat();  // a pause that came while the previous beat was in flight
    });
  }

  function start() {
    if (started) return;
    started = true;
    beat();
    setInterval(function () { if (watched > 0) beat(); }, interval);
  }

  if (video) {
    video.addEventListener("loadedmetadata", function () {
      if (resume > 1 && resume < video.duration - 2 && !completed) {
        video.currentTime = resume;
        status.textContent = "已为你从 " + Math.floor(resume / 60) + ":" + ("0" + Math.floor(resume % 60)).slice(-2) + " 继续播放";
      }
    });
    if (video.readyState >= 1) video.dispatchEvent(new Event("loadedmetadata"));
    video.addEventListener("play", function () { lastWall = performance.now(); lastMedia = video.currentTime; start(); });
    video.addEventListener("timeupdate", function () {
      if (video.paused || lastWall === null) return;
      var now = performance.now(), wall = (now - lastWall) / 1000, media = video.currentTime - lastMedia;
      lastWall = now; lastMedia = video.currentTime;
      // Count real time spent playing: not seeks (media jumps), not faster than the wall clock.
      if (media > 0 && media < 3) watched += Math.min(media, wall);
    });
    video.addEventListener("seeking", function () { lastMedia = video.currentTime; lastWall = performance.now(); });
    video.addEventListener("pause", function () { lastWall = null; if (watched > 0) beat(); });
    video.addEventListener("ended", function () { lastWall = null; beat(); });
  } else {
    // Text lesson: reading time counts while the page is visible.
    var lastTick = performance.now();
    setInterval(function () {
      var now = performance.now();
      if (document.visibilityState === "visible") watched += Math.min((now - lastTick) / 1000, 5);
      lastTick = now;
    }, 1000);
    start();
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && watched > 0) beat(true);
  });
  // Closing the tab or navigating away (some mobile browsers skip visibilitychange then); keepalive
  // lets the request outlive the page. Nothing is sent twice: a beat resets `watched`.
  window.addEventListener("pagehide", function () { if (watched > 0) beat(true); });
})();
