/*
** desk-common.js: shared by the 运维服务台 pages: the tag of an SLA clock
** (计时 / 预警 / 超时 / 达标 / 挂起), labels from the server's dictionaries
** (desk.status, desk.level, desk.category, desk.action, desk.event,
** desk.clock — the web copies no name), and the report form of a fault.
*/
import { post, dict, qs } from './api.js';
import { h } from './ui.js';
import { formDialog } from './form.js';

/* {code: label} of a server dictionary. */
export async function names(name) {
  const m = {};
  for (const e of await dict(name)) m[e.code] = e.label;
  return m;
}

export async function options(name) {
  return (await dict(name)).map((e) => ({ value: e.code, label: e.label }));
}

/* The tag of one clock of a ticket's "sla" (null: the clock does not apply). */
export function clockTag(c) {
  if (!c) return h('span.muted', '—');
  const mins = `${c.elapsed_minutes}/${c.target_minutes} 分钟`;
  if (c.breached) return h('span.tag.red', { title: `超时于 ${c.breached_at}` }, `超时 ${mins}`);
  if (c.met === true) return h('span.tag.green', `达标 ${mins}`);
  if (c.paused) return h('span.tag.gray', `挂起 ${mins}`);
  if (c.warning) return h('span.tag.yellow', `预警 ${mins}`);
  if (!c.started) return h('span.muted', '未开始');
  return h('span.tag', `计时 ${mins}`);
}

export function clockText(c) {
  if (!c) return '';
  if (c.breached) return '超时';
  if (c.met === true) return '达标';
  return c.warning ? '预警' : '计时';
}

/* 报障: the form every account has; ops also enter a phone report (caller, time). */
export async function reportFault(isOps) {
  const fields = [
    { name: 'level', label: '故障级别', type: 'select', required: true, options: () => options('desk.level') },
    { name: 'category', label: '故障分类', type: 'select', required: true, options: () => options('desk.category') },
    { name: 'title', label: '标题', required: true, maxlength: 200, span2: true },
    { name: 'description', label: '故障描述', type: 'textarea', span2: true },
    { name: 'affected', label: '影响范围（用户/对象）', span2: true },
  ];
  if (isOps) fields.push(
    { name: 'caller', label: '来电人（电话报障）', hint: '代录电话、微信报障时填写' },
    { name: 'reported_at', label: '报障时间', type: 'datetime-local', hint: '电话报障时间，默认为现在' });
  return formDialog({
    title: '报障', fields, grid: true, wide: true, values: { level: '3' },
    submit: (v) => post('/api/desk/tickets', { kind: 'fault', ...v, level: Number(v.level) }),
  });
}

export function ticketsUrl(p) {
  return `/api/desk/tickets${qs(p)}`;
}
