/*
** quality.js: 数据质量 — the overview of 数据质检 (GET /api/quality/overview):
** open and overdue findings by department and district, found and fixed per
** week, the province's rejections still open, the last runs; 立即质检 for
** leaders and O&M (POST /api/quality/run) and the monthly 通报 as XLSX or
** HTML (GET /api/quality/notice). Names of statuses and severities come
** from /api/dict.
*/
import { get, post, download } from '../js/api.js';
import { h, toast, fmtNum, today } from '../js/ui.js';
import { chart, disposeCharts, bindResize } from '../js/charts.js';
import { listPage } from '../js/table.js';

function counter(label, value, kind, id) {
  return h(`div.stat-card.${kind}`, { id }, h('div.label', label), h('div.value', fmtNum(value)));
}

/* {department: {open, overdue, district}} from the grouped rows. */
function byDepartment(rows) {
  const m = new Map();
  for (const r of rows) {
    const k = r.department_name || r.department || '（无主管部门）';
    const x = m.get(k) || { department: k, district: r.district, open: 0, overdue: 0, error: 0, warn: 0 };
    x[r.status] += r.n;
    x[r.severity] += r.n;
    m.set(k, x);
  }
  return [...m.values()].sort((a, b) => b.overdue - a.overdue || b.open - a.open);
}

function byDistrict(rows) {
  const m = new Map();
  for (const r of rows) m.set(r.district, (m.get(r.district) || 0) + r.n);
  return [...m.entries()].sort();
}

const weekLabel = (day) => new Date(day * 86400000).toISOString().slice(5, 10);

export async function render(ctx) {
  bindResize();
  const o = await get('/api/quality/overview');
  const canRun = ctx.hasRole('leader', 'ops');
  const month = today().slice(0, 7);
  const runBtn = canRun ? h('button.btn.btn-primary.btn-sm#quality-run', { type: 'button', on: { click: runNow } }, '立即质检') : null;
  const period = h('input.input#notice-period', { type: 'month', value: month, 'aria-label': '通报月份' });
  const last = o.last_run;
  const charts = { dept: h('div.chart#chart-quality-dept'), week: h('div.chart#chart-quality-week') };
  const depts = byDepartment(o.by_group || []);
  ctx.el.append(
    h('div.card', h('div.card-title', '数据质检概览',
      h('span.extra.muted', last ? `最近一次质检：${last.finished_at.replace('T', ' ').slice(0, 16)}（#${last.id}，用时 ${last.ms} ms） ` : '尚未运行质检 ', runBtn)),
      h('div.grid.grid-4#quality-counters',
        counter('待整改', o.open, 'yellow', 'q-open'), counter('逾期未整改（督办）', o.overdue, 'red', 'q-overdue'),
        counter('省级退回未更正', (o.rejected || []).reduce((s, r) => s + r.n, 0), 'blue', 'q-rejected'),
        counter('上次新发现', last ? last.opened : 0, 'gray', 'q-new'))),
    h('div.grid.grid-2',
      h('div.card', h('div.card-title', '各部门未整改问题'), charts.dept),
      h('div.card', h('div.card-title', '近12周发现与整改'), charts.week)),
    h('div.grid.grid-2',
      h('div.card', h('div.card-title', '各区县未整改问题'), districtTable(o.by_group || [])),
      h('div.card', h('div.card-title', '省级平台退回（按数据表）'), rejectedTable(o.rejected || []))),
    h('div.card', h('div.card-title', '数据质检通报'),
      h('div', { style: { display: 'flex', gap: '8px', alignItems: 'center' } }, h('span', '月份'), period,
        h('button.btn.btn-sm#notice-xlsx', { type: 'button', on: { click: () => notice('xlsx') } }, '下载通报（Excel）'),
        h('button.btn.btn-sm#notice-html', { type: 'button', on: { click: () => notice('html') } }, '打印版（HTML）')),
      h('p.muted', '通报按区县、部门统计期初未整改、本期新发现、本期已整改、期末未整改、逾期、省级退回与整改率，指标说明印在通报上。')),
    h('div.card', h('div.card-title', '质检运行记录'), h('div#quality-runs')));

  chart(charts.dept, {
    color: ['#faad14', '#f5222d'], tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, legend: { top: 0 },
    grid: { left: 150, right: 16, top: 30, bottom: 20 },
    yAxis: { type: 'category', data: depts.slice(0, 15).map((d) => d.department).reverse() },
    xAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '待整改', type: 'bar', stack: 'n', data: depts.slice(0, 15).map((d) => d.open).reverse() },
      { name: '逾期未整改', type: 'bar', stack: 'n', data: depts.slice(0, 15).map((d) => d.overdue).reverse() },
    ],
  });
  const weeks = o.weeks || [];
  chart(charts.week, {
    color: ['#1890ff', '#52c41a'], tooltip: { trigger: 'axis' }, legend: { top: 0 },
    grid: { left: 48, right: 16, top: 30, bottom: 28 },
    xAxis: { type: 'category', data: weeks.map((w) => weekLabel(w.week)) }, yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: '发现', type: 'line', data: weeks.map((w) => w.found) }, { name: '整改', type: 'line', data: weeks.map((w) => w.fixed) }],
  });
  listPage(ctx.el.querySelector('#quality-runs'), {
    pageSize: 10,
    columns: [
      { key: 'id', title: '#' }, { key: 'started_at', title: '时间', text: (r) => r.started_at.replace('T', ' ').slice(0, 19) },
      { key: 'trigger', title: '触发' }, { key: 'username', title: '执行人' }, { key: 'rules_run', title: '规则数' },
      { key: 'found', title: '发现' }, { key: 'opened', title: '新增' }, { key: 'reopened', title: '复发' },
      { key: 'fixed', title: '整改完成' }, { key: 'escalated', title: '转逾期' }, { key: 'open_after', title: '未整改' },
      { key: 'ms', title: '用时(ms)' },
    ],
    load: (p) => get(`/api/quality/runs?${new URLSearchParams(p)}`),
  });

  async function runNow() {
    runBtn.disabled = true;
    try {
      const r = await post('/api/quality/run', {});
      toast(`质检完成：发现 ${r.run.found} 个问题，新增 ${r.run.opened}，整改完成 ${r.run.fixed}`, 'success');
      ctx.navigate('/quality');
    } catch (err) { toast(err.message, 'error'); runBtn.disabled = false; }
  }
  async function notice(format) {
    try {
      if (format === 'html') window.open(`/api/quality/notice?period=${period.value}&format=html`, '_blank');
      else await download(`/api/quality/notice?period=${period.value}&format=xlsx`, `quality-notice-${period.value}.xlsx`);
    } catch (err) { toast(err.message, 'error'); }
  }
  return () => disposeCharts();
}

function districtTable(rows) {
  const d = byDistrict(rows);
  if (!d.length) return h('div.notice', '没有未整改的问题');
  return h('table.table#quality-districts', h('thead', h('tr', h('th', '区县代码'), h('th', '未整改'), h('th', ''))),
    h('tbody', d.map(([code, n]) => h('tr', h('td', code), h('td', fmtNum(n)),
      h('td', h('a', { href: `#/quality/findings?district=${code}` }, '查看'))))));
}

function rejectedTable(rows) {
  if (!rows.length) return h('div.notice', '没有未更正的省级退回数据');
  return h('table.table#quality-rejected', h('thead', h('tr', h('th', '数据表'), h('th', '未更正'), h('th', ''))),
    h('tbody', rows.map((r) => h('tr', h('td', r.table), h('td', fmtNum(r.n)),
      h('td', h('a', { href: '#/quality/findings?rule=exchange-rejected' }, '查看'))))));
}
