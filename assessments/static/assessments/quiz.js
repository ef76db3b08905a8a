/* Quiz page: autosave every change (and keep it locally while offline), count down, submit at 0.
   After a reload the locally kept answers the server does not have yet are put back and saved; the
   graded page of the attempt forgets them. The rules live in quiz_core.js (pure, unit-tested); the
   save URL and CSRF token come from the form's data attributes. */
import {
  answersToRestore, clearStored, collectAnswers, countdownText, inputStates, markSaved, readStored,
  saveDelay, secondsLeft, writeStored,
} from "./quiz_core.js";

function storage() {
  try { return window.localStorage; } catch (e) { return null; }  // blocked storage throws on access
}

const result = document.querySelector("[data-quiz-result][data-attempt]");
const form = document.querySelector("form.quiz-form");
if (result && storage()) clearStored(storage(), result.dataset.attempt);  // submitted and graded
if (form) run(form);

function run(form) {
  const id = form.dataset.attempt, csrf = form.dataset.csrf, url = form.dataset.saveUrl;
  const status = form.querySelector("[data-save-status]");
  const store = storage() || {getItem: () => null, setItem() {}, removeItem() {}};
  let timer = null, dirty = false, inFlight = false, again = false;

  function questions() {
    return Array.from(form.querySelectorAll("fieldset.question"), function (fs) {
      const inputs = Array.from(fs.querySelectorAll("input"));
      return {
        id: inputs.length ? inputs[0].name.slice(2) : "", type: inputs.length ? inputs[0].type : "",
        inputs: inputs.map(function (i) { return {value: i.value, checked: i.checked}; }), elements: inputs,
      };
    });
  }

  // One save at a time: two in flight could land out of order (older answers over newer ones); a save
  // asked for meanwhile goes when the one in flight settles, with the answers as they are then.
  function save() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    const answers = collectAnswers(questions());
    writeStored(store, id, answers);
    fetch(url, {
      method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({answers: answers})
    }).then(function (r) { return r.json().then(function (d) { return {ok: r.ok, d: d}; }); })
      .then(function (res) {
        if (res.ok) {
          dirty = false;
          markSaved(store, id, answers);
          status.textContent = "已保存 " + new Date().toLocaleTimeString("zh-CN") + "（已答 " + res.d.answered + "/" + res.d.total + "）";
        } else {
          status.textContent = res.d.message || "保存失败";
        }
      })
      .catch(function () {
        dirty = true;
        status.textContent = "网络不稳定：答案已暂存在本机，恢复后自动保存";
      })
      .then(function () {
        inFlight = false;
        if (again) { again = false; save(); }
      });
  }

  function later(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  // Put back what this browser kept and the server did not render, then let the autosave send it.
  const restore = answersToRestore(questions(), readStored(store, id));
  questions().forEach(function (q) {
    if (!Object.prototype.hasOwnProperty.call(restore, q.id)) return;
    inputStates(q, restore[q.id]).forEach(function (state, n) {
      if (q.type === "text") q.elements[n].value = state.value;
      else q.elements[n].checked = state.checked;
    });
  });
  if (Object.keys(restore).length) later(saveDelay("change"));

  form.addEventListener("change", function () { later(saveDelay("change")); });
  form.addEventListener("input", function (e) {
    const delay = saveDelay("input", e.target.type);
    if (delay !== null) later(delay);
  });
  window.addEventListener("online", function () { if (dirty) save(); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") save(); });

  const left = form.dataset.secondsLeft;
  if (left !== undefined) {
    const end = Date.now() + parseInt(left, 10) * 1000, countdown = form.querySelector("[data-countdown]");
    let handle = null;
    const tick = function () {
      const s = secondsLeft(end, Date.now());
      countdown.textContent = countdownText(s);
      if (s === 0) {  // time is up: submit as it stands, without asking about unanswered questions
        clearInterval(handle);
        form.querySelector("[data-time-up]").value = "1";
        form.submit();
      }
    };
    handle = setInterval(tick, 1000);
    tick();
  }
}
