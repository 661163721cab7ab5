/*
** desk-ticket.js: one fault ticket: its facts, the SLA clocks (target, due,
** elapsed, met or breached and when), the event log, and a button for each
** action the server says this account may take now (each asks for what the
** action needs: handler, reason, cause/fix/prevention, the RCA report).
** 打印报告 opens the 故障处理报告 / 重大事件故障报告.
*/
import { get, post } from '../js/api.js';
import { h, clear, toast } from '../js/ui.js';
import { formDialog } from '../js/form.js';
import { names, clockTag } from '../js/desk-common.js';

/* The fields each action needs beyond a note. */
const NEEDS = {
  assign: [{ name: 'handler', label: '处理人（运维账号）', required: true }],
  pause: [{ name: 'reason', label: '挂起原因（等待用户）', type: 'textarea', required: true }],
  resolve: [
    { name: 'cause', label: '故障原因', type: 'textarea', required: true },
    { name: 'fix', label: '处理措施', type: 'textarea', required: true },
    { name: 'prevention', label: '预防措施', type: 'textarea', required: true }],
  rca_submit: [{ name: 'rca', label: '根本原因与处理对策报告', type: 'textarea', rows: 10, required: true }],
};

function kv(label, value) {
  return h('div', h('div.k', label), h('div.v', { style: { fontSize: '14px', fontWeight: 'normal' } }, value || '—'));
}

export async function render(ctx) {
  const [actions, events, clocks] = await Promise.all([names('desk.action'), names('desk.event'), names('desk.clock')]);
  const box = h('div#desk-ticket');
  ctx.el.append(box);

  async function load() {
    const t = await get(`/api/desk/tickets/${ctx.params.id}`);
    ctx.setTitle(`工单 ${t.id}`);
    const buttons = t.actions.map((a) => h('button.btn.btn-sm', { type: 'button', dataset: { action: a },
      class: a === 'resolve' || a === 'respond' ? 'btn-primary' : '', on: { click: () => act(t, a) } }, actions[a] || a));
    const report = h('a.btn.btn-sm', { href: `/api/desk/tickets/${t.id}/report`, target: '_blank', rel: 'noopener' }, '打印报告');
    clear(box).append(
      h('div.card', h('div.card-title', `${t.title}`, h('span.extra', ...buttons, ' ', report)),
        h('div.kv',
          kv('状态', t.status_label), kv('级别', t.level_label), kv('分类', t.category_label),
          kv('报障人', t.reporter), kv('报障时间', (t.reported_at || '').replace('T', ' ').slice(0, 19)),
          kv('处理人', t.handler), kv('巡检项/任务', t.source_ref), kv('影响范围', t.affected)),
        t.description ? h('p', { style: { whiteSpace: 'pre-wrap' } }, t.description) : null),
      h('div.card', h('div.card-title', '时限'),
        h('table.table', h('thead', h('tr', ['时限', '目标(分钟)', '开始', '到期', '状态'].map((x) => h('th', x)))),
          h('tbody', ['response', 'resolution', 'third_party', 'rca'].filter((k) => t.sla[k]).map((k) => {
            const c = t.sla[k];
            return h('tr', { dataset: { clock: k } }, h('td', clocks[k] || k), h('td', String(c.target_minutes)),
              h('td', (c.started || '').replace('T', ' ').slice(0, 19)), h('td', (c.due || '').replace('T', ' ').slice(0, 19)),
              h('td', clockTag(c)));
          })))),
      t.cause || t.fix || t.prevention ? h('div.card', h('div.card-title', '原因与处理'),
        h('div.kv', kv('故障原因', t.cause), kv('处理措施', t.fix), kv('预防措施', t.prevention)),
        t.rca ? h('p', { style: { whiteSpace: 'pre-wrap' } }, t.rca) : null) : null,
      h('div.card', h('div.card-title', '处理经过'),
        h('table.table', h('thead', h('tr', ['时间', '事件', '操作人', '说明'].map((x) => h('th', x)))),
          h('tbody', t.events.map((e) => h('tr', h('td.nowrap', (e.at_iso || '').replace('T', ' ').slice(0, 19)),
            h('td', events[e.action] || e.action), h('td', e.actor), h('td', e.note || '')))))));
  }

  async function act(t, a) {
    const fields = [...(NEEDS[a] || []), { name: 'note', label: '说明', type: 'textarea' }];
    const r = await formDialog({ title: `${actions[a] || a}：工单 ${t.id}`, fields,
      submit: (v) => post(`/api/desk/tickets/${t.id}/actions`, { action: a, ...v }) });
    if (r) { toast('已完成', 'success'); await load(); }
  }
  await load();
}
