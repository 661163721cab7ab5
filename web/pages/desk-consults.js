/*
** desk-consults.js: 技术咨询 / 热线 — the consultation log (caller, unit,
** channel, question, answer, minutes); a consultation may cite an article
** of the knowledge base or turn its answer into a new one.
*/
import { get, post } from '../js/api.js';
import { h, toast, fmtTime } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { formDialog } from '../js/form.js';
import { names, options } from '../js/desk-common.js';

export async function render(ctx) {
  const channels = await names('desk.channel');
  const box = h('div#consult-list');
  ctx.el.append(h('div.card', box));
  const list = listPage(box, {
    exportName: '技术咨询', exportSrc: '/api/desk/consults', filters: [{ name: 'q', label: '关键字' }],
    toolbar: [{ label: '登记咨询', kind: 'primary', show: ctx.hasRole('ops'), onClick: async () => {
      const r = await formDialog({ title: '登记咨询', grid: true, wide: true, fields: [
        { name: 'caller', label: '咨询人', required: true },
        { name: 'unit', label: '单位' },
        { name: 'channel', label: '渠道', type: 'select', required: true, options: () => options('desk.channel') },
        { name: 'minutes', label: '用时（分钟）', type: 'number' },
        { name: 'question', label: '问题', type: 'textarea', required: true, span2: true },
        { name: 'answer', label: '解答', type: 'textarea', span2: true },
        { name: 'category', label: '分类' },
        { name: 'article_id', label: '引用知识库文章编号', type: 'number' },
        { name: 'new_article', label: '存为知识库文章', type: 'checkbox', text: '用问题和解答新建文章' },
        { name: 'article_title', label: '文章标题' },
        { name: 'article_tags', label: '文章标签（逗号分隔）' }],
      mapField: (f) => ({ 'article.title': 'article_title', 'article.tags': 'article_tags' }[f] || f),
      submit: (v) => {
        const { new_article: make, article_title: title, article_tags: tags, ...body } = v;
        if (make) body.article = { title: title || '', ...(tags ? { tags } : {}) };
        return post('/api/desk/consults', body);
      } });
      if (r) { toast('已登记', 'success'); list.reload(); }
    } }],
    columns: [
      { key: 'at', title: '时间', cls: 'nowrap', text: (r) => fmtTime(r.at), exportType: 'time' },
      { key: 'caller', title: '咨询人' },
      { key: 'unit', title: '单位' },
      { key: 'channel', title: '渠道', dict: 'desk.channel', text: (r) => channels[r.channel] || r.channel },
      { key: 'question', title: '问题' },
      { key: 'answer', title: '解答' },
      { key: 'minutes', title: '分钟' },
      { key: 'article_id', title: '知识库', render: (r) => (r.article_id ? h('a', { href: `#/help?article=${r.article_id}` }, `文章 ${r.article_id}`) : ''), text: (r) => r.article_id || '' },
    ],
    load: (p) => get(`/api/desk/consults?${new URLSearchParams(p)}`),
  });
}
