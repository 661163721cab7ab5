/*
** ops.js: 巡检状态. The current status of every inspection item (value,
** thresholds, message, since when), the latest state changes, the run
** history with each run's results, one item's history, and 立即巡检
** (all items or one group) through the scheduler.
*/
import { get } from '../js/api.js';
import { h, clear, toast, dialog, fmtTime } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { STATUS, GROUPS, JOB_STATES, statusTag, jobName, fmtValue, runJob } from '../js/ops-common.js';

export async function render(ctx) {
  const tab = ctx.query.get('tab') || 'status';
  const tabs = h('div.tabs',
    h('a', { href: '#/ops', class: tab === 'status' ? 'active' : '' }, '当前状态'),
    h('a', { href: '#/ops?tab=runs', class: tab === 'runs' ? 'active' : '' }, '巡检记录'),
    h('a', { href: '#/ops?tab=history', class: tab === 'history' ? 'active' : '' }, '单项历史'));
  const body = h('div');
  ctx.el.append(h('div.card', tabs, body));
  if (tab === 'runs') return runsTab(body);
  if (tab === 'history') return historyTab(body, ctx);
  return statusTab(body, ctx);
}

async function statusTab(el, ctx) {
  const s = await get('/api/inspections');
  const byItem = Object.fromEntries((s.items || []).map((i) => [i.item, i]));
  const group = h('select.input#inspect-only', h('option', { value: '' }, '全部巡检项'),
    Object.entries(GROUPS).map(([v, l]) => h('option', { value: v }, l)));
  const run = h('button.btn.btn-primary#inspect-now', { type: 'button', on: { click: go } }, '立即巡检');
  const counts = {};
  for (const it of s.items || []) counts[it.status] = (counts[it.status] || 0) + 1;
  clear(el).append(
    h('div.grid.grid-4', { style: { marginBottom: '14px' } },
      h(`div.stat-card.${(STATUS[s.status] || ['gray'])[0]}#inspect-overall`, h('div.label', '总体状态'), h('div.value', { style: { fontSize: '20px' } }, statusTag(s.status))),
      h('div.stat-card.green', h('div.label', '正常 / 警告 / 严重 / 未知'),
        h('div.value', { style: { fontSize: '20px' } }, `${counts.OK || 0} / ${counts.WARN || 0} / ${counts.CRIT || 0} / ${counts.UNKNOWN || 0}`)),
      h('div.stat-card', h('div.label', '调度器'), h('div.value', { style: { fontSize: '16px' } }, s.scheduler && s.scheduler.enabled ? '运行中' : '未启用'),
        h('div.muted', s.scheduler && s.scheduler.last_tick ? `心跳 ${fmtTime(s.scheduler.last_tick)}` : '')),
      h('div.stat-card.gray', h('div.label', '状态变化（累计）'), h('div.value', String(s.changes_total ?? 0)))),
    h('div.toolbar', group, run, h('span.muted', '巡检在调度线程上执行，结果与定时巡检一样记录在案。')),
    h('div.table-wrap', h('table.table#inspect-items',
      h('thead', h('tr', ['分类', '巡检项', '状态', '当前值', '警告/严重阈值', '说明', '最近巡检', '状态始于'].map((t) => h('th', t)))),
      h('tbody', (s.catalog || []).map((c) => {
        const it = byItem[c.item];
        return h('tr', { dataset: { item: c.item } },
          h('td.nowrap', GROUPS[c.group] || c.group), h('td', c.title, h('div.muted.mono', c.item)),
          h('td.nowrap', it ? statusTag(it.status) : h('span.muted', '未巡检'), it && it.stale ? h('span.tag.gray', '过期') : null),
          h('td.nowrap', it ? fmtValue(it.value, it.unit) : '-'),
          h('td.nowrap', it ? `${fmtValue(it.warn, '')} / ${fmtValue(it.crit, '')}` : '-'),
          h('td', it ? it.message : ''), h('td.nowrap', it ? fmtTime(it.last_at) : '-'), h('td.nowrap', it ? fmtTime(it.since) : '-'));
      })))),
    h('h4', { style: { margin: '18px 0 8px' } }, '最近状态变化'),
    (s.changes || []).length ? h('table.table#inspect-changes',
      h('thead', h('tr', ['时间', '巡检项', '变化', '说明'].map((t) => h('th', t)))),
      h('tbody', s.changes.map((c) => h('tr', h('td.nowrap', fmtTime(c.at)), h('td.mono', c.item),
        h('td.nowrap', c.from_status ? statusTag(c.from_status) : h('span.muted', '首次'), ' → ', statusTag(c.to_status)), h('td', c.message)))))
      : h('div.muted', '暂无状态变化'));

  async function go() {
    run.disabled = true;
    run.textContent = '巡检中…';
    try {
      const r = await runJob('/api/inspections/run', group.value ? { only: group.value } : {});
      toast(`巡检完成：${r.message || r.status}`, r.status === 'OK' ? 'success' : 'warning', 5000);
      await statusTab(el, ctx);
    } catch (err) {
      toast(err.message, 'error', 5000);
      run.disabled = false;
      run.textContent = '立即巡检';
    }
  }
}

function runsTab(el) {
  listPage(el, {
    exportName: '巡检记录', exportSrc: '/api/inspections/runs',
    columns: [
      { key: 'id', title: '编号' },
      { key: 'job', title: '类型', text: (r) => jobName(r.job) },
      { key: 'trigger', title: '触发' },
      { key: 'state', title: '执行', text: (r) => JOB_STATES[r.state] || r.state },
      { key: 'status', title: '结果', render: (r) => statusTag(r.status), text: (r) => r.status },
      { key: 'started_at', title: '开始', cls: 'nowrap', text: (r) => fmtTime(r.started_at), exportType: 'time' },
      { key: 'finished_at', title: '结束', cls: 'nowrap', text: (r) => fmtTime(r.finished_at), exportType: 'time' },
      { key: 'message', title: '摘要' },
      { title: '操作', export: false, render: (r) => h('button.btn-link', { type: 'button', on: { click: () => showRun(r.id) } }, '明细') },
    ],
    load: (p) => get(`/api/inspections/runs?${new URLSearchParams(p)}`),
  });
}

async function showRun(id) {
  const r = await get(`/api/inspections/runs/${id}`);
  dialog({
    title: `巡检记录 #${id}（${jobName(r.job)}，${fmtTime(r.started_at)}）`, wide: true,
    body: [h('p', r.message || ''), h('table.table',
      h('thead', h('tr', ['巡检项', '状态', '值', '阈值', '说明'].map((t) => h('th', t)))),
      h('tbody', (r.items || []).map((i) => h('tr', h('td.mono', i.item), h('td', statusTag(i.status)), h('td.nowrap', fmtValue(i.value, i.unit)),
        h('td.nowrap', `${fmtValue(i.warn, '')} / ${fmtValue(i.crit, '')}`), h('td', i.message)))))],
    buttons: [{ label: '关闭' }],
  });
}

async function historyTab(el, ctx) {
  const s = await get('/api/inspections');
  listPage(el, {
    exportName: '巡检单项历史', exportSrc: '/api/inspections/results',
    initial: { item: ctx.query.get('item') || ((s.catalog || [])[0] || {}).item || '' },
    filters: [
      { name: 'item', label: '巡检项', type: 'select', all: '全部', options: (s.catalog || []).map((c) => ({ value: c.item, label: c.title })) },
      { name: 'from', label: '开始日期', type: 'date' },
      { name: 'to', label: '结束日期', type: 'date' },
    ],
    columns: [
      { key: 'at', title: '时间', cls: 'nowrap', text: (r) => fmtTime(r.at), exportType: 'time' },
      { key: 'item', title: '巡检项', cls: 'mono' },
      { key: 'status', title: '状态', render: (r) => statusTag(r.status), text: (r) => r.status },
      { key: 'value', title: '值', cls: 'nowrap', text: (r) => fmtValue(r.value, r.unit) },
      { key: 'message', title: '说明' },
      { key: 'run_id', title: '记录', render: (r) => h('button.btn-link', { type: 'button', on: { click: () => showRun(r.run_id) } }, `#${r.run_id}`), text: (r) => String(r.run_id) },
    ],
    load: (p) => get(`/api/inspections/results?${new URLSearchParams(p)}`),
  });
}
