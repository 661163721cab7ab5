/*
** desk.js: 运维服务台 — every fault ticket with its clock badges (ops and
** leaders); with ?mine=1 (我的报障) the account's own reports and the 报障
** button every account has. Names come from /api/dict.
*/
import { get } from '../js/api.js';
import { h, toast } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { names, options, clockTag, clockText, reportFault, ticketsUrl } from '../js/desk-common.js';

/* This month's compliance of each clock (leaders and ops). */
async function compliance() {
  const d = new Date();
  const period = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
  try {
    const m = await get(`/api/desk/reports/monthly?period=${period}&format=json`);
    const pct = (c) => (c.compliance === null ? '—' : `${c.compliance.toFixed(1)}%`);
    return h('div.card#desk-compliance', h('div.card-title', `本月时限达标率（${period}）`,
      h('span.extra.muted', `工单 ${m.tickets} 件，未关闭 ${m.open} 件`)),
    h('div.grid.grid-4', m.clocks.map((c) => h(`div.stat-card.${c.breached ? 'red' : 'green'}`, { dataset: { clock: c.clock } },
      h('div.label', `${c.label}（${c.met}/${c.counted}）`), h('div.value', pct(c))))));
  } catch (err) {
    return h('div');
  }
}

export async function render(ctx, mineOnly) {
  const mine = mineOnly || ctx.query.get('mine') === '1';
  const isOps = ctx.hasRole('ops');
  const [status, level, category] = await Promise.all([names('desk.status'), names('desk.level'), names('desk.category')]);
  const box = h('div#desk-list');
  if (!mine) ctx.el.append(await compliance());
  ctx.el.append(h('div.card', box));
  const filters = [
    { name: 'status', label: '状态', type: 'select',
      options: async () => [{ value: 'active', label: '未关闭' }, ...await options('desk.status')] },
    { name: 'level', label: '级别', type: 'select', options: () => options('desk.level') },
    { name: 'category', label: '分类', type: 'select', options: () => options('desk.category') },
    { name: 'q', label: '标题/巡检项' },
  ];
  const list = listPage(box, {
    filters, exportName: mine ? '我的报障' : '故障工单', exportSrc: mine ? undefined : '/api/desk/tickets', initial: mine ? {} : { status: 'active' },
    toolbar: [{ label: '报障', kind: 'primary', onClick: async () => {
      const t = await reportFault(isOps);
      if (t) { toast(`已登记工单 ${t.id}`, 'success'); list.reload(); }
    } }],
    columns: [
      { key: 'id', title: '编号', width: '60px' },
      { key: 'level', title: '级别', dict: 'desk.level', text: (r) => level[String(r.level)] || r.level },
      { key: 'category', title: '分类', dict: 'desk.category', text: (r) => category[r.category] || r.category },
      { key: 'title', title: '标题', render: (r) => h('a', { href: `#/desk/tickets/${r.id}` }, r.title) },
      { key: 'source_ref', title: '巡检项/任务', text: (r) => r.source_ref || '' },
      { key: 'status', title: '状态', text: (r) => status[r.status] || r.status, dict: 'desk.status' },
      { key: 'response', title: '响应', export: false, render: (r) => clockTag(r.sla.response), text: (r) => clockText(r.sla.response) },
      { key: 'resolution', title: '解决', export: false, render: (r) => clockTag(r.sla.resolution), text: (r) => clockText(r.sla.resolution) },
      { key: 'reported_at', title: '报障时间', cls: 'nowrap', text: (r) => (r.reported_at || '').slice(0, 16).replace('T', ' ') },
      { key: 'handler', title: '处理人' },
    ],
    load: (p) => get(ticketsUrl({ ...p, mine: mine ? 1 : '' })),
  });
}
