/*
** stats.js: 数据看板. The live counters of GET /api/stats/overview (kept in
** the same transaction as every 办件 change) — running by light, by
** district, by status, today's flow — and, from period reports, the on-time
** rate of the last six months and this year's parallel approval and joint
** acceptance. Charts are ECharts, loaded only here; if they cannot load
** the numbers still show.
*/
import { get, post } from '../js/api.js';
import { h, clear, toast, fmtNum, fmtTime, today } from '../js/ui.js';
import { chart, disposeCharts, bindResize, PALETTE } from '../js/charts.js';
import { fmtKind, monthBack } from '../js/stats-common.js';
import { STATUS_NAMES } from '../js/cases-common.js';

function counter(label, value, kind, id) {
  return h(`div.stat-card.${kind}`, { id }, h('div.label', label), h('div.value', fmtNum(value)));
}

export async function render(ctx) {
  bindResize();
  const o = await get('/api/stats/overview');
  const refresh = ctx.hasRole('leader') ? h('button.btn.btn-sm#lights-now', { type: 'button', on: { click: lightsNow } }, '刷新预警灯') : null;
  const charts = {
    district: h('div.chart#chart-district'), lights: h('div.chart#chart-lights'), trend: h('div.chart#chart-trend'),
    parallel: h('div.chart#chart-parallel'), status: h('div.chart#chart-status'),
  };
  ctx.el.append(
    h('div.card', h('div.card-title', `数据看板（${o.scope}）`,
      h('span.extra.muted', `数据截至 ${fmtTime(o.as_of)}，预警灯更新于 ${fmtTime(o.lights_as_of) || '-'} `, refresh)),
    h('div.grid.grid-4#overview-counters',
      counter('办件总数', o.total, 'blue', 'ov-total'), counter('在办', o.running, 'green', 'ov-running'),
      counter('预警（黄灯）', o.yellow, 'yellow', 'ov-yellow'), counter('逾期（红灯）', o.red, 'red', 'ov-red')),
    h('div.grid.grid-4', { style: { marginTop: '12px' } },
      counter('已办结', o.concluded, 'gray', 'ov-concluded'), counter('待受理', o.unaccepted, 'gray', 'ov-unaccepted'),
      counter('今日接件', o.today && o.today.received, 'blue', 'ov-today-received'), counter('今日办结', o.today && o.today.concluded, 'green', 'ov-today-concluded'))),
    h('div.grid.grid-2',
      h('div.card', h('div.card-title', '各区县办件（柱：在办按预警灯；线：已办结）'), charts.district),
      h('div.card', h('div.card-title', '在办办件预警分布'), charts.lights)),
    h('div.grid.grid-2',
      h('div.card', h('div.card-title', '近六个月按时办结率'), charts.trend),
      h('div.card', h('div.card-title', '本年并联审批与联合验收'), charts.parallel)),
    h('div.card', h('div.card-title', '办件状态分布'), charts.status),
    h('div.card', h('div.card-title', '各部门办件'), deptTable(o)));

  const d = o.districts || [];
  chart(charts.district, {
    color: ['#52c41a', '#faad14', '#f5222d', '#bfbfbf', '#1890ff'],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, legend: { top: 0 },
    grid: { left: 40, right: 48, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: d.map((x) => x.name) },
    yAxis: [{ type: 'value', name: '在办', minInterval: 1 }, { type: 'value', name: '已办结', minInterval: 1 }],
    series: [
      { name: '正常', type: 'bar', stack: 'run', data: d.map((x) => x.green), barMaxWidth: 36 },
      { name: '预警', type: 'bar', stack: 'run', data: d.map((x) => x.yellow) },
      { name: '逾期', type: 'bar', stack: 'run', data: d.map((x) => x.red) },
      { name: '待受理', type: 'bar', stack: 'run', data: d.map((x) => x.unaccepted) },
      { name: '已办结', type: 'line', yAxisIndex: 1, data: d.map((x) => x.concluded), symbolSize: 8 },
    ],
  });
  if (!o.running) clear(charts.lights).append(h('div.notice', '当前没有在办办件'));
  else chart(charts.lights, {
    color: ['#52c41a', '#faad14', '#f5222d', '#bfbfbf'],
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' }, legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['40%', '68%'], label: { formatter: '{b}\n{c}' },
      data: [{ name: '正常', value: o.green, itemStyle: { color: '#52c41a' } }, { name: '预警', value: o.yellow, itemStyle: { color: '#faad14' } },
        { name: '逾期', value: o.red, itemStyle: { color: '#f5222d' } }, { name: '待受理', value: o.unaccepted, itemStyle: { color: '#bfbfbf' } }].filter((x) => x.value > 0) }],
  });
  const st = (o.status || []).filter((s) => s.n > 0 || [1, 3, 8, 11, 13].includes(s.code));
  chart(charts.status, {
    color: PALETTE, tooltip: { trigger: 'axis' }, grid: { left: 40, right: 16, top: 16, bottom: 40 },
    xAxis: { type: 'category', data: st.map((s) => STATUS_NAMES[s.code] || s.name), axisLabel: { interval: 0 } }, yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: st.map((s) => s.n), barMaxWidth: 36 }],
  });

  /* trend and parallel figures come from period reports (SQL over covering indexes) */
  const day = today();
  const months = [5, 4, 3, 2, 1, 0].map((n) => monthBack(day, n));
  Promise.all(months.map((m) => get(`/api/stats?period=month&from=${m}`).catch(() => null))).then((reps) => {
    if (!ctx.isCurrent()) return;
    const tot = (r, k) => (r && r.sections && r.sections[0] ? r.sections[0].total[k] : null);
    chart(charts.trend, {
      color: ['#1890ff', '#52c41a'], tooltip: { trigger: 'axis' }, legend: { top: 0 },
      grid: { left: 48, right: 48, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: months },
      yAxis: [{ type: 'value', name: '办结数', minInterval: 1 }, { type: 'value', name: '按时率', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }],
      series: [
        { name: '办结数', type: 'bar', data: reps.map((r) => tot(r, 'concluded')), barMaxWidth: 30 },
        { name: '按时办结率', type: 'line', yAxisIndex: 1, connectNulls: true, data: reps.map((r) => (tot(r, 'ontime_rate') === null ? null : +(tot(r, 'ontime_rate') * 100).toFixed(1))) },
      ],
    });
  });
  get('/api/stats?period=year').then((r) => {
    if (!ctx.isCurrent()) return;
    const t = r.sections && r.sections[0] ? r.sections[0].total : {};
    chart(charts.parallel, {
      color: ['#1890ff', '#13c2c2'], tooltip: { trigger: 'axis' }, legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: ['并联审批实例', '并联办件', '验收事项', '联合验收'] }, yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: '数量', type: 'bar', data: [t.parallel_instances, t.parallel_cases, t.acceptance_items, t.joint_acceptances], barMaxWidth: 36 },
        { name: '通过', type: 'bar', data: [null, null, t.acceptance_passed, t.joint_passed], barMaxWidth: 36 },
      ],
    });
    charts.parallel.title = `验收通过率 ${fmtKind(t.acceptance_pass_rate, 'rate')}，联合验收通过率 ${fmtKind(t.joint_pass_rate, 'rate')}`;
  }).catch(() => {});

  async function lightsNow() {
    refresh.disabled = true;
    try {
      const r = await post('/api/stats/lights', {});
      toast(`预警灯已刷新：检查 ${r.examined} 件，变化 ${r.changed} 件`, 'success');
      ctx.navigate('/stats');
    } catch (err) { toast(err.message, 'error'); refresh.disabled = false; }
  }
  return () => disposeCharts();
}

function deptTable(o) {
  const rows = [...(o.departments || [])].sort((a, b) => b.running - a.running || b.total - a.total);
  if (!rows.length) return h('div.notice', '暂无办件');
  return h('table.table#overview-departments',
    h('thead', h('tr', ['部门', '办件总数', '在办', '正常', '预警', '逾期', '待受理', '已办结'].map((t) => h('th', t)))),
    h('tbody', rows.map((d) => h('tr', h('td', d.name), h('td', fmtNum(d.total)), h('td', fmtNum(d.running)), h('td', fmtNum(d.green)),
      h('td', d.yellow ? h('span.tag.yellow', fmtNum(d.yellow)) : '0'), h('td', d.red ? h('span.tag.red', fmtNum(d.red)) : '0'),
      h('td', fmtNum(d.unaccepted)), h('td', fmtNum(d.concluded))))));
}
