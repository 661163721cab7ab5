/*
** archive.js: 运维档案. Every maintenance event, newest first: software
** versions and upgrades, configuration changes, catalogue and calendar
** imports, account changes (a summary per day), backups, restores, drills,
** and the incidents, requests and repairs of the modules that report them.
** Kinds and their names come from the server's dictionary (archive.kind);
** the export is the server's XLSX of the whole range.
*/
import { get, dict, download, qs } from '../js/api.js';
import { h, fmtTime, toast } from '../js/ui.js';
import { listPage } from '../js/table.js';

export async function render(ctx) {
  const kinds = await dict('archive.kind');
  const box = h('div#archive-list');
  ctx.el.append(h('div.card',
    h('div.card-title', '运维档案'),
    h('p.muted', '系统自动记录的维护事件：软件版本与升级、配置变更、事项目录、工作日历、组织与账号、备份恢复与演练，以及故障、需求和数据修复。默认显示最近 31 天，最长可查 400 天。'),
    box));
  listPage(box, {
    filters: [
      { name: 'kind', label: '类别', type: 'select', options: kinds.map((k) => ({ value: k.code, label: k.label })) },
      { name: 'from', label: '起始日期', type: 'date' },
      { name: 'to', label: '结束日期', type: 'date' },
    ],
    toolbar: [{ label: '导出 Excel', kind: 'warning', onClick: (api) => exportXlsx(api.state.filters) }],
    columns: [
      { key: 'at', title: '时间', cls: 'nowrap', text: (r) => fmtTime(r.at) },
      { key: 'kind_label', title: '类别', cls: 'nowrap' },
      { key: 'title', title: '事项' },
      { key: 'detail', title: '详情' },
      { key: 'actor', title: '操作人', cls: 'nowrap' },
    ],
    load: (p) => get(`/api/archive?${new URLSearchParams(p)}`),
  });

  async function exportXlsx(filters) {
    try {
      const name = await download(`/api/archive/export${qs(filters)}`, '运维档案.xlsx');
      toast(`已导出 ${name}`, 'success');
    } catch (e) {
      toast(e.message, 'error');
    }
  }
}
