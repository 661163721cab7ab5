/*
** desk-trainings.js: 培训服务 — training sessions (date, topic, trainer,
** hours, materials, feedback score, attendees) with their 培训资料 as
** attachments (ops upload PDF, slides, documents: typed by content on the
** server, downloaded as attachments), and the 技术骨干 with what they
** completed.
*/
import { get, post, upload } from '../js/api.js';
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
        { name: 'materials', label: '培训材料说明', type: 'textarea', span2: true, hint: '资料文件在登记后于列表中“上传资料”' }],
      submit: (v) => post('/api/desk/trainings', { ...v, attendees: (v.attendees || '').split(/[,，\s]+/).filter(Boolean) }) });
      if (r) { toast('已登记', 'success'); list.reload(); }
    } }],
    columns: [
      { key: 'day', title: '日期' }, { key: 'topic', title: '主题' }, { key: 'trainer', title: '讲师' },
      { key: 'hours', title: '课时' }, { key: 'feedback', title: '评分' }, { key: 'attendees', title: '学员' },
      { key: 'files', title: '资料', exportKey: 'files', render: filesCell, text: (t) => (t.files || []).map((f) => f.name).join('、') },
    ],
    load: (p) => get(`/api/desk/trainings?${new URLSearchParams(p)}`),
  });

  /* The session's files as download links, and for ops a picker that uploads one. */
  function filesCell(t) {
    const links = (t.files || []).map((f) => h('a', { href: `/api/desk/files/${f.id}`, download: f.name, style: { marginRight: '8px' } }, f.name));
    if (!isOps) return h('span', links);
    const input = h('input', { type: 'file', style: { display: 'none' }, accept: '.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.png,.jpg,.jpeg,.ofd',
      dataset: { training: String(t.id) } });
    input.addEventListener('change', async () => {
      const file = input.files[0];
      if (!file) return;
      try {
        await upload(`/api/desk/trainings/${t.id}/files?${new URLSearchParams({ name: file.name })}`, file);
        toast(`已上传 ${file.name}`, 'success');
        list.reload(true);
      } catch (err) { toast(err.message, 'error', 6000); }
    });
    return h('span', links, input, h('button.btn-link', { type: 'button', on: { click: () => input.click() } }, '上传资料'));
  }

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
