/*
** catalog.js: 事项管理. Two tabs over /api/catalog: the items (审批事项) and
** the flows (审批流程) in effect on a date, with filters, paging and export.
** An item opens its detail page (versions, diff, edit as a new version); a
** flow opens its stages with their side lines and items.
*/
import { get, post, saveBlob } from '../js/api.js';
import { h, clear, dialog, toast, today } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { departmentOptions, maps } from '../js/org.js';
import { FLOW_TYPES, flowTypeOptions, STAGES, SIDE_LINES, COMPLETION, CASE_TYPES, fieldLabel } from '../js/catalog-common.js';

function flags(it) {
  return [
    it.milestone ? h('span.tag', '里程碑') : null,
    it.commitment ? h('span.tag.green', '告知承诺') : null,
    it.tolerance ? h('span.tag.yellow', '容缺受理') : null,
  ];
}

export async function render(ctx) {
  const names = await maps();
  const tab = ctx.query.get('tab') === 'flows' ? 'flows' : 'items';
  const tabs = h('div.tabs',
    h('a', { href: '#/catalog', class: tab === 'items' ? 'active' : '' }, '审批事项'),
    h('a', { href: '#/catalog?tab=flows', class: tab === 'flows' ? 'active' : '' }, '审批流程'));
  const body = h('div#catalog-list');
  const canEdit = ctx.hasRole('catalog', 'sysadmin');
  const file = h('input#catalog-file', { type: 'file', accept: '.json,application/json', hidden: true, on: { change: () => importFile(file) } });
  tabs.append(h('span', { style: { marginLeft: 'auto', display: 'flex', gap: '8px', alignItems: 'center' } },
    h('button.btn.btn-sm#catalog-export', { type: 'button', on: { click: exportAll } }, '导出目录 JSON'),
    canEdit ? h('button.btn.btn-sm.btn-primary#catalog-import', { type: 'button', on: { click: () => file.click() } }, '导入目录') : null, file));
  ctx.el.append(h('div.card', tabs, body));
  if (tab === 'items') itemsTab(body, names, ctx);
  else flowsTab(body, names, ctx);
}

function itemsTab(el, names, ctx) {
  listPage(el, {
    exportName: '审批事项',
    initial: { date: today() },
    filters: [
      { name: 'q', label: '事项', placeholder: '名称或编码' },
      { name: 'department', label: '部门', type: 'select', options: departmentOptions },
      { name: 'date', label: '生效日期', type: 'date' },
    ],
    columns: [
      { key: 'code', title: '事项编码', render: (it) => h('a', { href: `#/catalog/items/${encodeURIComponent(it.code)}` }, it.code), text: (it) => it.code },
      { key: 'name', title: '事项名称' },
      { key: 'department', title: '办理部门', text: (it) => names.dept[it.department] || it.department },
      { key: 'promised_limit', title: '承诺/法定时限', cls: 'nowrap', text: (it) => `${it.promised_limit} / ${it.legal_limit} 工作日` },
      { key: 'case_type', title: '办件类型', cls: 'nowrap', text: (it) => CASE_TYPES[it.case_type] || '' },
      { key: 'flags', title: '标记', render: flags, text: (it) => [it.milestone && '里程碑', it.commitment && '告知承诺', it.tolerance && '容缺受理'].filter(Boolean).join(' ') },
      { key: 'version', title: '版本', text: (it) => `v${it.version}` },
      { key: 'effective_from', title: '生效日期', cls: 'nowrap' },
      { key: 'versions', title: '版本数' },
      { title: '操作', cls: 'nowrap', export: false, render: (it) => h('a', { href: `#/catalog/items/${encodeURIComponent(it.code)}` }, '查看') },
    ],
    load: (p) => get(`/api/catalog/items?${new URLSearchParams(p)}`),
  });
}

function flowsTab(el, names, ctx) {
  listPage(el, {
    exportName: '审批流程',
    initial: { date: today() },
    filters: [
      { name: 'q', label: '流程', placeholder: '名称或编码' },
      { name: 'flow_type', label: '流程类型', type: 'select', options: flowTypeOptions() },
      { name: 'date', label: '生效日期', type: 'date' },
    ],
    columns: [
      { key: 'code', title: '流程编码' },
      { key: 'name', title: '流程名称' },
      { key: 'flow_type', title: '类型', text: (f) => `${f.flow_type} ${FLOW_TYPES[f.flow_type] || ''}` },
      { key: 'division_code', title: '区划', text: (f) => names.dist[f.division_code] || f.division_code },
      { key: 'version', title: '版本', text: (f) => `v${f.version}` },
      { key: 'effective_from', title: '生效日期', cls: 'nowrap' },
      { key: 'versions', title: '版本数' },
      { title: '操作', cls: 'nowrap', export: false, render: (f) => h('button.btn-link', { type: 'button', on: { click: () => showFlow(f.code, names) } }, '查看阶段') },
    ],
    load: (p) => get(`/api/catalog/flows?${new URLSearchParams(p)}`),
  });
}

/* A flow version: stages, side lines, items; and its history with diffs. */
export async function showFlow(code, names) {
  const [flow, hist] = await Promise.all([get(`/api/catalog/flows/${encodeURIComponent(code)}`), get(`/api/catalog/flows/${encodeURIComponent(code)}/versions`)]);
  const items = await get(`/api/catalog/items?page_size=200&date=${flow.effective_from > today() ? flow.effective_from : today()}`).catch(() => ({ items: [] }));
  const itemName = Object.fromEntries((items.items || []).map((i) => [i.code, i.name]));
  const doc = flow.doc;
  const itemLinks = (codes) => codes.map((c) => h('a.tag', { href: `#/catalog/items/${encodeURIComponent(c)}`, title: c }, itemName[c] || c));
  const total = doc.stages.filter((s) => s.number !== 5).reduce((a, s) => a + s.limit, 0);
  const body = [
    h('div.desc',
      h('div.k', '流程'), h('div', `${doc.name}（${doc.code}）`), h('div.k', '类型'), h('div', `${doc.flow_type} ${FLOW_TYPES[doc.flow_type] || ''}`),
      h('div.k', '版本'), h('div', `v${doc.version}，${doc.effective_from} 起生效`), h('div.k', '全流程时限'), h('div', `${total} 个工作日`)),
    h('table.table', { style: { marginTop: '12px' } },
      h('thead', h('tr', h('th', '阶段'), h('th', '时限'), h('th', '办结规则'), h('th', '牵头部门'), h('th', '事项'))),
      h('tbody', doc.stages.map((s) => h('tr',
        h('td.nowrap', `${s.number} ${s.name || STAGES[s.number]}`),
        h('td.nowrap', s.number === 5 ? '-' : `${s.limit} 个工作日`),
        h('td', COMPLETION[s.completion_rule] || ''),
        h('td', names.dept[s.lead_department] || s.lead_department || '-'),
        h('td', itemLinks(s.items), (s.side_lines || []).map((l) => h('div', { style: { marginTop: '6px' } },
          h('b', `辅线 ${l.code} ${l.name || SIDE_LINES[l.code] || ''}：`), itemLinks(l.items)))))))),
    h('h4', { style: { margin: '16px 0 8px' } }, '版本历史'),
    versionTable('flows', code, hist.versions || []),
  ];
  dialog({ title: `审批流程：${doc.name}`, wide: true, body, buttons: [{ label: '关闭' }] });
}

/* Version history with a diff between any two versions (shared by items and flows). */
export function versionTable(kind, code, versions) {
  const out = h('div');
  const diffBox = h('div#diff-box');
  const sel = (id, v) => h(`select.input#${id}`, versions.map((x) => h('option', { value: x.version, selected: x.version === v }, `v${x.version}`)));
  const from = sel('diff-from', versions.length > 1 ? versions[versions.length - 2].version : versions[0]?.version);
  const to = sel('diff-to', versions[versions.length - 1]?.version);
  out.append(h('table.table',
    h('thead', h('tr', h('th', '版本'), h('th', '生效日期'), h('th', '创建人'), h('th', '变更字段'))),
    h('tbody', versions.map((v) => h('tr', h('td', `v${v.version}`), h('td', v.effective_from), h('td', v.created_by || ''),
      h('td', (v.changes || []).length ? v.changes.map(fieldLabel).join('，') : h('span.muted', '首个版本')))))));
  if (versions.length > 1) {
    out.append(h('div.toolbar', { style: { marginTop: '10px' } }, h('span', '比较'), from, h('span', '与'), to,
      h('button.btn.btn-sm.btn-primary#diff-btn', { type: 'button', on: { click: show } }, '查看差异')), diffBox);
  }
  async function show() {
    clear(diffBox).append(h('div.muted', '加载中…'));
    try {
      const d = await get(`/api/catalog/${kind}/${encodeURIComponent(code)}/diff?from=${from.value}&to=${to.value}`);
      clear(diffBox).append(diffTable(d.changes || []));
    } catch (err) {
      clear(diffBox).append(h('div.alert.alert-error', err.message));
    }
  }
  return out;
}

const fmtVal = (v) => (v === null || v === undefined ? '（无）' : typeof v === 'object' ? JSON.stringify(v) : String(v));
export function diffTable(changes) {
  if (!changes.length) return h('div.notice', '两个版本没有差异');
  return h('table.table.diff',
    h('thead', h('tr', h('th', '字段'), h('th', '原值'), h('th', '新值'))),
    h('tbody', changes.map((c) => h('tr', h('td', fieldLabel(c.field), ' ', h('span.muted.mono', c.field)),
      h('td', h('span', { class: c.from === null ? 'muted' : 'diff-old' }, fmtVal(c.from))),
      h('td', h('span', { class: c.to === null ? 'muted' : 'diff-new' }, fmtVal(c.to)))))));
}

/* The whole catalogue as one JSON document (docs/catalog.md), for review or another database. */
async function exportAll() {
  try {
    const doc = await get('/api/catalog/export');
    saveBlob(new Blob([JSON.stringify(doc, null, 2) + '\n'], { type: 'application/json' }), `catalog-${today()}.json`);
    toast('目录已导出', 'success');
  } catch (err) { toast(err.message, 'error'); }
}

/* Merge a catalogue document: all or nothing; the server names the first bad field. */
async function importFile(input) {
  const f = input.files && input.files[0];
  input.value = '';
  if (!f) return;
  let doc;
  try {
    doc = JSON.parse(await f.text());
  } catch (e) {
    toast('文件不是有效的 JSON', 'error');
    return;
  }
  try {
    const r = await post('/api/catalog/import', doc);
    dialog({ title: '导入完成', body: h('p', `新增事项版本 ${r.items_added} 个、流程版本 ${r.flows_added} 个；未变化的事项 ${r.items_same} 个、流程 ${r.flows_same} 个。`),
      buttons: [{ label: '确定', kind: 'primary', onClick: () => { location.reload(); } }] });
  } catch (err) {
    dialog({ title: '导入失败（未写入任何数据）', body: [h('p', err.message), err.field ? h('p.mono', err.field) : null], buttons: [{ label: '关闭' }] });
  }
}
