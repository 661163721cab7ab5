/*
** desk-visits.js: 定期回访 — visits with the satisfaction score per
** dimension (response, quality, attitude), comments and pain points; a pain
** point becomes a request with one click (转为需求).
*/
import { get, post } from '../js/api.js';
import { h, toast } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { formDialog } from '../js/form.js';

const SCORES = [1, 2, 3, 4, 5].map((n) => ({ value: n, label: String(n) }));

export function render(ctx) {
  const isOps = ctx.hasRole('ops');
  const box = h('div#visit-list');
  ctx.el.append(h('div.card', box));
  const list = listPage(box, {
    exportName: '回访记录',
    toolbar: [{ label: '登记回访', kind: 'primary', show: isOps, onClick: async () => {
      const r = await formDialog({ title: '登记回访', grid: true, wide: true, fields: [
        { name: 'day', label: '日期', type: 'date', required: true },
        { name: 'unit', label: '单位', required: true },
        { name: 'contact', label: '联系人' },
        { name: 'score_response', label: '响应满意度', type: 'select', required: true, options: SCORES },
        { name: 'score_quality', label: '质量满意度', type: 'select', required: true, options: SCORES },
        { name: 'score_attitude', label: '态度满意度', type: 'select', required: true, options: SCORES },
        { name: 'comments', label: '意见建议', type: 'textarea', span2: true },
        { name: 'pain_points', label: '痛点（每行一个）', type: 'textarea', span2: true }],
      submit: (v) => post('/api/desk/visits', { ...v, score_response: Number(v.score_response), score_quality: Number(v.score_quality),
        score_attitude: Number(v.score_attitude), pain_points: (v.pain_points || '').split('\n').map((s) => s.trim()).filter(Boolean) }) });
      if (r) { toast('已登记', 'success'); list.reload(); }
    } }],
    columns: [
      { key: 'day', title: '日期' }, { key: 'unit', title: '单位' }, { key: 'contact', title: '联系人' },
      { key: 'scores', title: '满意度（响应/质量/态度）', text: (r) => `${r.score_response}/${r.score_quality}/${r.score_attitude}` },
      { key: 'comments', title: '意见建议' },
      { key: 'pain_points', title: '痛点', export: false, render: (r) => h('ul', { style: { margin: 0, paddingLeft: '16px' } }, r.pain_points.map((p, i) => h('li', p.text, ' ',
        p.request_id ? h('a', { href: '#/desk/requests' }, `需求 ${p.request_id}`)
          : isOps ? h('button.btn-link', { type: 'button', dataset: { pain: i }, on: { click: () => toRequest(r.id, i) } }, '转为需求') : null))) },
    ],
    load: (p) => get(`/api/desk/visits?${new URLSearchParams(p)}`),
  });
  async function toRequest(id, index) {
    try {
      const rq = await post(`/api/desk/visits/${id}/requests`, { index });
      toast(`已转为需求 ${rq.id}`, 'success');
      list.reload(true);
    } catch (err) {
      toast(err.message, 'error', 5000);
    }
  }
}
