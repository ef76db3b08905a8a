/* Pure logic of the quiz page: answers from plain question objects, when to autosave, and the copy of
   the answers kept in a storage-like object (localStorage in the page, a Map-backed stub in the unit
   tests: tests/js/test_quiz_core.mjs) until the server has them. No DOM and no globals here.

   A question is {id, type: "radio" | "checkbox" | "text", inputs: [{value, checked}]}, as quiz.js reads
   it from a fieldset. The stored copy of attempt N is {attempt: "N", answers, pending} under the key
   "attempt-N"; `pending` is true from the moment it is written until the server confirms that save. */

export const STORE_PREFIX = "attempt-";
export const SAVE_DELAY_MS = {change: 500, text: 1200};

export function storeKey(attemptId) {
  return STORE_PREFIX + attemptId;
}

/* One answer as the API takes it: the ticked values (checkbox), the picked value or null (radio;
   true / false for 对 / 错), the typed text. */
export function answerOf(question) {
  const inputs = question.inputs;
  if (question.type === "checkbox") return inputs.filter((i) => i.checked).map((i) => i.value);
  if (question.type === "radio") {
    const picked = inputs.find((i) => i.checked);
    if (!picked) return null;
    return picked.value === "true" ? true : picked.value === "false" ? false : picked.value;
  }
  return inputs.length ? inputs[0].value : "";
}

export function collectAnswers(questions) {
  const answers = {};
  for (const q of questions) if (q.inputs.length) answers[q.id] = answerOf(q);
  return answers;
}

/* As the server counts "已答": false (错) is an answer, null, "" and [] are not. */
export function isAnswered(value) {
  return !(value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length));
}

/* Milliseconds to wait before autosaving after a DOM event, or null when it does not call for a save:
   any change soon, typing in a text answer once the trainee pauses. */
export function saveDelay(eventType, targetType) {
  if (eventType === "change") return SAVE_DELAY_MS.change;
  if (eventType === "input" && targetType === "text") return SAVE_DELAY_MS.text;
  return null;
}

/* Whether `value` is a possible answer to `question` (a stored copy may be stale or tampered with). */
export function fits(question, value) {
  const values = question.inputs.map((i) => i.value);
  if (question.type === "checkbox") return Array.isArray(value) && value.every((v) => values.includes(v));
  if (question.type === "radio") return (typeof value === "string" || typeof value === "boolean") && values.includes(String(value));
  return typeof value === "string" && value.length <= 200;
}

// Storage may throw (private mode, quota, disabled): the local copy is best effort.
export function writeStored(storage, attemptId, answers, pending = true) {
  try {
    storage.setItem(storeKey(attemptId), JSON.stringify({attempt: String(attemptId), answers, pending}));
  } catch (e) { /* no local copy */ }
}

/* The stored copy of this attempt's answers, or null (none, unreadable, or another attempt's). */
export function readStored(storage, attemptId) {
  try {
    const record = JSON.parse(storage.getItem(storeKey(attemptId)));
    if (!record || record.attempt !== String(attemptId) || typeof record.answers !== "object" || !record.answers) return null;
    return {answers: record.answers, pending: record.pending === true};
  } catch (e) {
    return null;
  }
}

/* The server saved `sent`: the local copy is no longer ahead of it, unless answers changed meanwhile. */
export function markSaved(storage, attemptId, sent) {
  const record = readStored(storage, attemptId);
  if (record && record.pending && JSON.stringify(record.answers) === JSON.stringify(sent)) {
    writeStored(storage, attemptId, sent, false);
  }
}

export function clearStored(storage, attemptId) {
  try { storage.removeItem(storeKey(attemptId)); } catch (e) { /* nothing to clear */ }
}

/* The answers to put back into the page after a reload: {questionId: value}. A stored answer fills a
   question the page left unanswered; it also replaces the page's answer when the stored copy is
   pending, i.e. its last save never reached the server, so it is newer than what the server rendered.
   Empty or impossible stored answers, and questions not on the page, are left alone. */
export function answersToRestore(questions, record) {
  const restore = {};
  if (!record) return restore;
  for (const q of questions) {
    if (!q.inputs.length || !Object.prototype.hasOwnProperty.call(record.answers, q.id)) continue;
    const stored = record.answers[q.id], current = answerOf(q);
    if (!isAnswered(stored) || !fits(q, stored)) continue;
    if (isAnswered(current) && !record.pending) continue;
    if (JSON.stringify(current) !== JSON.stringify(stored)) restore[q.id] = stored;
  }
  return restore;
}

/* Which inputs of `question` to check (radio, checkbox) or the text to fill, for answer `value`. */
export function inputStates(question, value) {
  if (question.type === "text") return [{value}];
  const picked = question.type === "checkbox" ? value.map(String) : [String(value)];
  return question.inputs.map((i) => ({value: i.value, checked: picked.includes(i.value)}));
}

export function secondsLeft(endMs, nowMs) {
  return Math.max(0, Math.round((endMs - nowMs) / 1000));
}

export function countdownText(s) {
  return "剩余 " + Math.floor(s / 60) + " 分 " + ("0" + (s % 60)).slice(-2) + " 秒";
}
