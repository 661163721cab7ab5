/*
** case-detail.js: one 办件: facts, the deadline panel (due date, working
** days used / left / paused, light; before acceptance the 5-day receipt
** clock), the buttons for exactly the actions this user may take now
** (allowed by the case's state, and the user is of the case's department
** with the current step's role; 撤销 for the head), each asking for what the
** action needs, the timeline of status changes, supplements, special
** procedures, and the numbered documents to print.
*/
import { get, post } from '../js/api.js';
import { h, clear, toast, dialog, fmtTime, fmtDate, ROLE_NAMES } from '../js/ui.js';
import { formDialog } from '../js/form.js';
import {
  ACTIONS, ACTION_NAMES, SPECIAL_KINDS, SPECIAL_TYPES, DOCUMENTS, STATUS_NAMES, statusTag, stageText, myActions, caseLight,
} from '../js/cases-common.js';

const lines = (s) => String(s || '').split(/\n+/).map((x) => x.trim()).filter(Boolean);

function fieldsFor(name, def) {
  const f = [];
  if (def.toUser) f.push({ name: 'to_user', label: '转办给（用户名）', required: true, placeholder: '同部门、具有该环节角色的用户' });
  if (def.special) {
    f.push({ name: 'type', label: '特别程序类型', type: 'select', required: true, options: Object.entries(SPECIAL_TYPES).map(([value, label]) => ({ value, label })) });
    f.push({ name: 'kind', label: '特别程序种类', type: 'select', required: true, options: Object.entries(SPECIAL_KINDS).map(([value, label]) => ({ value, label })) });
    f.push({ name: 'limit', label: '时限（工作日）', type: 'number', required: true, min: 1, max: 365 });
    f.push({ name: 'reason', label: '启动原因', type: 'textarea', required: true });
  }
  if (def.result) f.push({ name: 'result', label: '特别程序结果', type: 'textarea' });
  if (def.materials) f.push({ name: 'materials', label: name === 'supplement' ? '需补正的材料（每行一项）' : '容缺后补的材料（每行一项）', type: 'textarea', required: def.materials === 'required', rows: 4 });
  if (def.materialsDays) f.push({ name: 'materials_days', label: '后补期限（工作日）', type: 'number', min: 1, hint: '不填则按系统默认期限' });
  f.push({ name: 'opinion', label: def.opinionLabel || '办理意见', type: 'textarea', required: def.opinion === 'required',
    maxlength: 2000, hint: '最多 2000 字' });
  return f;
}

export async function render(ctx) {
  const id = ctx.params.id;
  const box = h('div');
  ctx.el.append(box);
  await load();

  async function load() {
    const c = await get(`/api/cases/${id}`);
    if (!ctx.isCurrent()) return;
    ctx.setTitle(`办件 ${c.number}`);
    clear(box).append(...view(c));
  }

  function view(c) {
    const mine = myActions(c);
    const accepted = !!c.accepted_at;
    const clock = h('div.grid.grid-4', { id: 'deadline-panel' },
      h(`div.stat-card.${c.light || (c.on_time === false || (!accepted && c.receipt && c.receipt.overdue) ? 'red' : c.on_time ? 'green' : 'gray')}`, h('div.label', '预警状态'), h('div.value', { style: { fontSize: '18px' } }, caseLight(c))),
      h('div.stat-card', h('div.label', accepted ? '办结期限' : '受理期限（行政许可法第32条）'),
        h('div.value', { style: { fontSize: '20px' } }, accepted ? (fmtDate(c.due_date) || '-') : (c.receipt && c.receipt.due_date) || '-'),
        !accepted && c.receipt && c.receipt.overdue ? h('span.tag.red', '超过受理期限') : null),
      h('div.stat-card.green', h('div.label', '已用 / 剩余工作日'),
        h('div.value', { style: { fontSize: '20px' } }, accepted ? `${c.workdays_used ?? '-'} / ${c.final_at ? '-' : (c.workdays_left ?? '-')}` : `- / ${c.receipt ? c.receipt.workdays_left ?? '-' : '-'}`)),
      h('div.stat-card.yellow', h('div.label', '暂停工作日（补正、特别程序）'), h('div.value', { style: { fontSize: '20px' } }, String(c.paused_workdays ?? 0))));
    const actions = h('div#case-actions', { style: { display: 'flex', gap: '8px', flexWrap: 'wrap' } },
      mine.length ? mine.map((a) => h(`button.btn${ACTIONS[a].kind ? '.btn-' + ACTIONS[a].kind : ''}`, { type: 'button', dataset: { action: a }, on: { click: () => act(c, a) } }, ACTIONS[a].label))
        : h('span.muted', c.final_at ? '办件已办结，无可执行的操作。' : `当前环节“${c.step ? c.step.name : '-'}”由${c.department.name}的${c.step ? ROLE_NAMES[c.step.role] || c.step.role : ''}办理，您无可执行的操作。`));
    const tol = (c.tolerance_materials || []).filter((m) => !m.received_at);
    if (tol.length && ctx.hasRole('clerk') && ctx.me.department === c.department.code)
      actions.append(h('button.btn.btn-success', { type: 'button', dataset: { action: 'materials_received' }, on: { click: () => materialsReceived(c) } }, '容缺材料已收齐'));
    return [
      h('div.card',
        h('div.card-title', `${c.item.name}`, statusTag(c), h('span.extra.mono', c.number)),
        h('div.desc',
          h('div.k', '办件编号'), h('div.mono', c.number), h('div.k', '并联实例'), h('div.mono', c.instance ? c.instance.number : '-'),
          h('div.k', '项目'), h('div', h('a', { href: `#/projects/${c.project.id}` }, c.project.name), h('div.muted.mono', c.project.code)),
          h('div.k', '审批事项'), h('div', `${c.item.name}（${c.item.code} v${c.item.version}，承诺 ${c.item.limit} 个工作日）`),
          h('div.k', '审批阶段'), h('div', stageText(c)),
          h('div.k', '办理部门'), h('div', c.department.name),
          h('div.k', '当前环节'), h('div', c.step ? `${c.step.name}（第 ${c.step.index + 1}/${c.step.count} 环节，${ROLE_NAMES[c.step.role] || c.step.role}）` : '-'),
          h('div.k', '指定办理人'), h('div', c.handler || '-'),
          h('div.k', '接件时间'), h('div', fmtTime(c.received_at)), h('div.k', '受理时间'), h('div', fmtTime(c.accepted_at) || '-'),
          h('div.k', '办结时间'), h('div', fmtTime(c.final_at) || '-'), h('div.k', '预警日期'), h('div', fmtDate(c.warn_date) || '-'),
          c.tolerance ? [h('div.k', '容缺材料期限'), h('div.wide', `${c.tolerance.due_date}${c.tolerance.overdue ? '（已逾期）' : ''}`)] : null,
          c.provisional_year ? [h('div.k', '日历提示'), h('div.wide.muted', `${c.provisional_year} 年节假日安排尚未发布，期限按周一至周五暂算`)] : null)),
      h('div.card', h('div.card-title', '办理时限'), clock),
      h('div.card', h('div.card-title', '办理操作'), actions),
      h('div.grid.grid-2',
        h('div.card', h('div.card-title', `办理过程（${(c.history || []).length}）`),
          h('ol.timeline#case-timeline', (c.history || []).map((r) => h('li',
            h('div', h('b', STATUS_NAMES[r.status.code] || r.status.name), ' ', h('span.muted', ACTION_NAMES[r.action] || r.action || '')),
            h('div.t', `${fmtTime(r.at)} · ${r.user_name || r.username || ''}${r.acted_step_name ? ` · ${r.acted_step_name}` : ''}`),
            r.opinion ? h('div.op', r.opinion) : null)))),
        h('div',
          h('div.card', h('div.card-title', '办件文书'), docsTable(c)),
          (c.supplements || []).length ? h('div.card', h('div.card-title', '补正记录'),
            h('table.table', h('thead', h('tr', h('th', '开始'), h('th', '结束'), h('th', '材料'), h('th', '阶段'))),
              h('tbody', c.supplements.map((s) => h('tr', h('td', fmtTime(s.start_at)), h('td', fmtTime(s.end_at) || '进行中'),
                h('td', (s.materials || []).join('；')), h('td', s.after_acceptance ? '受理后' : '受理前')))))) : null,
          (c.specials || []).length ? h('div.card', h('div.card-title', '特别程序'),
            h('table.table', h('thead', h('tr', h('th', '种类'), h('th', '时限'), h('th', '开始'), h('th', '结束'), h('th', '结果'))),
              h('tbody', c.specials.map((s) => h('tr', h('td', SPECIAL_KINDS[s.kind] || s.kind || SPECIAL_TYPES[s.type] || ''), h('td', s.limit ?? ''),
                h('td', fmtTime(s.start_at)), h('td', fmtTime(s.end_at) || '进行中'), h('td', s.result || '')))))) : null,
          (c.tolerance_materials || []).length ? h('div.card', h('div.card-title', '容缺后补材料'),
            h('table.table', h('thead', h('tr', h('th', '材料'), h('th', '期限'), h('th', '收齐时间'))),
              h('tbody', c.tolerance_materials.map((m) => h('tr', h('td', m.material || ''), h('td', m.due_date || m.due_day || ''), h('td', fmtTime(m.received_at) || '未收齐')))))) : null)),
    ];
  }

  function docsTable(c) {
    const docs = c.documents || [];
    if (!docs.length) return h('div.muted', '尚未出具文书');
    return h('table.table#case-documents', h('thead', h('tr', h('th', '文书'), h('th', '文号'), h('th', '出具时间'), h('th', '操作'))),
      h('tbody', docs.map((d) => h('tr', h('td', DOCUMENTS[d.kind] || d.kind), h('td', d.number), h('td', fmtTime(d.issued_at)),
        h('td', h('button.btn-link', { type: 'button', dataset: { doc: d.kind }, on: { click: () => printDoc(c, d) } }, '查看/打印'))))));
  }

  function printDoc(c, d) {
    const frame = h('iframe.doc-frame', { src: `/api/cases/${c.id}/documents/${encodeURIComponent(d.kind)}`, title: DOCUMENTS[d.kind] || d.kind });
    dialog({
      title: `${DOCUMENTS[d.kind] || d.kind} ${d.number}`, wide: true, body: frame,
      buttons: [{ label: '关闭' }, { label: '打印', kind: 'primary', onClick: () => { frame.contentWindow.focus(); frame.contentWindow.print(); return false; } }],
    });
  }

  async function act(c, name) {
    const def = ACTIONS[name];
    const r = await formDialog({
      title: `${def.label}：${c.item.name}`,
      intro: h('div.alert.alert-info', `办件 ${c.number}，当前状态“${STATUS_NAMES[c.status.code] || c.status.name}”${c.step ? `，环节“${c.step.name}”` : ''}。`),
      fields: fieldsFor(name, def),
      okLabel: def.label,
      submit: (v) => {
        const body = { action: name };
        if (v.opinion) body.opinion = v.opinion;
        if (def.toUser) body.to_user = v.to_user;
        if (def.special) { body.type = Number(v.type); body.kind = v.kind; body.limit = v.limit; body.reason = v.reason; }
        if (def.result && v.result) body.result = v.result;
        if (def.materials && v.materials) body.materials = lines(v.materials);
        if (def.materialsDays && v.materials_days) body.materials_days = v.materials_days;
        return post(`/api/cases/${c.id}/actions`, body);
      },
    });
    if (r) {
      toast(`已${def.label}`, 'success');
      await load();
    }
  }

  async function materialsReceived(c) {
    try {
      await post(`/api/cases/${c.id}/actions`, { action: 'materials_received' });
      toast('已登记容缺材料收齐', 'success');
      await load();
    } catch (err) { toast(err.message, 'error'); }
  }
}
