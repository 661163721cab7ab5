/*
** desk-drills.js: 应急演练 — the plans (scenario, steps with roles and
** expected minutes) and the drill records (who, start and end, each step's
** result, problems found, follow-up tickets). The scheduler's restore
** drills appear as drills of the plan 数据库备份恢复.
*/
import { get, post } from '../js/api.js';
import { h, clear, toast, fmtTime } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { formDialog } from '../js/form.js';

export async function render(ctx) {
  const isOps = ctx.hasRole('ops');
  const plansBox = h('div#plan-list');
  const box = h('div#drill-list');
  ctx.el.append(h('div.card', h('div.card-title', '演练预案', isOps ? h('span.extra', h('button.btn.btn-sm#plan-add', { type: 'button', on: { click: addPlan } }, '新建预案')) : null), plansBox),
    h('div.card', h('div.card-title', '演练记录'), box));
  let plans = [];
  async function loadPlans() {
    plans = (await get('/api/desk/plans')).items;
    clear(plansBox).append(h('table.table', h('thead', h('tr', ['编码', '名称', '场景', '步骤'].map((x) => h('th', x)))),
      h('tbody', plans.map((p) => h('tr', h('td', p.code), h('td', p.name), h('td', p.scenario),
        h('td', p.steps.map((s) => `${s.step}${s.role ? `（${s.role}）` : ''}${s.expected_minutes ? ` ${s.expected_minutes}分钟` : ''}`).join('；')))))));
  }
  async function addPlan() {
    if (await formDialog({ title: '新建预案', wide: true, fields: [
      { name: 'code', label: '编码（小写字母、数字）', required: true },
      { name: 'name', label: '名称', required: true },
      { name: 'scenario', label: '场景', type: 'textarea', required: true },
      { name: 'roles', label: '角色' },
      { name: 'steps', label: '步骤', type: 'rows', rowLabel: '步骤', required: true, columns: [
        { name: 'step', label: '步骤' }, { name: 'role', label: '角色', width: '100px' },
        { name: 'expected_minutes', label: '预计分钟', type: 'number', width: '90px' }] }],
    submit: (v) => post('/api/desk/plans', { ...v, steps: v.steps.map((s) => ({ step: s.step, ...(s.role ? { role: s.role } : {}),
      ...(s.expected_minutes !== null ? { expected_minutes: s.expected_minutes } : {}) })) }) })) loadPlans();
  }
  await loadPlans();
  const list = listPage(box, {
    exportName: '演练记录',
    toolbar: [{ label: '登记演练', kind: 'primary', show: isOps, onClick: async () => {
      const r = await formDialog({ title: '登记演练', wide: true, fields: [
        { name: 'plan_id', label: '预案', type: 'select', required: true, options: plans.map((p) => ({ value: p.id, label: p.name })) },
        { name: 'started_at', label: '开始', type: 'datetime-local', required: true },
        { name: 'ended_at', label: '结束', type: 'datetime-local', required: true },
        { name: 'participants', label: '参加人员' },
        { name: 'results', label: '各步骤结果', type: 'rows', rowLabel: '步骤', columns: [
          { name: 'step', label: '步骤' }, { name: 'ok', label: '通过', type: 'checkbox', width: '60px' },
          { name: 'minutes', label: '用时(分钟)', type: 'number', width: '90px' }, { name: 'note', label: '说明' }] },
        { name: 'problems', label: '发现的问题', type: 'textarea' },
        { name: 'tickets', label: '后续工单编号（逗号分隔）' }],
      submit: (v) => post('/api/desk/drills', { ...v, plan_id: Number(v.plan_id),
        results: (v.results || []).map((x) => ({ step: x.step, ok: x.ok, ...(x.minutes !== null ? { minutes: x.minutes } : {}), ...(x.note ? { note: x.note } : {}) })),
        tickets: (v.tickets || '').split(/[,，\s]+/).filter(Boolean).map(Number) }) });
      if (r) { toast('已登记', 'success'); list.reload(); }
    } }],
    columns: [
      { key: 'plan_name', title: '预案' },
      { key: 'started_at', title: '开始', cls: 'nowrap', text: (r) => fmtTime(r.started_at) },
      { key: 'ended_at', title: '结束', cls: 'nowrap', text: (r) => fmtTime(r.ended_at) },
      { key: 'source', title: '来源', text: (r) => (r.source === 'ops' ? '调度器自动演练' : '人工登记') },
      { key: 'participants', title: '参加' },
      { key: 'results', title: '步骤结果', text: (r) => r.results.map((x) => `${x.step}:${x.ok ? '通过' : '未通过'}`).join('；') || (r.status ? `结果 ${r.status}` : '') },
      { key: 'problems', title: '问题' },
      { key: 'tickets', title: '后续工单', render: (r) => h('span', r.tickets.map((t) => h('a', { href: `#/desk/tickets/${t}`, style: { marginRight: '6px' } }, `#${t}`))), text: (r) => r.tickets.join(',') },
    ],
    load: (p) => get(`/api/desk/drills?${new URLSearchParams(p)}`),
  });
}
