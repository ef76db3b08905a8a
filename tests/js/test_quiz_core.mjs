// Unit tests of the quiz page's pure logic: `node --test tests/js/` (also run by `make test`).
import assert from "node:assert/strict";
import {test} from "node:test";

import {
  answerOf, answersToRestore, clearStored, collectAnswers, countdownText, fits, inputStates, isAnswered,
  markSaved, readStored, saveDelay, secondsLeft, storeKey, writeStored,
} from "../../assessments/static/assessments/quiz_core.js";

// localStorage's interface over a Map; `broken` throws like a browser with storage disabled.
function memoryStorage({broken = false} = {}) {
  const map = new Map();
  const check = () => { if (broken) throw new Error("SecurityError"); };
  return {
    map,
    getItem: (k) => (check(), map.has(k) ? map.get(k) : null),
    setItem: (k, v) => (check(), map.set(k, String(v)), undefined),
    removeItem: (k) => (check(), map.delete(k), undefined),
  };
}

const opts = (type, values, checked = []) => values.map((value) => ({value, checked: checked.includes(value)}));
const single = (id, checked) => ({id, type: "radio", inputs: opts("radio", ["A", "B", "C"], checked ? [checked] : [])});
const multiple = (id, checked = []) => ({id, type: "checkbox", inputs: opts("checkbox", ["A", "B", "C", "D"], checked)});
const truefalse = (id, checked) => ({id, type: "radio", inputs: opts("radio", ["true", "false"], checked ? [checked] : [])});
const fill = (id, value = "") => ({id, type: "text", inputs: [{value, checked: false}]});

test("answers are collected as the API takes them", () => {
  const page = [single("1", "B"), multiple("2", ["A", "C"]), truefalse("3", "false"), fill("4", "报到"),
    single("5"), multiple("6"), {id: "", type: "", inputs: []}];
  assert.deepEqual(collectAnswers(page), {1: "B", 2: ["A", "C"], 3: false, 4: "报到", 5: null, 6: []});
  assert.equal(answerOf(truefalse("7", "true")), true);
});

test("what counts as answered matches the server's count", () => {
  assert.ok(isAnswered(false), "错 is an answer");
  assert.ok(isAnswered("A") && isAnswered(["A"]));
  for (const empty of [null, undefined, "", []]) assert.ok(!isAnswered(empty));
});

test("autosave waits 0.5 s after a change, 1.2 s after typing", () => {
  assert.equal(saveDelay("change", "radio"), 500);
  assert.equal(saveDelay("change", "text"), 500);
  assert.equal(saveDelay("input", "text"), 1200);
  assert.equal(saveDelay("input", "checkbox"), null);
  assert.equal(saveDelay("focus", "text"), null);
});

test("answers are stored per attempt and read back", () => {
  const storage = memoryStorage();
  writeStored(storage, 7, {1: "A"});
  assert.ok(storage.map.has(storeKey(7)));
  assert.deepEqual(readStored(storage, 7), {answers: {1: "A"}, pending: true});
  assert.equal(readStored(storage, 8), null, "another attempt has nothing stored");
});

test("stored answers of another attempt are ignored, even under this attempt's key", () => {
  const storage = memoryStorage();
  storage.setItem(storeKey(7), JSON.stringify({attempt: "8", answers: {1: "A"}, pending: true}));
  assert.equal(readStored(storage, 7), null);
  assert.deepEqual(answersToRestore([single("1")], readStored(storage, 7)), {});
});

test("unreadable or old-format copies and broken storage read as nothing", () => {
  const storage = memoryStorage();
  storage.setItem(storeKey(7), "{not json");
  assert.equal(readStored(storage, 7), null);
  storage.setItem(storeKey(7), JSON.stringify({1: "A"}));  // what the first quiz.js wrote
  assert.equal(readStored(storage, 7), null);
  const broken = memoryStorage({broken: true});
  assert.doesNotThrow(() => writeStored(broken, 7, {1: "A"}));
  assert.equal(readStored(broken, 7), null);
  assert.doesNotThrow(() => clearStored(broken, 7));
});

test("a confirmed save clears the pending flag, unless the answers changed meanwhile", () => {
  const storage = memoryStorage();
  writeStored(storage, 7, {1: "A"});
  markSaved(storage, 7, {1: "A"});
  assert.equal(readStored(storage, 7).pending, false);
  writeStored(storage, 7, {1: "B"});  // a later change, whose save is still on its way
  markSaved(storage, 7, {1: "A"});  // the answer to the earlier save
  assert.deepEqual(readStored(storage, 7), {answers: {1: "B"}, pending: true});
});

test("a restored answer fills only an empty question", () => {
  const record = {answers: {1: "C", 2: ["B"], 3: true, 4: "报到"}, pending: false};
  const page = [single("1", "A"), multiple("2"), truefalse("3"), fill("4", "已填")];
  assert.deepEqual(answersToRestore(page, record), {2: ["B"], 3: true});
});

test("a pending copy is newer than the page: it also replaces answered questions", () => {
  const record = {answers: {1: "C", 2: [], 4: "报到"}, pending: true};
  const page = [single("1", "A"), multiple("2", ["A"]), fill("4", "报到")];
  assert.deepEqual(answersToRestore(page, record), {1: "C"}, "an empty stored answer never clears one");
});

test("impossible stored answers and questions not on the page are left alone", () => {
  const record = {answers: {1: "Z", 2: ["A", "X"], 3: "maybe", 4: 42, 9: "A", 5: "x".repeat(201)}, pending: true};
  const page = [single("1"), multiple("2"), truefalse("3"), fill("4"), fill("5")];
  assert.deepEqual(answersToRestore(page, record), {});
  assert.deepEqual(answersToRestore(page, null), {});
  assert.ok(fits(truefalse("3"), false) && fits(multiple("2"), []) && !fits(multiple("2"), "A"));
});

test("restoring sets exactly the inputs of the answer", () => {
  assert.deepEqual(inputStates(multiple("2"), ["B", "D"]).map((i) => i.checked), [false, true, false, true]);
  assert.deepEqual(inputStates(truefalse("3", "true"), false).map((i) => i.checked), [false, true]);
  assert.deepEqual(inputStates(single("1", "A"), "C").map((i) => i.checked), [false, false, true]);
  assert.deepEqual(inputStates(fill("4"), "报到"), [{value: "报到"}]);
});

test("the stored copy is cleared after the submission", () => {
  const storage = memoryStorage();
  writeStored(storage, 7, {1: "A"});
  writeStored(storage, 8, {1: "B"});
  clearStored(storage, 7);
  assert.equal(readStored(storage, 7), null);
  assert.deepEqual(readStored(storage, 8).answers, {1: "B"}, "other attempts keep theirs");
});

test("the countdown", () => {
  assert.equal(secondsLeft(10_400, 0), 10);
  assert.equal(secondsLeft(0, 5000), 0);
  assert.equal(countdownText(605), "剩余 10 分 05 秒");
  assert.equal(countdownText(0), "剩余 0 分 00 秒");
});
