/*
** ops-exchange.js: 数据上报 (前置库 exchange). Rows per SPGL table and state
** (待上报 / 已上报待反馈 / 已入库 / 被退回), the province's current rejections
** with reason, department and a link to the project or 办件, the history of
** push and pull runs, and 立即上报 (POST /api/exchange/push). Every name
** shown comes from the dictionaries (GET /api/dict, exchange.*).
*/
import { get, dict } from '../js/api.js';
import { h, clear, toast, fmtTime, emptyNotice } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { runJob } from '../js/ops-common.js';

const CASE_TABLES = ['SPGL_XMSPSXBLXXB', 'SPGL_XMSPSXBLXXXXB', 'SPGL_XMSPSXBLTBCXXXB', 'SPGL_XMSPSXPFWJXXB',
  'SPGL_XMQTFJXXB', 'SPGL_XMSQCLJQTFJXXB'];

function names(entries) {
  return Object.fromEntries(entries.map((e) => [e.code, e.label]));
}

/* The page the object of a row opens: a 办件 by its number, else a project by its code. */
function objectLink(r) {
  if (!r.object) return '';
  if (r.table === 'SPGL_XMJBXXB' || r.table === 'SPGL_XMDWXXB') return h('a', { href: `#/projects?q=${encodeURIComponent(r.object)}` }, r.object);
  if (CASE_TABLES.includes(r.table)) return h('a', { href: `#/cases?q=${encodeURIComponent(r.object)}` }, r.object);
  return r.object;
}

export async function render(ctx) {
  const [tables, states, kinds, runStates, triggers] = (await Promise.all(['exchange.table', 'exchange.state',
    'exchange.run_kind', 'exchange.run_state', 'exchange.trigger'].map(dict))).map(names);
  const pushBtn = h('button.btn.btn-primary#exchange-push', { type: 'button', on: { click: push } }, '立即上报');
  const summary = h('div#exchange-summary');
  const rejected = h('div#exchange-rejected');
  const runs = h('div#exchange-runs');
  ctx.el.append(
    h('div.card', h('div.card-title', '前置库数据上报', h('span.extra', pushBtn)),
      h('p.muted', '按国家工改数据共享交换标准，将流程、项目、单位、办件、办理过程、特别程序与批复文件写入省前置库；省级校验后回写入库或退回原因。'),
      summary),
    h('div.card', h('div.card-title', '省级退回（未纠正）'), rejected),
    h('div.card', h('div.card-title', '上报记录'), runs));

  async function load() {
    const s = await get('/api/exchange');
    const head = h('tr', h('th', '数据表'), h('th', '表名'), ...['pending', 'sent', 'accepted', 'rejected'].map((k) => h('th.num', states[k] || k)));
    clear(summary).append(...[
      s.enabled ? null : h('div.alert.alert-warning', '未配置前置库（gonggai.ini [exchange] target），数据上报未开启。'),
      h('div.kv', h('div', h('div.k', '最近上报'), h('div.v', s.last_push ? fmtTime(Date.parse(s.last_push) / 1000) : '从未')),
        h('div', h('div.k', '最近读取反馈'), h('div.v', s.last_pull ? fmtTime(Date.parse(s.last_pull) / 1000) : '从未')),
        h('div', h('div.k', '上报周期'), h('div.v', `${s.interval_minutes} 分钟`))),
      h('table.table#exchange-tables', h('thead', head), h('tbody', s.tables.map((t) => h('tr', { dataset: { table: t.table } },
        h('td', tables[t.table] || t.table), h('td.mono', t.table),
        h('td.num', String(t.pending)), h('td.num', String(t.sent)), h('td.num', String(t.accepted)),
        h('td.num', t.rejected ? h('span.tag.red', String(t.rejected)) : '0')))))].filter(Boolean));
    clear(rejected).append(s.rejected.length ? h('table.table#exchange-rejections',
      h('thead', h('tr', h('th', '数据表'), h('th', '对象'), h('th', '部门'), h('th', '退回原因'), h('th', '获知时间'))),
      h('tbody', s.rejected.map((r) => h('tr', h('td', tables[r.table] || r.table), h('td', objectLink(r)),
        h('td.mono', r.department || '-'), h('td', r.reason || ''), h('td.nowrap', r.since ? fmtTime(Date.parse(r.since) / 1000) : '')))))
      : emptyNotice('没有未纠正的退回'));
    pushBtn.disabled = !s.enabled;
  }

  const list = listPage(runs, {
    exportName: '上报记录', exportSrc: '/api/exchange/runs',
    columns: [
      { key: 'id', title: '编号' },
      { key: 'kind', title: '类型', dict: 'exchange.run_kind', text: (r) => kinds[r.kind] || r.kind },
      { key: 'trigger', title: '触发', dict: 'exchange.trigger', text: (r) => triggers[r.trigger] || r.trigger },
      { key: 'started_at', title: '时间', cls: 'nowrap', text: (r) => fmtTime(r.started_at), exportType: 'time' },
      { key: 'state', title: '执行', dict: 'exchange.run_state', text: (r) => runStates[r.state] || r.state },
      { key: 'rows', title: '行数' },
      { key: 'message', title: '说明' },
    ],
    load: (p) => get(`/api/exchange/runs?${new URLSearchParams(p)}`),
  });

  async function push() {
    pushBtn.disabled = true;
    try {
      await runJob('/api/exchange/push');
      toast('上报完成', 'success');
    } catch (err) {
      toast(err.message, 'error', 5000);
    } finally {
      await load().catch(() => {});
      list.reload(true);
    }
  }
  await load();
}
