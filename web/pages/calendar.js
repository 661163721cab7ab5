/*
** calendar.js: 工作日历. The years the server computes deadlines with (the
** State Council's notices built in, or a loaded file), one year as twelve
** months (holidays, make-up working days, weekends), and — for the
** sysadmin — loading next year's notice as CSV (PUT /api/calendar/{year}
** {"csv"}); the server checks every line and names the bad one.
*/
import { get, put, names } from '../js/api.js';
import { h, clear, toast, fmtTime, today } from '../js/ui.js';
import { formDialog } from '../js/form.js';

const pad = (n) => String(n).padStart(2, '0');
const SOURCES = names('calendar.source');

export async function render(ctx) {
  const canEdit = ctx.hasRole('sysadmin');
  const years = await get('/api/calendar?page_size=200');
  const list = (years.items || []).sort((a, b) => a.year - b.year);
  const thisYear = Number(today().slice(0, 4));
  const want = Number(ctx.query.get('year')) || thisYear;
  const sel = h('select.input#cal-year', [...new Set([...list.map((y) => y.year), thisYear, thisYear + 1])].sort()
    .map((y) => h('option', { value: y, selected: y === want }, `${y} 年`)));
  const view = h('div#cal-view');
  const next = list.find((y) => y.year === thisYear + 1);
  ctx.el.append(...[
    !next ? h('div.alert.alert-warning', `${thisYear + 1} 年的节假日安排尚未加载：跨年的办结期限将按周一至周五暂算。国务院办公厅通知发布后（通常在 11 月）请及时导入。`) : null,
    h('div.card', h('div.card-title', '工作日历', h('span.extra', canEdit ? h('button.btn.btn-primary.btn-sm#cal-import', { type: 'button', on: { click: importYear } }, '导入年度安排') : null)),
      h('table.table#cal-years', h('thead', h('tr', ['年度', '来源', '行数', 'SHA-256', '导入时间', '导入人'].map((t) => h('th', t)))),
        h('tbody', list.map((y) => h('tr', h('td', h('a', { href: `#/system/calendar?year=${y.year}` }, `${y.year} 年`)), h('td', SOURCES[y.source] || y.source),
          h('td', y.rows ?? '-'), h('td.mono', y.sha256 ? `${y.sha256.slice(0, 12)}…` : '-'), h('td', fmtTime(y.loaded_at) || '-'), h('td', y.loaded_by || '-')))))),
    h('div.card', h('div.toolbar', h('span', '查看年度'), sel), view)].filter(Boolean));
  sel.addEventListener('change', () => show(Number(sel.value)));
  await show(want);

  async function show(year) {
    clear(view).append(h('div.muted', '加载中…'));
    const y = await get(`/api/calendar/${year}`);
    const special = Object.fromEntries((y.days || []).map((d) => [d.date, d]));
    const months = [];
    for (let m = 1; m <= 12; m++) {
      const first = new Date(Date.UTC(year, m - 1, 1));
      const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
      const cells = [];
      for (let i = 0; i < (first.getUTCDay() + 6) % 7; i++) cells.push(h('span.cal-d'));
      for (let d = 1; d <= days; d++) {
        const date = `${year}-${pad(m)}-${pad(d)}`;
        const wd = new Date(Date.UTC(year, m - 1, d)).getUTCDay();
        const sp = special[date];
        const cls = sp ? (sp.kind === 'holiday' ? 'hol' : 'mk') : wd === 0 || wd === 6 ? 'we' : '';
        cells.push(h(`span.cal-d${cls ? '.' + cls : ''}`, { title: sp ? `${date} ${sp.name}（${sp.kind === 'holiday' ? '放假' : '调休上班'}）` : date }, String(d)));
      }
      months.push(h('div.cal-m', h('div.cal-t', `${m} 月`), h('div.cal-g', ['一', '二', '三', '四', '五', '六', '日'].map((w) => h('span.cal-w', w)), cells)));
    }
    clear(view).append(...[
      h('div.kv', { style: { marginBottom: '12px' } },
        h('div', h('div.k', '年度'), h('div.v', `${year}`)), h('div', h('div.k', '工作日'), h('div.v', String(y.workdays ?? '-'))),
        h('div', h('div.k', '来源'), h('div.v', { style: { fontSize: '14px' } }, SOURCES[y.source] || y.source)),
        h('div', h('div.k', '图例'), h('div', h('span.cal-d.hol.legend', '休'), ' 法定节假日 ', h('span.cal-d.mk.legend', '班'), ' 调休上班 ', h('span.cal-d.we.legend', '末'), ' 周末'))),
      y.provisional ? h('div.alert.alert-warning', '该年度尚无国务院节假日安排，按周一至周五暂算。') : null,
      h('div.cal-year', months)].filter(Boolean));
  }

  async function importYear() {
    const r = await formDialog({
      title: '导入年度节假日安排', wide: true,
      intro: h('div.alert.alert-info', '按国务院办公厅通知逐行填写：date,kind,name。kind 为 holiday（放假）或 workday（周末调休上班）。导入后立即用于期限计算，并记入审计日志。'),
      values: { year: String(thisYear + 1), csv: 'date,kind,name\n' },
      fields: [
        { name: 'year', label: '年度', required: true },
        { name: 'csv', label: 'CSV 内容', type: 'textarea', rows: 12, required: true, errorFields: ['calendar'] },
      ],
      submit: (v) => put(`/api/calendar/${encodeURIComponent(v.year)}`, { csv: v.csv.endsWith('\n') ? v.csv : `${v.csv}\n` }),
    });
    if (r) {
      toast(`${r.year} 年已导入 ${r.rows} 行`, 'success');
      ctx.navigate(`/system/calendar?year=${r.year}`);
    }
  }
}
