/*
** ops-backups.js: 备份与演练. Backup records (path, size, SHA-256,
** integrity, retention), 立即备份, and the restore drill (恢复演练: the newest
** backup restored into a scratch file, integrity, audit chain and row counts
** against the live database), with the drill history.
*/
import { get } from '../js/api.js';
import { h, clear, toast, dialog, fmtTime, fmtBytes } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { statusTag, JOB_STATES, runJob } from '../js/ops-common.js';

export async function render(ctx) {
  const backupBtn = h('button.btn.btn-primary#backup-now', { type: 'button', on: { click: () => job(backupBtn, '/api/backups', '备份') } }, '立即备份');
  const drillBtn = h('button.btn.btn-warning#drill-now', { type: 'button', on: { click: () => job(drillBtn, '/api/backups/drill', '恢复演练') } }, '恢复演练');
  const list = h('div#backup-list');
  const drills = h('div#drill-list');
  ctx.el.append(
    h('div.card', h('div.card-title', '数据库备份', h('span.extra', backupBtn, ' ', drillBtn)),
      h('p.muted', '在线备份使用 SQLite 备份接口，服务不中断；备份后对副本做完整性检查并记录 SHA-256。夜间自动备份，按保留策略清理。'), list),
    h('div.card', h('div.card-title', '恢复演练记录'), drills));
  const backups = listPage(list, {
    exportName: '备份记录', exportSrc: '/api/backups',
    columns: [
      { key: 'id', title: '编号' },
      { key: 'created_at', title: '时间', cls: 'nowrap', text: (b) => fmtTime(b.created_at), exportType: 'time' },
      { key: 'path', title: '文件', cls: 'mono' },
      { key: 'size_bytes', title: '大小', cls: 'nowrap', text: (b) => fmtBytes(b.size_bytes) },
      { key: 'integrity', title: '完整性', render: (b) => h(`span.tag.${b.integrity === 'ok' ? 'green' : 'red'}`, b.integrity === 'ok' ? '通过' : b.integrity), text: (b) => b.integrity },
      { key: 'sha256', title: 'SHA-256', render: (b) => h('span.mono', { title: b.sha256 }, `${(b.sha256 || '').slice(0, 12)}…`), text: (b) => b.sha256 },
      { key: 'copy_ms', title: '复制耗时', cls: 'nowrap', text: (b) => (b.copy_ms !== null && b.copy_ms !== undefined ? `${Number(b.copy_ms).toFixed(0)} ms` : '') },
      { key: 'removed_at', title: '保留', render: (b) => (b.removed_at ? h('span.tag.gray', `已清理 ${b.removed_reason || ''}`) : h('span.tag.green', '保留中')), text: (b) => (b.removed_at ? `已清理 ${b.removed_reason || ''}` : '保留中') },
    ],
    load: (p) => get(`/api/backups?${new URLSearchParams(p)}`),
  });
  const drillList = listPage(drills, {
    exportName: '恢复演练记录',
    columns: [
      { key: 'id', title: '编号' },
      { key: 'trigger', title: '触发' },
      { key: 'started_at', title: '时间', cls: 'nowrap', text: (r) => fmtTime(r.started_at) },
      { key: 'state', title: '执行', text: (r) => JOB_STATES[r.state] || r.state },
      { key: 'status', title: '结果', render: (r) => statusTag(r.status), text: (r) => r.status },
      { key: 'message', title: '摘要' },
      { title: '操作', export: false, render: (r) => h('button.btn-link', { type: 'button', on: { click: () => showDrill(r) } }, '明细') },
    ],
    load: (p) => get(`/api/ops/runs?${new URLSearchParams({ ...p, job: 'drill' })}`),
  });

  async function job(btn, path, label) {
    btn.disabled = true;
    const old = btn.textContent;
    btn.textContent = `${label}中…`;
    try {
      const r = await runJob(path);
      toast(r.message || `${label}完成`, r.status === 'OK' ? 'success' : 'warning', 6000);
      backups.reload(true);
      drillList.reload(true);
      if (path.endsWith('/drill')) showDrill(r);
    } catch (err) {
      toast(err.message, 'error', 6000);
    } finally {
      btn.disabled = false;
      btn.textContent = old;
    }
  }
}

function showDrill(r) {
  const d = r.details || {};
  const tables = d.tables || [];
  dialog({
    title: `恢复演练 #${r.id || r.run_id}`, wide: true,
    body: [
      h('div.alert', { class: d.ok ? 'alert-success' : 'alert-error' }, r.message || d.message || ''),
      h('div.desc',
        h('div.k', '备份文件'), h('div.mono', (d.backup && d.backup.path) || '-'), h('div.k', 'SHA-256 核对'), h('div', d.sha256_ok ? '一致' : '不一致'),
        h('div.k', '完整性'), h('div', d.integrity || '-'), h('div.k', '审计链'), h('div', d.audit_chain ? `${d.audit_chain.records} 条${d.audit_chain.bad_id ? `，第 ${d.audit_chain.bad_id} 条异常` : '，完整'}` : '-'),
        h('div.k', '恢复耗时'), h('div', d.restore_ms !== undefined ? `${Number(d.restore_ms).toFixed(0)} ms` : '-'), h('div.k', '缺失的表'), h('div', (d.missing_tables || []).join('、') || '无')),
      tables.length ? h('table.table', { style: { marginTop: '10px' } },
        h('thead', h('tr', ['表', '备份行数', '当前行数', '差异'].map((t) => h('th', t)))),
        h('tbody', tables.map((t) => h('tr', h('td.mono', t.table), h('td', t.backup), h('td', t.live), h('td', t.delta ? h('span.tag.yellow', `+${t.delta}`) : '0'))))) : null,
    ],
    buttons: [{ label: '关闭' }],
  });
}
