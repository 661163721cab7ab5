/*
** departments.js: 部门管理. Everyone may read; the sysadmin adds, renames and
** enables/disables departments (PATCH with name / active). Above the list,
** the departments as a tree under their districts (province → city →
** districts), each with its count; clicking a district filters the list.
*/
import { get, post, patch } from '../js/api.js';
import { h, toast, confirmBox } from '../js/ui.js';
import { formDialog } from '../js/form.js';
import { listPage } from '../js/table.js';
import { districtOptions, forget, districts, departments } from '../js/org.js';

/* Districts as a tree (parent_code), each node with its departments. */
async function tree(onPick) {
  const [dists, deps] = await Promise.all([districts(), departments()]);
  const kids = {};
  for (const d of dists) (kids[d.parent_code || ''] ||= []).push(d);
  const under = {};
  for (const d of deps) (under[d.district_code] ||= []).push(d);
  const node = (d) => {
    const own = under[d.code] || [];
    const sub = kids[d.code] || [];
    return h('li', { dataset: { district: d.code } },
      h('details', { open: (d.level || 3) <= 2 },
        h('summary', h('button.btn-link', { type: 'button', on: { click: (ev) => { ev.preventDefault(); onPick(d.code); } } }, d.name),
          h('span.muted', `（${d.code}，${own.length} 个部门）`), d.active === 0 || d.active === false ? h('span.tag.gray', '停用') : null),
        own.length ? h('ul', own.map((x) => h('li', { dataset: { department: x.code } }, x.name, ' ', h('span.muted.mono', x.code),
          x.active === 0 || x.active === false ? h('span.tag.gray', '停用') : null))) : null,
        sub.length ? h('ul', sub.map(node)) : null));
  };
  return h('ul.org-tree#dept-tree', { style: { listStyle: 'none', paddingLeft: '0' } }, (kids[''] || []).map(node));
}

export async function render(ctx) {
  const canEdit = ctx.hasRole('sysadmin');
  const treeBox = h('div');
  ctx.el.append(h('div.card', h('div.card-title', '按行政区划'), treeBox), h('div.card', h('div#dept-list')));
  const pick = (code) => {
    const sel = ctx.el.querySelector('#dept-list select[name=district]');
    if (sel) { sel.value = code; sel.closest('form').requestSubmit(); }
  };
  const drawTree = async () => { treeBox.replaceChildren(await tree(pick)); };
  const list = listPage(ctx.el.querySelector('#dept-list'), {
    exportName: '部门列表',
    filters: [{ name: 'district', label: '行政区划', type: 'select', options: () => districtOptions(2) }],
    toolbar: [{ label: '＋ 新增部门', kind: 'primary', show: canEdit, onClick: () => create() }],
    columns: [
      { key: 'code', title: '部门编码' },
      { key: 'name', title: '部门名称' },
      { key: 'district_name', title: '所属区划', text: (d) => `${d.district_name || ''}（${d.district_code}）` },
      { key: 'active', title: '状态', render: (d) => (d.active ? h('span.tag.green', '正常') : h('span.tag.gray', '停用')), text: (d) => (d.active ? '正常' : '停用') },
      ...(canEdit ? [{ title: '操作', cls: 'ops', export: false, render: (d) => [
        h('button.btn-link', { type: 'button', on: { click: () => rename(d) } }, '编辑'),
        h('button.btn-link', { type: 'button', class: d.active ? 'danger' : '', on: { click: () => toggle(d) } }, d.active ? '停用' : '启用'),
      ] }] : []),
    ],
    load: (p) => get(`/api/departments?${new URLSearchParams(p)}`),
  });
  await drawTree();

  async function create() {
    const r = await formDialog({
      title: '新增部门',
      fields: [
        { name: 'code', label: '部门编码', required: true, placeholder: '如 610202-FGW', hint: '3-40 位，建议“区划代码-部门简称”' },
        { name: 'name', label: '部门名称', required: true },
        { name: 'district', label: '所属区划', type: 'select', required: true, options: () => districtOptions(2) },
      ],
      submit: (v) => post('/api/departments', v),
    });
    if (r) { forget(); toast('部门已创建', 'success'); list.reload(true); drawTree(); }
  }
  async function rename(d) {
    const r = await formDialog({
      title: `编辑部门：${d.code}`, values: d,
      fields: [{ name: 'name', label: '部门名称', required: true }],
      submit: (v) => patch(`/api/departments/${encodeURIComponent(d.code)}`, v),
    });
    if (r) { forget(); toast('已保存', 'success'); list.reload(true); drawTree(); }
  }
  async function toggle(d) {
    if (!(await confirmBox(`确定${d.active ? '停用' : '启用'}部门“${d.name}”吗？`, { kind: d.active ? 'danger' : 'primary' }))) return;
    try {
      await patch(`/api/departments/${encodeURIComponent(d.code)}`, { active: !d.active });
      forget();
      list.reload(true);
      drawTree();
    } catch (err) { toast(err.message, 'error'); }
  }
}
