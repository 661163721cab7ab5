/*
** ui.js: small DOM helpers shared by every page: an element builder h(),
** toasts, dialogs, confirmation, formatting of instants and dates in
** Asia/Shanghai (UTC+8, no DST), role and status names, and the
** "功能建设中" notice for pages whose API has not landed yet.
*/
import { names } from './api.js';

/* h('div.card#id', {attrs, on:{click}}, ...children) -> element. */
export function h(sel, attrs, ...children) {
  const m = /^([a-z0-9-]+)?((?:[.#][\w-]+)*)$/i.exec(sel) || [];
  const el = document.createElement(m[1] || 'div');
  for (const part of (m[2] || '').match(/[.#][\w-]+/g) || []) {
    if (part[0] === '.') el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'class') el.className += (el.className ? ' ' : '') + v;
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

/* ---- toasts and dialogs --------------------------------------------------- */

export function toast(msg, kind = 'info', ms = 3000) {
  let box = document.querySelector('.toasts');
  if (!box) document.body.appendChild(box = h('div.toasts'));
  const t = h(`div.toast.${kind}`, { role: 'status' }, msg);
  box.appendChild(t);
  setTimeout(() => t.remove(), ms);
}

/*
** dialog({title, body, wide, buttons:[{label, kind, onClick(close) -> false keeps open}], onClose})
** -> {close, el, body, foot}.
*/
export function dialog({ title, body, wide, buttons, onClose, closable = true }) {
  const root = document.getElementById('overlay-root') || document.body;
  const bodyEl = h('div.dialog-body', body);
  const foot = h('div.dialog-foot');
  const box = h(`div.dialog${wide ? '.wide' : ''}`, { role: 'dialog', 'aria-modal': 'true', 'aria-label': title },
    h('div.dialog-head', h('span', title),
      closable ? h('button.x', { type: 'button', title: '关闭', 'aria-label': '关闭', on: { click: () => close() } }, '×') : null),
    bodyEl, foot);
  const mask = h('div.mask', box);
  let closed = false;
  function close() {
    if (closed) return;
    closed = true;
    mask.remove();
    document.removeEventListener('keydown', onKey);
    if (onClose) onClose();
  }
  function onKey(ev) { if (ev.key === 'Escape' && closable) close(); }
  document.addEventListener('keydown', onKey);
  for (const b of buttons || []) {
    const btn = h(`button.btn${b.kind ? '.btn-' + b.kind : ''}`, { type: 'button' }, b.label);
    btn.addEventListener('click', async () => {
      if (!b.onClick) return close();
      btn.disabled = true;
      try {
        if ((await b.onClick(close)) !== false) close();
      } finally {
        btn.disabled = false;
      }
    });
    foot.appendChild(btn);
  }
  root.appendChild(mask);
  const first = box.querySelector('input:not([type=hidden]), select, textarea');
  if (first) first.focus();
  return { close, el: box, body: bodyEl, foot };
}

export function confirmBox(message, { title = '确认', ok = '确定', kind = 'primary' } = {}) {
  return new Promise((resolve) => {
    let answered = false;
    dialog({
      title, body: h('p', message),
      buttons: [
        { label: '取消' },
        { label: ok, kind, onClick: () => { answered = true; resolve(true); } },
      ],
      onClose: () => { if (!answered) resolve(false); },
    });
  });
}

/* ---- formatting (Asia/Shanghai) ------------------------------------------------ */

const pad = (n) => String(n).padStart(2, '0');

/* epoch seconds -> "YYYY-MM-DD HH:MM:SS" in Asia/Shanghai. */
export function fmtTime(sec) {
  if (sec === null || sec === undefined || sec === '') return '';
  if (typeof sec === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(sec)) {
    /* ISO 8601 from the server; shown in Asia/Shanghai */
    const t = Date.parse(sec);
    return Number.isNaN(t) ? sec : fmtTime(Math.floor(t / 1000));
  }
  if (Number(sec) <= 0) return '';
  const d = new Date((Number(sec) + 8 * 3600) * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/* epoch seconds or date string -> "YYYY-MM-DD". */
export function fmtDate(v) {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
  return fmtTime(v).slice(0, 10);
}

/* Today in Asia/Shanghai, "YYYY-MM-DD" (offsetDays may be negative). */
export function today(offsetDays = 0) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + offsetDays * 86400000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function fmtNum(n, digits = 0) {
  if (n === null || n === undefined || n === '' || Number.isNaN(Number(n))) return '-';
  return Number(n).toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtPct(x, digits = 1) {
  if (x === null || x === undefined || x === '' || Number.isNaN(Number(x))) return '-';
  const v = Number(x);
  return `${(v <= 1 ? v * 100 : v).toFixed(digits)}%`;
}

export function fmtBytes(n) {
  if (n === null || n === undefined) return '-';
  const u = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0, v = Number(n);
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(i ? 1 : 0)} ${u[i]}`;
}

/* ---- vocabulary ---------------------------------------------------------------- */

/* {code: name} of the roles, from GET /api/dict (org.role): filled once the
   dictionaries are loaded, which app.js does before it draws the layout. */
export const ROLE_NAMES = names('org.role');
export const BUSINESS_ROLES = ['clerk', 'reviewer', 'head', 'leader', 'ops', 'catalog', 'repair_approve'];
export const ADMIN_ROLES = ['sysadmin', 'secadmin', 'auditor'];

export const LIGHTS = names('approval.light');   /* GET /api/dict */

export function lightTag(light, onTime) {
  if (light && LIGHTS[light]) return h(`span.tag.${light}`, h(`i.light.${light}`), LIGHTS[light]);
  if (onTime === true) return h('span.tag.green', '按时办结');
  if (onTime === false) return h('span.tag.red', '逾期办结');
  return h('span.muted', '-');
}

export function roleTags(roles) {
  return (roles || []).map((r) => h('span.tag', ROLE_NAMES[r] || r));
}

/* ---- notices --------------------------------------------------------------------- */

/* The notice a page shows while its API has not been built yet. */
export function buildingNotice(what) {
  return h('div.card.building',
    h('div.notice', h('div.big', '功能建设中'),
      h('div', `${what || '本功能'}的后台接口尚未上线，上线后此页面将自动显示真实数据。`)));
}

export function errorNotice(err) {
  if (err && err.code === 'not_built') return buildingNotice();
  return h('div.alert.alert-error', { role: 'alert' }, (err && err.message) || '加载失败');
}

export function emptyNotice(text = '暂无数据') {
  return h('div.notice', text);
}
