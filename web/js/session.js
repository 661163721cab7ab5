/*
** session.js: who is logged in (the /api/me answer) and the idle timer.
** The server drops a session after idle_minutes without a request; the
** client watches the user's own activity (keys, clicks, wheel, touch) and
**  - keeps the server session alive with GET /api/me while the user works
**    but makes no requests (typing a long form),
**  - warns 60 s (at most half the idle time) before the end, with a button
**    to stay logged in,
**  - at the end logs out (DELETE /api/session) and shows the login page.
** Time is read with Date.now() on a 1 s tick so a faked clock drives it.
*/
import { get, lastRequest } from './api.js';

export const me = { user: null };

export function hasRole(...roles) {
  const mine = (me.user && me.user.roles) || [];
  return roles.some((r) => mine.includes(r));
}

let timer = null;
let lastActivity = 0;
let warned = false;
const ACTIVITY = ['mousedown', 'keydown', 'wheel', 'touchstart'];

function onActivity() {
  lastActivity = Date.now();
}

/* startIdle(minutes, {onWarn(secondsLeft), onTick(secondsLeft), onResume(), onExpire()}) */
export function startIdle(minutes, cb) {
  stopIdle();
  const total = Math.max(1, Number(minutes) || 30) * 60 * 1000;
  const warnAt = Math.min(60 * 1000, total / 2);
  const heartbeat = Math.max(30 * 1000, total / 3);
  lastActivity = Date.now();
  warned = false;
  for (const ev of ACTIVITY) document.addEventListener(ev, onActivity, { capture: true, passive: true });
  timer = setInterval(() => {
    const now = Date.now();
    const idle = now - lastActivity;
    const left = total - idle;
    if (left <= 0) {
      stopIdle();
      cb.onExpire();
      return;
    }
    if (left <= warnAt) {
      if (!warned) { warned = true; cb.onWarn(Math.ceil(left / 1000)); }
      else if (cb.onTick) cb.onTick(Math.ceil(left / 1000));
      return;
    }
    if (warned) { warned = false; if (cb.onResume) cb.onResume(); }
    /* The user is working but the page has not talked to the server: keep the session. */
    if (now - lastRequest() > heartbeat && lastActivity > lastRequest()) get('/api/me').catch(() => {});
  }, 1000);
}

/* The user chose to stay: count activity from now and refresh the server session. */
export function touchIdle() {
  lastActivity = Date.now();
  warned = false;
  return get('/api/me');
}

export function stopIdle() {
  if (timer) clearInterval(timer);
  timer = null;
  for (const ev of ACTIVITY) document.removeEventListener(ev, onActivity, { capture: true });
}
