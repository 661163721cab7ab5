/*
** districts.js: 行政区划 (GB/T 2260 codes). Everyone may read; the sysadmin
** adds and renames districts and enables/disables them.
*/
import { get, post, patch } from '../js/api.js';
import { h, toast, confirmBox } from '../js/ui.js';
import { formDialog } from '../js/form.js';
import { listPage } from '../js/table.js';
import { districtOptions, forget } from '../js/org.js';

const LEVELS = { 1: '省', 2: '市', 3: '区县' };

export async function render(ctx) {
  const canEdit = ctx.hasRole('sysadmin');
  ctx.el.append(h('div.card', h('div#district-list')));
  const list = listPage(ctx.el.querySelector('#district-list'), {
    exportName: '行政区划', exportSrc: '/api/districts',
    toolbar: [{ label: '＋ 新增区划', kind: 'primary', show: canEdit, onClick: () => create() }],
    columns: [
      { key: 'code', title: '区划代码' },
      { key: 'name', title: '名称' },
      { key: 'level', title: '级别', text: (d) => LEVELS[d.level] || String(d.level ?? '') },
      { key: 'parent_code', title: '上级代码' },
      { key: 'active', title: '状态', render: (d) => (d.active ? h('span.tag.green', '正常') : h('span.tag.gray', '停用')), text: (d) => (d.active ? '正常' : '停用') },
      ...(canEdit ? [{ title: '操作', cls: 'ops', export: false, render: (d) => [
        h('button.btn-link', { type: 'button', on: { click: () => rename(d) } }, '编辑'),
        h('button.btn-link', { type: 'button', class: d.active ? 'danger' : '', on: { click: () => toggle(d) } }, d.active ? '停用' : '启用'),
      ] }] : []),
    ],
    load: (p) => get(`/api/districts?${new URLSearchParams(p)}`),
  });

  async function create() {
    const r = await formDialog({
      title: '新增行政区划',
      fields: [
        { name: 'code', label: '区划代码', required: true, placeholder: '6 位数字', hint: 'GB/T 2260 行政区划代码' },
        { name: 'name', label: '名称', required: true },
        { name: 'parent_code', label: '上级区划', type: 'select', options: () => districtOptions(1) },
      ],
      submit: (v) => post('/api/districts', v),
    });
    if (r) { forget(); toast('已创建', 'success'); list.reload(true); }
  }
  async function rename(d) {
    const r = await formDialog({
      title: `编辑区划：${d.code}`, values: d,
      fields: [{ name: 'name', label: '名称', required: true }],
      submit: (v) => patch(`/api/districts/${d.code}`, v),
    });
    if (r) { forget(); toast('已保存', 'success'); list.reload(true); }
  }
  async function toggle(d) {
    if (!(await confirmBox(`确定${d.active ? '停用' : '启用'}“${d.name}”吗？`, { kind: d.active ? 'danger' : 'primary' }))) return;
    try {
      await patch(`/api/districts/${d.code}`, { active: !d.active });
      forget();
      list.reload(true);
    } catch (err) { toast(err.message, 'error'); }
  }
}
