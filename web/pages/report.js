/*
** report.js: 统计报表. A period (day, month, quarter, year or a range) and a
** grouping (district, department, item, stage, project type) from
** GET /api/stats: one row per group and the 合计 row with the key
** indicators (every indicator on request), 环比/同比 of the totals, whole
** projects against the province's targets, and the XLSX / CSV download of
** the same report (every grouping as a sheet).
*/
import { get, download } from '../js/api.js';
import { h, clear, toast, today } from '../js/ui.js';
import { PERIODS, GROUPS, fmtKind, fmtChange } from '../js/stats-common.js';

const KEY_COLUMNS = ['received', 'accepted', 'refused', 'concluded', 'approved', 'denied', 'running', 'warning',
  'overdue_running', 'overdue_done', 'accept_rate', 'conclude_rate', 'ontime_rate', 'abnormal_rate', 'avg_wd_used',
  'p90_wd_used', 'parallel_cases'];

export async function render(ctx) {
  const kind = h('select.input#stats-period', Object.entries(PERIODS).map(([v, l]) => h('option', { value: v, selected: v === 'month' }, l)));
  const from = h('input.input#stats-from', { type: 'month', value: today().slice(0, 7) });
  const to = h('input.input#stats-to', { type: 'date', value: today(), hidden: true });
  const group = h('select.input#stats-group', Object.entries(GROUPS).map(([v, l]) => h('option', { value: v }, `按${l}`)));
  const all = h('input#stats-all', { type: 'checkbox' });
  const out = h('div#stats-report');
  kind.addEventListener('change', () => {
    const k = kind.value;
    from.type = k === 'month' ? 'month' : k === 'year' || k === 'quarter' ? 'text' : 'date';
    from.value = k === 'month' ? today().slice(0, 7) : k === 'year' ? today().slice(0, 4)
      : k === 'quarter' ? `${today().slice(0, 4)}-Q${Math.floor((Number(today().slice(5, 7)) - 1) / 3) + 1}` : k === 'range' ? `${today().slice(0, 4)}-01-01` : today();
    from.placeholder = k === 'quarter' ? 'YYYY-Qn' : k === 'year' ? 'YYYY' : '';
    to.hidden = k !== 'range';
  });
  const params = (format) => {
    const p = { period: kind.value, from: from.value, group: group.value };
    if (kind.value === 'range') p.to = to.value;
    if (format) p.format = format;
    return new URLSearchParams(p).toString();
  };
  const query = h('button.btn.btn-primary#stats-query', { type: 'button', on: { click: load } }, '查询');
  const xlsx = h('button.btn.btn-warning#stats-xlsx', { type: 'button', on: { click: () => save('xlsx') } }, '导出 Excel');
  const csv = h('button.btn#stats-csv', { type: 'button', on: { click: () => save('csv') } }, '导出 CSV');
  all.addEventListener('change', () => last && show(last));
  ctx.el.append(h('div.card',
    h('div.search-bar', h('label.sf', h('span', '统计周期'), kind), h('label.sf', h('span', '起'), from), h('label.sf', { hidden: false }, to),
      h('label.sf', h('span', '分组'), group), query, xlsx, csv, h('label.sf', all, h('span', '显示全部指标'))),
    out));

  let last = null;
  async function load() {
    clear(out).append(h('div.notice', '统计中…'));
    try {
      last = await get(`/api/stats?${params()}`);
      show(last);
    } catch (err) {
      clear(out).append(h('div.alert.alert-error', { role: 'alert' }, err.message));
    }
  }
  async function save(format) {
    try {
      const name = await download(`/api/stats?${params(format)}`, `stats.${format}`);
      toast(`已下载 ${name}`, 'success');
    } catch (err) { toast(err.message, 'error', 5000); }
  }

  function show(r) {
    const cols = all.checked ? r.columns : r.columns.filter((c) => KEY_COLUMNS.includes(c.key));
    const sec = r.sections[0];
    const cell = (row, c) => h('td.nowrap', { style: { textAlign: 'right' } }, fmtKind(row[c.key], c.kind));
    /* names on one line: cut with an ellipsis, the whole name as the title */
    const nameCell = (name) => h('td.name-col', { title: name }, name);
    const cmp = r.compare || {};
    const cmpCols = r.columns.filter((c) => ['received', 'accepted', 'concluded', 'overdue_done', 'ontime_rate', 'accept_rate', 'avg_wd_used'].includes(c.key));
    clear(out).append(
      h('div.muted', { style: { margin: '4px 0 10px' } }, `${r.period.label}（${r.period.from} 至 ${r.period.to}${r.period.partial ? '，截至今日' : ''}）· 范围：${r.scope} · 生成于 ${r.generated_at.replace('T', ' ').slice(0, 19)}`),
      h('div.table-wrap', h('table.table.table-freeze#stats-table',
        h('thead', h('tr', h('th.name-col', sec.group_name), cols.map((c) => h('th', { title: c.key }, c.name)))),
        h('tbody', sec.rows.map((row) => h('tr', nameCell(row.name || row.key), cols.map((c) => cell(row, c)))),
          h('tr.total', nameCell(sec.total.name || '合计'), cols.map((c) => cell(sec.total, c)))))),
      h('div.grid', { style: { marginTop: '16px', gridTemplateColumns: 'minmax(0,3fr) minmax(0,4fr)' } },
        h('div', h('h4', { style: { margin: '0 0 8px' } }, `环比（上期：${r.previous ? r.previous.label : '-'}）与同比（上年同期：${r.last_year ? r.last_year.label : '-'}）`),
          h('table.table#stats-compare', h('thead', h('tr', ['指标', '本期', '上期', '环比', '上年同期', '同比'].map((t) => h('th', t)))),
            h('tbody', cmpCols.map((c) => h('tr', h('td.nowrap', c.name), h('td', fmtKind(sec.total[c.key], c.kind)),
              h('td', fmtKind(cmp.previous && cmp.previous[c.key], c.kind)), h('td', fmtChange(cmp.mom && cmp.mom[c.key], c.kind)),
              h('td', fmtKind(cmp.last_year && cmp.last_year[c.key], c.kind)), h('td', fmtChange(cmp.yoy && cmp.yoy[c.key], c.kind))))))),
        h('div', h('h4', { style: { margin: '0 0 8px' } }, '全流程审批用时（按项目类型，省定目标）'),
          h('table.table#stats-projects', h('thead', h('tr', ['项目类型', '目标(工作日)', '完成项目', '达标', '达标率', '平均', 'P90', '最长'].map((t) => h('th', t)))),
            h('tbody', (r.projects || []).map((p) => h('tr', h('td.nowrap', p.name), h('td', p.target ?? '-'), h('td', fmtKind(p.projects, 'count')),
              h('td', fmtKind(p.within, 'count')), h('td', fmtKind(p.within_rate, 'rate')), h('td', fmtKind(p.avg_elapsed, 'days')),
              h('td', fmtKind(p.p90_elapsed, 'count')), h('td', fmtKind(p.max_elapsed, 'count')))))))));
  }
  await load();
}
