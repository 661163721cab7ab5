/*
** project-apply.js: 阶段申报. The clerk picks a stage of the project's flow
** and the items to handle in parallel (milestone items preselected; items
** already running or passed are shown and disabled), or the 联合验收 (54Y)
** side line as one application of several departments' acceptance items.
** POST /api/projects/{id}/applications {stage, side_line?, items, opinion?}
** opens the parallel instance with one 办件 per item (the server checks
** earlier stages, prerequisites and milestones and names what is missing).
*/
import { get, post } from '../js/api.js';
import { h, clear, toast, today } from '../js/ui.js';
import { maps } from '../js/org.js';
import { STAGES, SIDE_LINES } from '../js/catalog-common.js';
import { STATUS_NAMES } from '../js/cases-common.js';

export async function render(ctx) {
  const pid = ctx.params.id;
  const [p, names] = await Promise.all([get(`/api/projects/${pid}`), maps()]);
  ctx.setTitle(`阶段申报：${p.name}`);
  const [flow, items, timeline] = await Promise.all([
    get(`/api/catalog/flows/${encodeURIComponent(p.flow_code)}`),
    get(`/api/catalog/items?page_size=200&date=${today()}`),
    get(`/api/projects/${pid}/timeline`).catch(() => null),
  ]);
  const byCode = Object.fromEntries((items.items || []).map((i) => [i.code, i]));
  const taken = {};
  for (const inst of (timeline && timeline.instances) || [])
    for (const c of inst.cases || []) {
      const code = c.status ? c.status.code : 0;
      if (![2, 4, 5, 13, 14, 15].includes(code)) taken[c.item.code] = STATUS_NAMES[code] || c.status.name;
    }
  const current = timeline && timeline.progress ? timeline.progress.current_stage : 1;
  const stages = flow.doc.stages;
  const stageSel = h('select.input#apply-stage', stages.map((s) => h('option', { value: s.number, selected: s.number === (current || 1) }, `${STAGES[s.number] || s.name}${s.number === 5 ? '' : `（${s.limit} 个工作日）`}`)));
  const lineSel = h('select.input#apply-line');
  const list = h('div#apply-items');
  const opinion = h('textarea.input#apply-opinion', { rows: 2, placeholder: '收件意见（可选，最多 2000 字）', maxlength: 2000, style: { width: '100%' } });
  const msg = h('div');
  const submit = h('button.btn.btn-primary#apply-submit', { type: 'button', on: { click: send } }, '提交申报');

  function fillLines() {
    const s = stages.find((x) => String(x.number) === stageSel.value);
    clear(lineSel).append(h('option', { value: '' }, '主线并联审批'));
    for (const l of s.side_lines || []) if (l.code === '54Y') lineSel.append(h('option', { value: l.code }, `${SIDE_LINES[l.code] || l.name}（单独申报）`));
    fillItems();
  }
  function fillItems() {
    const s = stages.find((x) => String(x.number) === stageSel.value);
    const groups = [];
    if (lineSel.value) groups.push({ title: `辅线 ${SIDE_LINES[lineSel.value] || lineSel.value}`, codes: s.side_lines.find((l) => l.code === lineSel.value).items });
    else {
      groups.push({ title: '主线事项', codes: s.items });
      for (const l of s.side_lines || []) if (l.code !== '54Y') groups.push({ title: `辅线 ${SIDE_LINES[l.code] || l.name || l.code}`, codes: l.items });
    }
    clear(list);
    for (const g of groups) {
      list.append(h('h4', { style: { margin: '12px 0 6px' } }, g.title),
        h('table.table', { style: { tableLayout: 'fixed' } }, h('thead', h('tr', h('th', { style: { width: '40px' } }, ''), h('th', '事项'),
          h('th', { style: { width: '260px' } }, '办理部门'), h('th', { style: { width: '120px' } }, '承诺时限'), h('th', { style: { width: '200px' } }, '说明'))),
          h('tbody', g.codes.map((code) => {
            const it = byCode[code] || { code, name: code };
            const busy = taken[code];
            return h('tr', h('td', h('input', { type: 'checkbox', value: code, checked: !busy && !!it.milestone, disabled: !!busy, 'aria-label': it.name })),
              h('td', it.name, ' ', h('span.muted.mono', code)),
              h('td', names.dept[it.department] || it.department || ''),
              h('td.nowrap', it.promised_limit !== undefined ? `${it.promised_limit} 个工作日` : ''),
              h('td', it.milestone ? h('span.tag', '里程碑') : null, it.commitment ? h('span.tag.green', '告知承诺') : null,
                busy ? h('span.tag.gray', `已申报：${busy}`) : null));
          }))));
    }
  }
  stageSel.addEventListener('change', fillLines);
  lineSel.addEventListener('change', fillItems);
  fillLines();

  async function send() {
    const codes = [...list.querySelectorAll('input[type=checkbox]:checked')].map((i) => i.value);
    clear(msg);
    if (!codes.length) { msg.append(h('div.alert.alert-error', '请至少选择一个事项')); return; }
    const body = { stage: Number(stageSel.value), items: codes };
    if (lineSel.value) body.side_line = lineSel.value;
    if (opinion.value.trim()) body.opinion = opinion.value.trim();
    submit.disabled = true;
    try {
      const r = await post(`/api/projects/${pid}/applications`, body);
      toast(`已申报，生成 ${r.cases.length} 个办件（并联实例 ${r.instance.number}）`, 'success', 5000);
      ctx.navigate(`/projects/${pid}`);
    } catch (err) {
      msg.append(h('div.alert.alert-error', { role: 'alert' }, err.message));
    } finally {
      submit.disabled = false;
    }
  }

  ctx.el.append(h('div.card',
    h('div.card-title', `阶段申报：${p.name}`, h('span.extra.muted', `${flow.doc.name} v${flow.doc.version}`)),
    h('div.form-grid',
      h('div.form-row', h('label', { for: 'apply-stage' }, '审批阶段'), stageSel),
      h('div.form-row', h('label', { for: 'apply-line' }, '申报类型'), lineSel)),
    list,
    h('div.form-row', { style: { marginTop: '12px' } }, h('label', { for: 'apply-opinion' }, '收件意见'), opinion),
    msg,
    h('div', { style: { marginTop: '12px', display: 'flex', gap: '8px' } }, submit, h('a.btn', { href: `#/projects/${pid}` }, '取消'))));
}
