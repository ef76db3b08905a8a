/* Pure logic of the lesson player: which watching time is plausible, and the queue of unsent seconds
   behind each heartbeat. No DOM and no globals: time, randomness and positions come in as arguments,
   so this module loads in Node for the unit tests (tests/js/test_player_core.mjs). player.js wires it
   to the page.

   The server (learning.plausibility) credits a beat at most the wall time since the previous accepted
   beat plus a few seconds, and refuses a sequence number it has seen. So seconds that failed to reach
   it are not resent as separate beats (a burst would be refused as faster than the clock): they stay
   queued and are merged into the next beat, which always carries a new, higher sequence number. */

export const MAX_MEDIA_STEP = 3;  // a media jump this big (or backwards) is a seek, not playback
export const MAX_READ_STEP = 5;   // text lessons: at most this many seconds per tick (a sleeping tab)

export function round1(x) {
  return Math.round(x * 10) / 10;
}

/* Seconds of real playback between two timeupdate events: not seeks, never faster than the wall
   clock (a 2x playback rate earns nothing extra). */
export function playedSeconds(mediaDelta, wallDelta) {
  if (!(mediaDelta > 0 && mediaDelta < MAX_MEDIA_STEP)) return 0;
  return Math.max(0, Math.min(mediaDelta, wallDelta));
}

/* Reading time of a text lesson for one tick of `elapsedMs`: counts only while the page is visible. */
export function readSeconds(elapsedMs, visible) {
  return visible ? Math.max(0, Math.min(elapsedMs / 1000, MAX_READ_STEP)) : 0;
}

/* A random player-session id (the API wants 8 to 40 characters): `random` in [0, 1), `nowMs` epoch ms. */
export function sessionId(random, nowMs) {
  return (random.toString(36).slice(2) + nowMs.toString(36)).padEnd(8, "0").slice(0, 40);
}

/* The beat queue: `unsent` seconds waiting for a beat, the last sequence number used, how many beats
   are in flight and whether a beat was asked for while one was (`again`). Never mutated. */
export function newQueue() {
  return {seq: 0, unsent: 0, inFlight: 0, again: false};
}

export function enqueue(queue, seconds) {
  return seconds > 0 ? {...queue, unsent: queue.unsent + seconds} : queue;
}

export function hasUnsent(queue) {
  return queue.unsent > 0;
}

/* Take everything queued into the next beat. A regular beat waits while another is in flight (it is
   sent when that one settles); a final one (page hidden or closed) goes at once. Returns the new queue
   and the beat to send, or null. */
export function takeBeat(queue, position, final = false) {
  if (queue.inFlight > 0 && !final) return {queue: {...queue, again: true}, beat: null};
  const beat = {seq: queue.seq + 1, watched: round1(queue.unsent), position: round1(position || 0)};
  return {queue: {seq: beat.seq, unsent: 0, inFlight: queue.inFlight + 1, again: false}, beat};
}

/* Whether the seconds of a beat that got HTTP `status` (0: no answer, or not JSON) should be claimed
   again with the next beat: nothing was recorded (offline, rate limited, server error). A refusal on
   the merits (409 replayed, 422 implausible) or an auth error drops them. */
export function keepsClaim(status) {
  return status === 0 || status === 429 || status >= 500;
}

/* A beat came back with `status`: put its seconds back in the queue when they were not recorded.
   `sendAgain` is true when a beat asked for meanwhile should be sent now. */
export function settle(queue, beat, status) {
  const unsent = keepsClaim(status) ? queue.unsent + beat.watched : queue.unsent;
  const inFlight = Math.max(0, queue.inFlight - 1);
  const sendAgain = queue.again && inFlight === 0 && unsent > 0;
  return {queue: {...queue, unsent, inFlight, again: queue.again && !sendAgain}, sendAgain};
}

/* The request body of a beat, as learning.api_views.HeartbeatIn expects it. */
export function beatBody(session, beat) {
  return JSON.stringify({session, seq: beat.seq, watched: beat.watched, position: beat.position});
}

/* What the tracker shows for a ProgressOut answer of the API. */
export function progressView(result) {
  if (result.completed) return {percent: result.percent, done: true, text: "已完成 ✓ 学时已记入学习台账"};
  if (result.percent >= 100) return {percent: result.percent, done: false, text: "视频已学完，完成本页测验后即完成本课"};
  return {percent: result.percent, done: false, text: "已学习 " + result.percent + "%"};
}

/* Where to resume a video of `duration` seconds, or null: not at the very start or end, nor once done. */
export function resumeAt(resume, duration, completed) {
  return resume > 1 && resume < duration - 2 && !completed ? resume : null;
}

export function clock(seconds) {
  return Math.floor(seconds / 60) + ":" + ("0" + Math.floor(seconds % 60)).slice(-2);
}

export function resumeText(seconds) {
  return "已为你从 " + clock(seconds) + " 继续播放";
}
