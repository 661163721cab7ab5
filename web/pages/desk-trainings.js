/*
** desk-trainings.js: 培训服务 — training sessions (date, topic, trainer,
** hours, materials, feedback score, attendees) and the 技术骨干 with what
** they completed.
*/
import { get, post } from '../js/api.js';
import { h, clear, toast } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { formDialog } from '../js/form.js';

export async function render(ctx) {
  const isOps = ctx.hasRole('ops');
  const box = h('div#training-list');
  const bb = h('div#backbone-list');
  ctx.el.append(h('div.card', h('div.card-title', '培训记录'), box),
    h('div.card', h('div.card-title', '技术骨干', isOps ? h('span.extra', h('button.btn.btn-sm#backbone-add', { type: 'button', on: { click: addBackbone } }, '设为技术骨干')) : null), bb));
  const list = listPage(box, {
    exportName: '培训记录', exportSrc: '/api/desk/trainings',
    toolbar: [{ label: '登记培训', kind: 'primary', show: isOps, onClick: async () => {
      const r = await formDialog({ title: '登记培训', grid: true, wide: true, fields: [
        { name: 'day', label: '日期', type: 'date', required: true },
        { name: 'topic', label: '主题', required: true },
        { name: 'trainer', label: '讲师', required: true },
        { name: 'hours', label: '课时', type: 'number', step: '0.5', required: true },
        { name: 'feedback', label: '反馈评分（1-5）', type: 'number', step: '0.1' },
        { name: 'attendees', label: '学员账号（逗号分隔）', span2: true },
        { name: 'materials', label: '培训材料', type: 'textarea', span2: true }],
      submit: (v) => post('/api/desk/trainings', { ...v, attendees: (v.attendees || '').split(/[,，\s]+/).filter(Boolean) }) });
      if (r) { toast('已登记', 'success'); list.reload(); }
    } }],
    columns: [
      { key: 'day', title: '日期' }, { key: 'topic', title: '主题' }, { key: 'trainer', title: '讲师' },
      { key: 'hours', title: '课时' }, { key: 'feedback', title: '评分' }, { key: 'attendees', title: '学员' },
    ],
    load: (p) => get(`/api/desk/trainings?${new URLSearchParams(p)}`),
  });

  async function loadBackbones() {
    const r = await get('/api/desk/backbones');
    clear(bb).append(h('table.table', h('thead', h('tr', ['账号', '姓名', '说明', '完成的培训', '课时'].map((x) => h('th', x)))),
      h('tbody', r.items.map((b) => h('tr', h('td', b.username), h('td', b.display_name), h('td', b.note),
        h('td', b.completed), h('td', String(b.hours)))))));
  }
  async function addBackbone() {
    if (await formDialog({ title: '设为技术骨干', fields: [
      { name: 'username', label: '账号', required: true }, { name: 'note', label: '说明' }],
    submit: (v) => post('/api/desk/backbones', { ...v, on: true }) })) loadBackbones();
  }
  await loadBackbones();
}
