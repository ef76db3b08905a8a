// Unit tests of the lesson player's pure logic: `node --test tests/js/` (also run by `make test`).
import assert from "node:assert/strict";
import {test} from "node:test";

import {
  beatBody, clock, enqueue, hasUnsent, keepsClaim, newQueue, playedSeconds, progressView, readSeconds,
  resumeAt, resumeText, sessionId, settle, takeBeat,
} from "../../learning/static/learning/player_core.js";

test("playback counts media time, never more than the wall clock, and not seeks", () => {
  assert.equal(playedSeconds(0.25, 0.26), 0.25);
  assert.equal(playedSeconds(0.5, 0.25), 0.25, "2x speed earns wall time only");
  assert.equal(playedSeconds(42, 0.25), 0, "a jump forward is a seek");
  assert.equal(playedSeconds(-10, 0.25), 0, "a jump back is a seek");
  assert.equal(playedSeconds(3, 3), 0);
  assert.equal(playedSeconds(0, 1), 0);
});

test("reading time counts while visible, at most 5 s per tick", () => {
  assert.equal(readSeconds(1000, true), 1);
  assert.equal(readSeconds(60_000, true), 5, "a tab that slept does not claim the whole gap");
  assert.equal(readSeconds(1000, false), 0);
});

test("a beat takes everything queued, with a new sequence number and rounded values", () => {
  let q = enqueue(enqueue(newQueue(), 12.34), 0.5);
  assert.ok(hasUnsent(q));
  const taken = takeBeat(q, 61.26);
  assert.deepEqual(taken.beat, {seq: 1, watched: 12.8, position: 61.3});
  q = taken.queue;
  assert.equal(q.unsent, 0);
  assert.ok(!hasUnsent(q));
  assert.deepEqual(JSON.parse(beatBody("abcdefgh12", taken.beat)),
    {session: "abcdefgh12", seq: 1, watched: 12.8, position: 61.3});
});

test("queued seconds survive a failed send and go, in order, with the next beat", () => {
  let q = enqueue(newQueue(), 30);
  const first = takeBeat(q, 30);
  q = enqueue(first.queue, 10);  // still watching while the beat is in flight
  q = settle(q, first.beat, 0).queue;  // offline
  assert.equal(q.unsent, 40);
  const second = takeBeat(q, 40);
  assert.deepEqual(second.beat, {seq: 2, watched: 40, position: 40});
  q = settle(second.queue, second.beat, 200).queue;
  assert.equal(q.unsent, 0, "an accepted beat is not claimed again");
  const third = takeBeat(enqueue(q, 5), 45);
  assert.equal(third.beat.seq, 3, "sequence numbers only grow, so no beat is a replay");
});

test("which answers keep the claim for the next beat", () => {
  for (const status of [0, 429, 500, 502, 503]) assert.ok(keepsClaim(status), `keeps on ${status}`);
  for (const status of [200, 401, 403, 404, 409, 422]) assert.ok(!keepsClaim(status), `drops on ${status}`);
  const taken = takeBeat(enqueue(newQueue(), 20), 0);
  assert.equal(settle(taken.queue, taken.beat, 422).queue.unsent, 0, "an implausible claim is not retried");
  assert.equal(settle(taken.queue, taken.beat, 429).queue.unsent, 20, "a rate-limited one is");
});

test("a beat asked for while one is in flight is sent when it settles; a final one goes at once", () => {
  let q = enqueue(newQueue(), 30);
  const first = takeBeat(q, 30);
  q = enqueue(first.queue, 4);  // the trainee pauses 4 s later
  const waiting = takeBeat(q, 34);
  assert.equal(waiting.beat, null);
  q = waiting.queue;
  assert.equal(q.unsent, 4, "nothing taken while waiting");
  const final = takeBeat(q, 34, true);
  assert.deepEqual(final.beat, {seq: 2, watched: 4, position: 34});
  assert.equal(final.queue.inFlight, 2);

  const settled = settle(waiting.queue, first.beat, 200);
  assert.ok(settled.sendAgain);
  assert.deepEqual(takeBeat(settled.queue, 34).beat, {seq: 2, watched: 4, position: 34});
  const nothingLeft = settle(takeBeat(enqueue(newQueue(), 1), 0).queue, {watched: 1}, 200);
  assert.ok(!nothingLeft.sendAgain, "no follow-up beat without unsent seconds");
});

test("session ids fit the API (8 to 40 characters)", () => {
  for (const r of [0, 0.5, 0.123456789, 0.9999999999999999]) {
    const id = sessionId(r, 1_760_000_000_000);
    assert.ok(id.length >= 8 && id.length <= 40, id);
  }
  assert.notEqual(sessionId(0.1, 1), sessionId(0.2, 1));
});

test("the tracker's text follows the API's answer", () => {
  assert.deepEqual(progressView({percent: 100, completed: true}), {percent: 100, done: true, text: "已完成 ✓ 学时已记入学习台账"});
  assert.equal(progressView({percent: 100, completed: false}).text, "视频已学完，完成本页测验后即完成本课");
  assert.equal(progressView({percent: 42, completed: false}).text, "已学习 42%");
});

test("resume only inside the video and before completion", () => {
  assert.equal(resumeAt(75.5, 300, false), 75.5);
  assert.equal(resumeAt(0.5, 300, false), null, "at the very start");
  assert.equal(resumeAt(299, 300, false), null, "at the very end");
  assert.equal(resumeAt(75.5, 300, true), null, "completed lessons start over");
  assert.equal(resumeAt(75.5, NaN, false), null, "unknown length");
  assert.equal(clock(65.9), "1:05");
  assert.equal(resumeText(605), "已为你从 10:05 继续播放");
});
