/*
** desk-reports.js: 服务台报告 — the monthly summary (tickets by level and
** category, compliance of each clock, mean times to respond and resolve,
** the month's drills) as XLSX or printable HTML, for ops and leaders.
*/
import { download } from '../js/api.js';
import { h, toast } from '../js/ui.js';

export function render(ctx) {
  const d = new Date();
  const month = h('input.input#desk-period', { type: 'month', value: `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}` });
  const xlsx = h('button.btn.btn-primary#desk-xlsx', { type: 'button', on: { click: async () => {
    try {
      await download(`/api/desk/reports/monthly?period=${month.value}&format=xlsx`, `desk-${month.value}.xlsx`);
    } catch (err) { toast(err.message, 'error', 5000); }
  } } }, '下载 Excel');
  const html = h('button.btn#desk-html', { type: 'button', on: { click: () =>
    window.open(`/api/desk/reports/monthly?period=${month.value}&format=html`, '_blank', 'noopener') } }, '打印版');
  ctx.el.append(h('div.card', h('div.card-title', '运维服务台月度报告'),
    h('p.muted', '工单按级别与分类统计、各项时限达标率、平均响应与解决时间、应急演练。'),
    h('div', { style: { display: 'flex', gap: '8px', alignItems: 'center' } }, h('span', '统计月份'), month, xlsx, html)));
}
