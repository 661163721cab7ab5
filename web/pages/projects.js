/*
** projects.js: 项目管理 list (GET /api/projects with q, flow_type, division),
** within the caller's data scope; clerks and heads register projects, heads
** delete one nobody handles yet (409 otherwise, with the server's reason).
*/
import { get, del } from '../js/api.js';
import { h, toast, confirmBox, fmtNum, fmtTime } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { FLOW_TYPES, flowTypeOptions } from '../js/catalog-common.js';
import { divisionOptions, builderOf } from '../js/project-common.js';

export async function render(ctx) {
  const canWrite = ctx.hasRole('clerk', 'head');
  ctx.el.append(h('div.card', h('div#project-list')));
  const list = listPage(ctx.el.querySelector('#project-list'), {
    exportName: '项目列表',
    initial: { q: ctx.query.get('q') || '' },
    filters: [
      { name: 'q', label: '项目', placeholder: '名称或项目代码', width: '200px' },
      { name: 'flow_type', label: '流程类型', type: 'select', options: flowTypeOptions() },
      { name: 'division', label: '所在地', type: 'select', options: divisionOptions },
    ],
    toolbar: [{ label: '＋ 登记项目', kind: 'primary', show: ctx.hasRole('clerk', 'head'), onClick: () => ctx.navigate('/projects/new') }],
    columns: [
      { key: 'code', title: '投资项目代码', cls: 'nowrap', render: (p) => h('a', { href: `#/projects/${p.id}` }, p.code), text: (p) => p.code },
      { key: 'name', title: '项目名称' },
      { key: 'flow_type', title: '流程类型', text: (p) => p.flow_type_name || FLOW_TYPES[p.flow_type] || '' },
      { key: 'division', title: '所在地', cls: 'nowrap', text: (p) => p.division_name || p.division },
      { key: 'investment_wan', title: '总投资（万元）', text: (p) => fmtNum(p.investment_wan) },
      { key: 'builder', title: '建设单位', text: builderOf },
      { key: 'planned', title: '计划工期', cls: 'nowrap', text: (p) => `${p.planned_start} 至 ${p.planned_finish}` },
      { key: 'created_at', title: '登记时间', cls: 'nowrap', text: (p) => fmtTime(p.created_at).slice(0, 16) },
      { title: '操作', cls: 'ops', export: false, render: (p) => [
        h('a', { href: `#/projects/${p.id}` }, '详情'), ' ',
        canWrite ? h('a', { href: `#/projects/${p.id}/edit` }, '编辑') : null, ' ',
        ctx.hasRole('clerk') ? h('a', { href: `#/projects/${p.id}/apply` }, '阶段申报') : null, ' ',
        ctx.hasRole('head') ? h('button.btn-link.danger', { type: 'button', on: { click: () => remove(p) } }, '删除') : null,
      ] },
    ],
    load: (p) => get(`/api/projects?${new URLSearchParams(p)}`),
    exportUrl: (p, format) => `/api/projects/export?${new URLSearchParams({ ...p, format })}`,
  });

  async function remove(p) {
    if (!(await confirmBox(`确定删除项目“${p.name}”吗？已有部门办理事项的项目不能删除。`, { kind: 'danger', ok: '删除' }))) return;
    try {
      await del(`/api/projects/${p.id}`);
      toast('项目已删除', 'success');
      list.reload(true);
    } catch (err) { toast(err.message, 'error', 5000); }
  }
}
