/*
** cases.js: 办件管理 list: GET /api/cases with the lifecycle API's filters
** (district, department, item, stage, status, light, received from/to, q
** for project name or code) and sorting, in the caller's data scope.
*/
import { get, nameOptions } from '../js/api.js';
import { h } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { departmentOptions } from '../js/org.js';
import { divisionOptions } from '../js/project-common.js';
import { CASE_COLUMNS, statusOptions, stageOptions, lightOptions } from '../js/cases-common.js';

let itemOpts = null;
async function itemOptions() {
  if (!itemOpts) {
    itemOpts = get('/api/catalog/items?page_size=200').then((r) => (r.items || []).map((i) => ({ value: i.code, label: `${i.name}` })))
      .catch((e) => { itemOpts = null; throw e; });
  }
  return itemOpts;
}


export async function render(ctx) {
  const initial = {};
  for (const k of ['q', 'district', 'department', 'item', 'stage', 'status', 'light', 'from', 'to', 'sort']) {
    const v = ctx.query.get(k);
    if (v) initial[k] = v;
  }
  ctx.el.append(h('div.card', h('div#case-list')));
  listPage(ctx.el.querySelector('#case-list'), {
    exportName: '办件列表',
    initial,
    filters: [
      { name: 'q', label: '项目', placeholder: '项目名称或代码' },
      { name: 'district', label: '区县', type: 'select', options: divisionOptions },
      { name: 'department', label: '部门', type: 'select', options: departmentOptions },
      { name: 'item', label: '事项', type: 'select', options: itemOptions },
      { name: 'stage', label: '阶段', type: 'select', options: stageOptions() },
      { name: 'status', label: '状态', type: 'select', options: statusOptions() },
      { name: 'light', label: '预警', type: 'select', options: lightOptions() },
      { name: 'from', label: '接件日期', type: 'date' },
      { name: 'to', label: '至', type: 'date' },
      { name: 'sort', label: '排序', type: 'select', options: nameOptions('approval.case_sort'), all: '默认' },
    ],
    columns: [...CASE_COLUMNS, { title: '操作', export: false, render: (c) => h('a', { href: `#/cases/${c.id}` }, '查看') }],
    load: (p) => get(`/api/cases?${new URLSearchParams(p)}`),
    exportUrl: (p, format) => `/api/cases/export?${new URLSearchParams({ ...p, format })}`,
  });
}
