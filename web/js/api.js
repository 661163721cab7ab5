/*
** api.js: every request the web application makes goes through here.
** Same-origin cookies, JSON bodies with Content-Type: application/json on
** every write (the server answers 415 otherwise), and one error type,
** ApiError {status, code, field, message, detail}, built from the server's
** {"error":{"code","field","message"}} body. Three answers are handled for
** the whole application: 401 (session gone), 403 with field "password"
** (password change required) and 403 with field "otp" (an administrator
** must enrol a one-time-code app first); the app installs handlers for them.
** A route the server does not know (404 "no such endpoint") becomes code
** "not_built": the page shows 功能建设中 instead of data.
*/

export class ApiError extends Error {
  constructor(status, code, field, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || '';
    this.field = field || '';
  }
}

const handlers = { unauthorized: null, mustChange: null, mustEnroll: null, activity: null };
let lastRequestAt = Date.now();

/* Installed by app.js: fn(err) for 401, 403 field=password and 403 field=otp. */
export function onUnauthorized(fn) { handlers.unauthorized = fn; }
export function onMustChange(fn) { handlers.mustChange = fn; }
export function onMustEnroll(fn) { handlers.mustEnroll = fn; }
export function lastRequest() { return lastRequestAt; }

/* Chinese part of a bilingual server message: "中文 (english)" -> "中文". */
export function zh(msg) {
  if (!msg) return '';
  const m = String(msg).replace(/\s*\([\x20-\x7e]*\)\s*$/, '');
  return m || String(msg);
}

async function errorOf(res) {
  let body = null;
  try { body = await res.json(); } catch (_) { /* not JSON */ }
  const e = body && body.error ? body.error : {};
  let code = e.code || '';
  if (res.status === 404 && e.message === 'no such endpoint') code = 'not_built';
  const fallback = {
    400: '请求有误', 401: '请先登录', 403: '无权访问', 404: '记录不存在', 409: '操作与当前状态冲突',
    413: '请求内容过大', 415: '请求格式错误', 423: '账号已锁定', 500: '服务器内部错误',
  }[res.status] || `请求失败 (HTTP ${res.status})`;
  const err = new ApiError(res.status, code, e.field, zh(e.message) || fallback);
  err.detail = e;   /* the whole error object: extra fields some answers carry */
  return err;
}

/*
** request(method, path, body?, opts?) -> parsed JSON (null for 204).
** opts.quiet401: do not hand a 401 to the global handler (login form).
** opts.raw: return the Response (downloads).
*/
export async function request(method, path, body, opts = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (method !== 'GET' && method !== 'HEAD') {
    /* every write, DELETE included, is JSON (the server answers 415 otherwise) */
    init.headers['Content-Type'] = 'application/json';
    if (method !== 'DELETE' || (body !== undefined && body !== null)) init.body = JSON.stringify(body === undefined ? {} : body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', '', '无法连接服务器，请检查网络');
  }
  lastRequestAt = Date.now();
  if (res.ok) {
    if (opts.raw) return res;
    if (res.status === 204) return null;
    const ct = res.headers.get('Content-Type') || '';
    return ct.includes('json') ? res.json() : res.text();
  }
  const err = await errorOf(res);
  if (res.status === 401 && !opts.quiet401 && handlers.unauthorized) handlers.unauthorized(err);
  if (res.status === 403 && err.field === 'password' && handlers.mustChange) handlers.mustChange(err);
  if (res.status === 403 && err.field === 'otp' && handlers.mustEnroll) handlers.mustEnroll(err);
  throw err;
}

export const get = (path, opts) => request('GET', path, undefined, opts);
export const post = (path, body, opts) => request('POST', path, body, opts);
export const patch = (path, body, opts) => request('PATCH', path, body, opts);
export const put = (path, body, opts) => request('PUT', path, body, opts);
export const del = (path, opts) => request('DELETE', path, undefined, opts);

/* Query string from an object, skipping empty values. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {}))
    if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? `?${s}` : '';
}

function filenameOf(res, fallback) {
  const cd = res.headers.get('Content-Disposition') || '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : fallback;
}

/* Save a blob under a file name through a temporary link. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/* GET a file (report, export) and save it; returns the file name. */
/* POST a file itself as the body (the server types it by content, never by
   name); the created record, or an ApiError with the server's message. */
export async function upload(path, file) {
  let res;
  try {
    res = await fetch(path, { method: 'POST', credentials: 'same-origin', body: file,
      headers: { 'Content-Type': file.type || 'application/octet-stream', Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(0, 'network', '', '无法连接服务器，请检查网络');
  }
  lastRequestAt = Date.now();
  if (res.ok) return res.json();
  throw await errorOf(res);
}

export async function download(path, fallbackName) {
  const res = await request('GET', path, undefined, { raw: true });
  const name = filenameOf(res, fallbackName);
  saveBlob(await res.blob(), name);
  return name;
}

/* Does the server have this endpoint yet? false only for "no such endpoint". */
export async function exists(path) {
  try {
    await get(path);
    return true;
  } catch (e) {
    if (e.code === 'not_built') return false;
    return true;
  }
}

/* Names defined by the server (GET /api/dict), fetched once per page load.
   dict('desk.ticket_status') → [{code, label}, …]; label(name, code) → the
   label, or the code itself when the server has none. */
let dictPromise = null;
let loaded = null;
const live = {};
function fill(name) {
  for (const e of (loaded && loaded[name]) || []) live[name][e.code] = e.label;
}
export function dicts() {
  if (!dictPromise) {
    dictPromise = get('/api/dict').then((all) => {
      loaded = all;
      Object.keys(live).forEach(fill);
      return all;
    }).catch((e) => { dictPromise = null; throw e; });
  }
  return dictPromise;
}
/* names('approval.stage') → a {code: label} object, filled when dicts()
   resolves (app.js waits for it before rendering a page), so formatting
   code may read it synchronously. */
export function names(name) {
  if (!live[name]) { live[name] = {}; fill(name); }
  return live[name];
}
/* [{value, label}] for a select, in the dictionary's order. */
export function nameOptions(name) {
  return ((loaded && loaded[name]) || []).map((e) => ({ value: e.code, label: e.label }));
}
export async function dict(name) {
  return (await dicts())[name] || [];
}
export async function label(name, code) {
  const e = (await dict(name)).find((x) => x.code === String(code));
  return e ? e.label : String(code ?? '');
}
