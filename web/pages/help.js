/*
** help.js: 帮助中心 — every account searches the knowledge base the O&M team
** writes from its consultations; ops add and edit articles here.
*/
import { get, post, put } from '../js/api.js';
import { h, toast, dialog, fmtTime } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { formDialog } from '../js/form.js';

const FIELDS = [
  { name: 'title', label: '标题', required: true },
  { name: 'tags', label: '标签（逗号分隔）' },
  { name: 'body', label: '内容', type: 'textarea', rows: 12, required: true },
];

export function render(ctx) {
  const box = h('div#help-list');
  ctx.el.append(h('div.card', box));
  const isOps = ctx.hasRole('ops');
  const list = listPage(box, {
    filters: [{ name: 'q', label: '搜索' }, { name: 'tag', label: '标签' }],
    toolbar: [{ label: '新建文章', kind: 'primary', show: isOps, onClick: async () => {
      if (await formDialog({ title: '新建文章', wide: true, fields: FIELDS, submit: (v) => post('/api/desk/articles', v) })) {
        toast('已保存', 'success');
        list.reload();
      }
    } }],
    columns: [
      { key: 'title', title: '标题', render: (r) => h('button.btn-link', { type: 'button', on: { click: () => open(r.id) } }, r.title) },
      { key: 'excerpt', title: '摘要' },
      { key: 'tags', title: '标签' },
      { key: 'updated_at', title: '更新', cls: 'nowrap', text: (r) => fmtTime(r.updated_at) },
    ],
    load: (p) => get(`/api/desk/articles?${new URLSearchParams(p)}`),
  });

  async function open(id) {
    const a = await get(`/api/desk/articles/${id}`);
    const d = dialog({ title: a.title, wide: true, body: [
      h('div.muted', `标签：${a.tags || '—'} · 更新于 ${fmtTime(a.updated_at)}`),
      h('div#help-article', { style: { whiteSpace: 'pre-wrap', marginTop: '10px' } }, a.body)],
    buttons: [...(isOps ? [{ label: '编辑', onClick: async () => {
      if (await formDialog({ title: '编辑文章', wide: true, fields: FIELDS, values: a, submit: (v) => put(`/api/desk/articles/${id}`, v) })) {
        toast('已保存', 'success');
        list.reload(true);
      }
    } }] : []), { label: '关闭' }] });
    return d;
  }
  const article = ctx.query.get('article');
  if (article) open(article);
}
