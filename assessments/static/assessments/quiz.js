/* Quiz page: autosave every change (and keep it locally while offline), count down, submit at 0. */
(function () {
  "use strict";
  var form = document.querySelector("form.quiz-form");
  if (!form) return;
  var id = form.dataset.attempt, csrf = form.dataset.csrf;
  var status = form.querySelector("[data-save-status]");
  var storeKey = "attempt-" + id;
  var timer = null, dirty = false;

  function collect() {
    var answers = {};
    form.querySelectorAll("fieldset.question").forEach(function (fs) {
      var inputs = fs.querySelectorAll("input");
      if (!inputs.length) return;
      var qid = inputs[0].name.slice(2), type = inputs[0].type;
      if (type === "checkbox") {
        answers[qid] = Array.prototype.filter.call(inputs, function (i) { return i.checked; })
          .map(function (i) { return i.value; });
      } else if (type === "radio") {
        var picked = fs.querySelector("input:checked");
        answers[qid] = picked ? (picked.value === "true" ? true : picked.value === "false" ? false : picked.value) : null;
      } else {
        answers[qid] = inputs[0].value;
      }
    });
    return answers;
  }

  function save() {
    var answers = collect();
    try { localStorage.setItem(storeKey, JSON.stringify(answers)); } catch (e) { /* private mode */ }
    return fetch("/api/v1/attempts/" + id + "/answers", {
      method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({answers: answers})
    }).then(function (r) { return r.json().then(function (d) { return {ok: r.ok, d: d}; }); })
      .then(function (res) {
        if (res.ok) {
          dirty = false;
          status.textContent = "已保存 " + new Date().toLocaleTimeString("zh-CN") + "（已答 " + res.d.answered + "/" + res.d.total + "）";
        } else {
          status.textContent = res.d.message || "保存失败";
        }
      })
      .catch(function () {
        dirty = true;
        status.textContent = "网络不稳定：答案已暂存在本机，恢复后自动保存";
      });
  }

  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(save, 500); });
  form.addEventListener("input", function (e) {
    if (e.target.type === "text") { clearTimeout(timer); timer = setTimeout(save, 1200); }
  });
  window.addEventListener("online", function () { if (dirty) save(); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") save(); });

  var left = form.dataset.secondsLeft;
  if (left !== undefined) {
    var end = Date.now() + parseInt(left, 10) * 1000, countdown = form.querySelector("[data-countdown]");
    var tick = function () {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      countdown.textContent = "剩余 " + Math.floor(s / 60) + " 分 " + ("0" + (s % 60)).slice(-2) + " 秒";
      if (s === 0) { clearInterval(handle); form.submit(); }
    };
    var handle = setInterval(tick, 1000);
    tick();
  }
})();
