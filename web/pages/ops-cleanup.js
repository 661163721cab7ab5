/*
** ops-cleanup.js: 日志清理. Rotate the application log and remove log and
** temp files past their retention (never audit rows): a dry run first shows
** what would go, then the real run; with the history of cleanup runs.
*/
import { get } from '../js/api.js';
import { h, clear, toast, confirmBox, fmtTime, fmtBytes } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { statusTag, JOB_STATES, runJob } from '../js/ops-common.js';

export async function render(ctx) {
  const result = h('div#cleanup-result');
  const dry = h('button.btn#cleanup-dry', { type: 'button', on: { click: () => go(true) } }, '预览（演习）');
  const real = h('button.btn.btn-danger#cleanup-run', { type: 'button', on: { click: () => go(false) } }, '执行清理');
  const hist = h('div#cleanup-list');
  ctx.el.append(
    h('div.card', h('div.card-title', '日志与临时文件清理', h('span.extra', dry, ' ', real)),
      h('p.muted', '按保留期限轮转应用日志、删除过期的日志和临时文件；审计日志永不删除。调度器每天自动执行一次。'), result),
    h('div.card', h('div.card-title', '清理记录'), hist));
  const list = listPage(hist, {
    exportName: '清理记录',
    columns: [
      { key: 'id', title: '编号' },
      { key: 'trigger', title: '触发' },
      { key: 'started_at', title: '时间', cls: 'nowrap', text: (r) => fmtTime(r.started_at) },
      { key: 'state', title: '执行', text: (r) => JOB_STATES[r.state] || r.state },
      { key: 'status', title: '结果', render: (r) => statusTag(r.status), text: (r) => r.status },
      { key: 'dry_run', title: '方式', text: (r) => (r.details && r.details.dry_run ? '演习' : '执行') },
      { key: 'message', title: '摘要' },
    ],
    load: (p) => get(`/api/ops/runs?${new URLSearchParams({ ...p, job: 'cleanup' })}`),
  });

  async function go(dryRun) {
    if (!dryRun && !(await confirmBox('确定执行清理吗？过期的日志和临时文件将被删除（审计日志不受影响）。', { kind: 'danger', ok: '执行' }))) return;
    const btn = dryRun ? dry : real;
    btn.disabled = true;
    try {
      const r = await runJob('/api/cleanup', { dry_run: dryRun });
      const d = r.details || {};
      clear(result).append(...[
        h('div.alert', { class: r.status === 'OK' ? 'alert-success' : 'alert-warning' }, r.message || ''),
        h('div.kv', h('div', h('div.k', '文件数'), h('div.v', String((d.removed || []).length))),
          h('div', h('div.k', '释放空间'), h('div.v', fmtBytes(d.freed_bytes || 0))),
          h('div', h('div.k', '清理的巡检结果'), h('div.v', String(d.pruned_results ?? 0))),
          h('div', h('div.k', '日志轮转'), h('div.v', { style: { fontSize: '14px' } }, d.rotated ? String(d.rotated) : '无'))),
        (d.removed || []).length ? h('table.table', { style: { marginTop: '10px' } }, h('thead', h('tr', h('th', '文件'), h('th', '大小'))),
          h('tbody', d.removed.map((f) => h('tr', h('td.mono', f.path || String(f)), h('td', f.size_bytes !== undefined ? fmtBytes(f.size_bytes) : ''))))) : null].filter(Boolean));
      toast(dryRun ? '演习完成' : '清理完成', 'success');
      list.reload(true);
    } catch (err) {
      toast(err.message, 'error', 5000);
    } finally {
      btn.disabled = false;
    }
  }
}
