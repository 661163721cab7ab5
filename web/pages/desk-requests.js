/*
** desk-requests.js: 需求受理. Ops and leaders see every request (我的需求
** shows an account's own); every account submits one (提需求). A request's
** dialog shows its steps and, for ops, the actions its status allows:
** assessment with an estimate in person-days, reply, accept, schedule,
** reject with the reason, delivery.
*/
import { get, post } from '../js/api.js';
import { h, toast, dialog, fmtTime } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { formDialog } from '../js/form.js';
import { names, options } from '../js/desk-common.js';

const NEEDS = {
  assess: [{ name: 'feasibility', label: '可行性评估', type: 'textarea', required: true },
    { name: 'estimate_days', label: '工作量（人天）', type: 'number', step: '0.5', required: true }],
  reply: [{ name: 'reply', label: '答复', type: 'textarea', required: true }],
  schedule: [{ name: 'scheduled_for', label: '排期日期', type: 'date', required: true }],
  reject: [{ name: 'reason', label: '不予采纳的理由', type: 'textarea', required: true }],
};

export async function render(ctx, mineOnly) {
  const mine = !!mineOnly;
  const [status, kinds, actions] = await Promise.all([names('desk.request_status'), names('desk.request_kind'),
    names('desk.request_action')]);
  const box = h('div#request-list');
  ctx.el.append(h('div.card', box));
  const list = listPage(box, {
    exportName: '需求', exportSrc: '/api/desk/requests', filters: [
      { name: 'status', label: '状态', type: 'select', options: () => options('desk.request_status') },
      { name: 'q', label: '标题' }],
    toolbar: [{ label: '提需求', kind: 'primary', onClick: async () => {
      const r = await formDialog({ title: '提需求', fields: [
        { name: 'kind', label: '需求类型', type: 'select', required: true, options: () => options('desk.request_kind') },
        { name: 'title', label: '标题', required: true },
        { name: 'description', label: '需求说明', type: 'textarea' },
        { name: 'unit', label: '单位' }],
      submit: (v) => post('/api/desk/requests', v) });
      if (r) { toast('需求已提交', 'success'); list.reload(); }
    } }],
    columns: [
      { key: 'id', title: '编号', width: '60px' },
      { key: 'kind', title: '类型', dict: 'desk.request_kind', text: (r) => kinds[r.kind] || r.kind },
      { key: 'title', title: '标题', render: (r) => h('button.btn-link', { type: 'button', on: { click: () => show(r.id) } }, r.title) },
      { key: 'requester', title: '提出人' },
      { key: 'unit', title: '单位' },
      { key: 'status', title: '状态', text: (r) => status[r.status] || r.status, dict: 'desk.request_status' },
      { key: 'estimate_days', title: '人天' },
      { key: 'scheduled_for', title: '排期' },
      { key: 'created_at', title: '提出时间', text: (r) => fmtTime(r.created_at), exportType: 'time' },
    ],
    load: (p) => get(`/api/desk/requests?${new URLSearchParams({ ...p, ...(mine ? { mine: 1 } : {}) })}`),
  });

  async function show(id) {
    const r = await get(`/api/desk/requests/${id}`);
    const d = dialog({ title: `需求 ${r.id}：${r.title}`, wide: true, body: [
      h('div.kv', ...[['类型', r.kind_label], ['状态', r.status_label], ['提出人', r.requester], ['单位', r.unit],
        ['可行性', r.feasibility], ['人天', r.estimate_days ?? ''], ['答复', r.reply], ['排期', r.scheduled_for || ''],
        ['理由', r.reason]].map(([k, v]) => h('div', h('div.k', k), h('div.v', { style: { fontSize: '14px', fontWeight: 'normal' } }, String(v || '—'))))),
      r.description ? h('p', { style: { whiteSpace: 'pre-wrap' } }, r.description) : null,
      h('table.table', h('thead', h('tr', h('th', '时间'), h('th', '步骤'), h('th', '操作人'), h('th', '说明'))),
        h('tbody', r.events.map((e) => h('tr', h('td.nowrap', fmtTime(e.at)), h('td', actions[e.action] || status[e.action] || e.action),
          h('td', e.actor), h('td', e.note || ''))))),
      r.actions.length ? h('div', { style: { display: 'flex', gap: '8px', marginTop: '10px' } },
        r.actions.map((a) => h('button.btn.btn-sm', { type: 'button', dataset: { action: a }, on: { click: () => act(r, a, d) } }, actions[a] || a))) : null],
    buttons: [{ label: '关闭' }] });
  }

  async function act(r, a, d) {
    const done = await formDialog({ title: `${actions[a] || a}：需求 ${r.id}`,
      fields: [...(NEEDS[a] || []), { name: 'note', label: '说明', type: 'textarea' }],
      submit: (v) => post(`/api/desk/requests/${r.id}/actions`, { action: a, ...v }) });
    if (done) { toast('已完成', 'success'); d.close(); list.reload(true); show(r.id); }
  }
}
