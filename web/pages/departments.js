/*
** departments.js: 部门管理. Everyone may read; the sysadmin adds, renames,
** moves (district, while the department has handled no case: the server's
** 409 shows under the field) and enables/disables departments (PATCH with
** name / district / active; disabling one
** with open cases or active accounts is confirmed with both counts). Above the list,
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
    exportName: '部门列表', exportSrc: '/api/departments',
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
      title: `编辑部门：${d.code}`, values: { ...d, district: d.district_code },
      fields: [
        { name: 'name', label: '部门名称', required: true },
        { name: 'district', label: '所属区划', type: 'select', required: true, options: () => districtOptions(2),
          hint: '部门尚未办理办件时可改；已有办件的部门按原区划统计和上报，不可修改' },
      ],
      submit: (v) => patch(`/api/departments/${encodeURIComponent(d.code)}`, v),
    });
    if (r) { forget(); toast('已保存', 'success'); list.reload(true); drawTree(); }
  }
  /* 停用: the server answers 409 (field confirm) with the department's open
     cases and active accounts; shown here, then resent with confirm. Its
     accounts are disabled with it; 启用 does not re-enable them. */
  async function toggle(d) {
    const path = `/api/departments/${encodeURIComponent(d.code)}`;
    try {
      let r;
      if (d.active) {
        try {
          r = await patch(path, { active: false });
        } catch (err) {
          if (err.status !== 409 || err.field !== 'confirm') throw err;
          const n = err.detail || {};
          const msg = `部门“${d.name}”有在办件 ${n.running_cases || 0} 件、启用账号 ${n.active_accounts || 0} 个。`
            + '停用部门将同时停用这些账号（已登录的立即退出），新的申报不能再选择该部门的事项；'
            + '在办件仍由原部门办理。以后重新启用部门不会自动恢复这些账号。确定停用吗？';
          if (!(await confirmBox(msg, { title: '停用部门', ok: '停用', kind: 'danger' }))) return;
          r = await patch(path, { active: false, confirm: true });
        }
        toast(r && r.disabled_accounts ? `部门已停用，同时停用账号 ${r.disabled_accounts} 个` : '部门已停用', 'success');
      } else {
        if (!(await confirmBox(`确定启用部门“${d.name}”吗？该部门已停用的账号不会自动恢复，需在用户管理中逐个启用。`))) return;
        r = await patch(path, { active: true });
        toast(r && r.accounts_stay_disabled ? '部门已启用；其账号仍为停用，请在用户管理中按需启用' : '部门已启用', 'success');
      }
      forget();
      list.reload(true);
      drawTree();
    } catch (err) { toast(err.message, 'error'); }
  }
}
