/*
** audit.js: 审计日志, for the auditor alone (三员分立). Filters by account,
** action (a picker grouped by area; a group selects every action in it),
** object ("case:12"), outcome and Asia/Shanghai dates, each served by an
** index; past 100 000 matching records the count reads "N+" and the pager
** goes on with after= (js/table.js). Actions, outcomes and groups read as words from the
** server's dictionaries (audit.*), the codes stay in the API; details as
** "key: value" lines. 校验审计链 runs the same check as `gonggai audit
** verify` on the server (POST /api/audit/verify). The server's audit log is
** append-only and hash-chained, and reading it is itself audited.
*/
import { get, post, names, nameOptions } from '../js/api.js';
import { h, fmtTime, dialog, toast } from '../js/ui.js';
import { listPage } from '../js/table.js';

const ACTIONS = names('audit.action');
const GROUPS = names('audit.action_group');
const OUTCOMES = names('audit.outcome');

const actionName = (code) => ACTIONS[code] || code;
const outcomeName = (code) => OUTCOMES[code] || code;

/* Options grouped by the part of the code before its first dot. */
function actionOptions() {
  const opts = [];
  for (const g of nameOptions('audit.action_group')) {
    const prefix = g.value.slice(0, -1);
    opts.push({ value: g.value, label: `全部${g.label}`, group: g.label });
    for (const a of nameOptions('audit.action')) if (a.value.startsWith(prefix)) opts.push({ ...a, group: g.label });
  }
  return opts;
}

function parse(s) {
  if (!s) return null;
  if (typeof s !== 'string') return s;
  try { return JSON.parse(s); } catch (_) { return s; }
}

/* "key: value" pairs of the details object, values flattened. */
function pairs(d) {
  if (d === null || d === undefined || d === '') return [];
  if (typeof d !== 'object') return [['', String(d)]];
  return Object.entries(d).map(([k, v]) => [k, v === null ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v)]);
}
const detailText = (r) => pairs(parse(r.details)).map(([k, v]) => (k ? `${k}: ${v}` : v)).join('；');

function showRecord(r) {
  const rows = [['序号', r.id], ['时间', fmtTime(r.at)], ['用户', r.username], ['来源地址', r.source || '-'],
    ['操作', `${actionName(r.action)}（${r.action}）`], ['对象', r.object || '-'], ['结果', outcomeName(r.outcome)]];
  dialog({
    title: `审计记录 #${r.id}`, wide: true,
    body: h('div',
      h('table.table', h('tbody', rows.map(([k, v]) => h('tr', h('th', k), h('td', String(v)))))),
      h('h4', '详情'),
      h('table.table#audit-detail', h('tbody', pairs(parse(r.details)).map(([k, v]) => h('tr', h('th.mono', k || '-'), h('td', v))))),
      h('div.muted.mono', { style: { fontSize: '11px', marginTop: '8px', wordBreak: 'break-all' } }, `hash ${r.hash || ''}`)),
    buttons: [{ label: '关闭' }],
  });
}

async function verifyChain(btn) {
  btn.disabled = true;
  try {
    const v = await post('/api/audit/verify', {});
    const body = v.ok ? h('div.alert.alert-success#audit-verdict', `审计链完整：已校验 ${v.records} 条记录，未发现篡改。`)
      : h('div.alert.alert-error#audit-verdict', `审计链在第 ${v.bad_id} 条记录处断开：${v.reason}（已校验 ${v.records} 条）`);
    dialog({ title: '校验审计链', body, buttons: [{ label: '关闭' }] });
  } catch (err) {
    toast(err.message, 'error');
  } finally {
    btn.disabled = false;
  }
}

export async function render(ctx) {
  ctx.el.append(h('div.card', h('div#audit-list')));
  const pre = Object.fromEntries(['user', 'action', 'object', 'outcome', 'from', 'to'].map((k) => [k, ctx.query.get(k) || '']));
  listPage(ctx.el.querySelector('#audit-list'), {
    exportName: '审计日志', exportSrc: '/api/audit',
    initial: pre,
    toolbar: [{ label: '校验审计链', kind: 'primary', onClick: (api) => verifyChain(api.el.querySelector('[data-tool="verify"]')), id: 'verify' }],
    filters: [
      { name: 'user', label: '用户', placeholder: '用户名' },
      { name: 'action', label: '操作', type: 'select', options: actionOptions, width: '200px' },
      { name: 'object', label: '对象', placeholder: '如 case:12', width: '130px' },
      { name: 'outcome', label: '结果', type: 'select', options: () => nameOptions('audit.outcome'), width: '90px' },
      { name: 'from', label: '开始日期', type: 'date' },
      { name: 'to', label: '结束日期', type: 'date' },
    ],
    columns: [
      { key: 'id', title: '序号', width: '70px' },
      { key: 'at', title: '时间', text: (r) => fmtTime(r.at), cls: 'nowrap', exportType: 'time' },
      { key: 'username', title: '用户' },
      { key: 'source', title: '来源地址' },
      { key: 'action', title: '操作', cls: 'nowrap', dict: 'audit.action', render: (r) => h('span', { title: r.action }, actionName(r.action)), text: (r) => actionName(r.action) },
      { key: 'object', title: '对象' },
      { key: 'outcome', title: '结果', dict: 'audit.outcome', render: (r) => h(`span.tag.${r.outcome === 'success' ? 'green' : 'red'}`, outcomeName(r.outcome)), text: (r) => outcomeName(r.outcome) },
      { key: 'details', title: '详情', text: detailText, render: (r) => {
        const d = detailText(r);
        return h('a.audit-details', { title: '查看完整记录', on: { click: () => showRecord(r) } }, d.length > 48 ? `${d.slice(0, 48)}…` : d || '查看');
      } },
    ],
    load: (p) => get(`/api/audit?${new URLSearchParams(p)}`),
  });
}
