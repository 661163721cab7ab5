/*
** case-detail.js: one 办件: facts, the deadline panel (due date, working
** days used / left / paused, light; before acceptance the 5-day receipt
** clock), the buttons for exactly the actions this user may take now
** (allowed by the case's state, and the user is of the case's department
** with the current step's role; 撤销 for the head), each asking for what the
** action needs, the timeline of status changes, supplements, special
** procedures, and the numbered documents to print.
** The window's paper (issue 20): the material checklist of the pinned item
** version, ticked at 收件 and until 受理 (受理 with a required material
** missing offers 容缺受理 when the server allows it), the files uploaded
** against a material or the case (sent as the raw file, typed by the server
** from its content, downloaded as attachments), 补正 and 容缺通过 picking
** materials from the list, 转办 and 提交下一环节 picking a colleague who holds
** the step's role. Actions come in two groups: the decisions of the step,
** then 更多 (转办, 特别程序, 撤回, 撤销) with what each means.
*/
import { get, post, put, names, upload as uploadFile } from '../js/api.js';
import { h, clear, toast, dialog, fmtTime, fmtDate, ROLE_NAMES } from '../js/ui.js';
import { formDialog } from '../js/form.js';
import {
  ACTIONS, ACTION_NAMES, SPECIAL_KINDS, SPECIAL_TYPES, DOCUMENTS, STATUS_NAMES, statusTag, stageText, myActions, caseLight,
} from '../js/cases-common.js';

const FORMS = names('approval.material_form');

/* What each action of the 更多 group means (撤回 and 撤销 are easily confused). */
const MORE = {
  transfer: '交给本部门具有本环节角色的另一位同事办理',
  special_start: '听证、招标、检验、专家评审等，所需时间不计入办理时限（行政许可法第45条）',
  withdraw: '申请人主动撤回申请（窗口登记），办件终止',
  revoke: '部门负责人依法撤销（如以欺骗手段取得），办件终止',
};

function fieldsFor(name, def, c, paper) {
  const f = [];
  const mats = (paper && paper.materials) || [];
  /* only a checklist ticked at 收件 says what is missing */
  const missing = paper && paper.checklist ? mats.filter((m) => m.required && !m.received) : [];
  if (def.toUser || (name === 'next_step' && paper && paper.next && paper.next.users.length))
    f.push({ name: 'to_user', label: name === 'next_step' ? '下一环节办理人（可选）' : '转办给', type: 'select', required: name !== 'next_step',
      emptyLabel: '（本部门待办池）', searchable: true,
      options: ((name === 'next_step' ? paper.next : paper.handlers) || { users: [] }).users
        .filter((u) => name === 'next_step' || u.username !== paper.me)
        .map((u) => ({ value: u.username, label: u.display_name ? `${u.display_name}（${u.username}）` : u.username })),
      hint: name === 'next_step' ? '不选则进入本部门该角色的待办池' : '同部门、具有当前环节角色的在岗人员' });
  if (def.special) {
    f.push({ name: 'type', label: '特别程序类型', type: 'select', required: true, options: Object.entries(SPECIAL_TYPES).map(([value, label]) => ({ value, label })) });
    f.push({ name: 'kind', label: '特别程序种类', type: 'select', required: true, options: Object.entries(SPECIAL_KINDS).map(([value, label]) => ({ value, label })) });
    f.push({ name: 'limit', label: '时限（工作日）', type: 'number', required: true, min: 1, max: 365 });
    f.push({ name: 'reason', label: '启动原因', type: 'textarea', required: true });
  }
  if (def.result) f.push({ name: 'result', label: '特别程序结果', type: 'textarea' });
  if (name === 'accept' && missing.length) {
    f.push({ name: 'tolerance', label: '容缺受理', type: 'checkbox', text: `以下必需材料暂缺，按容缺受理，缺件转为后补清单：${missing.map((m) => m.name).join('；')}`,
      hint: paper.tolerance && missing.every((m) => m.tolerable) ? '本事项允许容缺受理' : '本事项或缺少的材料不允许容缺，请先一次性告知补正' });
    f.push({ name: 'materials_days', label: '后补期限（工作日）', type: 'number', min: 1, hint: '不填则按系统默认期限' });
  }
  const outstanding = (c.tolerance_materials || []).filter((m) => !m.received_at).length;
  if (def.materials && mats.length && !(name === 'approve_tolerance' && outstanding)) {
    f.push({ name: 'materials', label: name === 'supplement' ? '需补正的材料（从材料清单中选择）' : '容缺后补的材料', type: 'checks', required: def.materials === 'required',
      options: mats.map((m) => ({ value: m.name, label: `${m.name}${m.required ? '' : '（非必需）'}` })) });
  }
  if (def.materialsDays) f.push({ name: 'materials_days', label: '后补期限（工作日）', type: 'number', min: 1, hint: '不填则按系统默认期限' });
  f.push({ name: 'opinion', label: def.opinionLabel || '办理意见', type: 'textarea', required: def.opinion === 'required',
    maxlength: 2000, hint: '最多 2000 字' });
  return f;
}

const fmtSize = (n) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} B`);

/* POST the file itself (the server types it by content); the API's error message on failure. */
function sendFile(caseId, file, material) {
  const q = new URLSearchParams({ name: file.name });
  if (material) q.set('material', material);
  return uploadFile(`/api/cases/${caseId}/files?${q}`, file);
}

export async function render(ctx) {
  const id = ctx.params.id;
  const box = h('div');
  ctx.el.append(box);
  let paper = { materials: [], files: [] };
  await load();

  async function load() {
    const [c, mats, files] = await Promise.all([get(`/api/cases/${id}`),
      get(`/api/cases/${id}/materials`).catch(() => null), get(`/api/cases/${id}/files`).catch(() => null)]);
    if (!ctx.isCurrent()) return;
    paper = { materials: mats ? mats.materials : [], checklist: mats && mats.checklist, tolerance: mats && mats.tolerance,
      files: files ? files.items : [], me: ctx.me.username };
    ctx.setTitle(`办件 ${c.number}`);
    clear(box).append(...view(c));
  }

  function actionButton(c, a) {
    return h(`button.btn${ACTIONS[a].kind ? '.btn-' + ACTIONS[a].kind : ''}`, { type: 'button', dataset: { action: a }, on: { click: () => act(c, a) } }, ACTIONS[a].label);
  }

  function actionBar(c, mine) {
    if (!mine.length)
      return h('div#case-actions', h('span.muted', c.final_at ? '办件已办结，无可执行的操作。' : `当前环节“${c.step ? c.step.name : '-'}”由${c.department.name}的${c.step ? ROLE_NAMES[c.step.role] || c.step.role : ''}办理，您无可执行的操作。`));
    const main = mine.filter((a) => !MORE[a]);
    const more = mine.filter((a) => MORE[a]);
    const bar = h('div#case-actions',
      h('div.action-main', { style: { display: 'flex', gap: '8px', flexWrap: 'wrap' } }, main.map((a) => actionButton(c, a))),
      mine.includes('start_review') ? h('div.muted', { style: { marginTop: '6px', fontSize: '12px' } },
        '“开始办理”记录本部门开始实质审查的时间（国家数据交换的“部门开始办理”状态），此后方可提交下一环节或作出决定。') : null,
      more.length ? h('div.action-more', { style: { marginTop: '12px', borderTop: '1px dashed #ddd', paddingTop: '8px' } },
        h('div.muted', { style: { marginBottom: '6px' } }, '更多'),
        more.map((a) => h('div', { style: { display: 'flex', gap: '8px', alignItems: 'center', marginBottom: '6px' } },
          actionButton(c, a), h('span.muted', { style: { fontSize: '12px' } }, MORE[a])))) : null);
    return bar;
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
    const actions = actionBar(c, mine);
    const tol = (c.tolerance_materials || []).filter((m) => !m.received_at);
    if (tol.length && (ctx.hasRole('clerk') || ctx.hasRole('head')) && ctx.me.department === c.department.code)
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
      materialsCard(c),
      filesCard(c),
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

  /* May this user tick the checklist and upload: the case's department or a window clerk. */
  function mayAdd(c) {
    return !c.final_at && (ctx.me.department === c.department.code || ctx.hasRole('clerk')) &&
      (ctx.hasRole('clerk') || ctx.hasRole('reviewer') || ctx.hasRole('head'));
  }

  function materialsCard(c) {
    const mats = paper.materials;
    if (!mats.length) return null;
    const canTick = mayAdd(c) && !c.accepted_at;
    const filesOf = (name) => paper.files.filter((f) => f.material === name);
    const table = h('table.table#case-materials', h('thead', h('tr', h('th', { style: { width: '50px' } }, '已收'), h('th', '材料'), h('th', '要求'),
      h('th', '形式 / 份数'), h('th', '已上传'))),
    h('tbody', mats.map((m) => h('tr', { dataset: { material: m.name } },
      h('td', h('input', { type: 'checkbox', value: m.name, checked: !!m.received, disabled: !canTick, 'aria-label': `已收：${m.name}` })),
      h('td', m.name, m.template ? h('div.muted', { style: { fontSize: '12px' } }, `样表：${m.template}`) : null),
      h('td', m.required ? h('span.tag.red', '必需') : h('span.tag.gray', '非必需'), m.required && m.tolerable ? h('span.tag.yellow', '可容缺') : null),
      h('td.nowrap', `${FORMS[m.form] || m.form}${m.form === 'electronic' ? '' : ` ${m.copies} 份`}`),
      h('td', filesOf(m.name).map((f) => h('div', h('a', { href: `/api/files/${f.id}`, download: f.name }, f.name))),
        mayAdd(c) ? uploadButton(c, m.name) : null)))));
    const missing = mats.filter((m) => m.required && !m.received);
    const receipt = (c.documents || []).find((d) => d.kind === 'receipt');
    return h('div.card', h('div.card-title', `申请材料（${mats.filter((m) => m.received).length}/${mats.length} 已收）`,
      !paper.checklist ? h('span.tag.gray', '收件时未登记') : missing.length ? h('span.tag.yellow', `缺 ${missing.length} 项必需材料`) : h('span.tag.green', '必需材料齐全'),
      h('span.extra',
        canTick ? h('button.btn.btn-primary.btn-sm#save-materials', { type: 'button', on: { click: () => saveTicks(c, table) } }, '保存勾选') : null, ' ',
        receipt ? h('button.btn.btn-sm#print-receipt', { type: 'button', on: { click: () => printDoc(c, receipt) } }, '打印收件回执') : null)),
    table);
  }

  function uploadButton(c, material) {
    const input = h('input', { type: 'file', style: { display: 'none' }, accept: '.pdf,.png,.jpg,.jpeg,.gif,.tif,.tiff,.doc,.docx,.xls,.xlsx,.pptx,.ofd',
      on: { change: () => upload(c, input, material) } });
    return h('span', input, h('button.btn-link', { type: 'button', dataset: { upload: material || '' }, on: { click: () => input.click() } }, '上传'));
  }

  function filesCard(c) {
    const files = paper.files;
    return h('div.card', h('div.card-title', `附件（${files.length}）`, h('span.extra', mayAdd(c) ? [h('span.muted', '上传案卷附件（PDF、图片、Office 文档）：'), uploadButton(c, '')] : null)),
      files.length ? h('table.table#case-files', h('thead', h('tr', h('th', '文件'), h('th', '对应材料'), h('th', '类型'), h('th', '大小'), h('th', '上传'))),
        h('tbody', files.map((f) => h('tr', h('td', h('a', { href: `/api/files/${f.id}`, download: f.name }, f.name)), h('td', f.material || '（整个办件）'),
          h('td', f.ext.toUpperCase()), h('td.nowrap', fmtSize(f.size)), h('td.nowrap', `${fmtTime(f.uploaded_at)} ${f.uploaded_by}`)))))
        : h('div.muted#case-files', '尚无附件'));
  }

  async function saveTicks(c, table) {
    const received = [...table.querySelectorAll('tbody input[type=checkbox]:checked')].map((i) => i.value);
    try {
      await put(`/api/cases/${c.id}/materials`, { received });
      toast('已保存材料清单', 'success');
      await load();
    } catch (err) { toast(err.message, 'error'); }
  }

  async function upload(c, input, material) {
    const file = input.files && input.files[0];
    if (!file) return;
    try {
      await sendFile(c.id, file, material);
      toast(`已上传 ${file.name}`, 'success');
      await load();
    } catch (err) { toast(err.message, 'error', 6000); }
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
    if (def.toUser) paper.handlers = await get(`/api/cases/${c.id}/handlers`).catch(() => ({ users: [] }));
    if (name === 'next_step') paper.next = await get(`/api/cases/${c.id}/handlers?step=next`).catch(() => null);
    const missing = paper.checklist ? paper.materials.filter((m) => m.required && !m.received).map((m) => m.name) : [];
    const r = await formDialog({
      title: `${def.label}：${c.item.name}`,
      intro: h('div.alert.alert-info', `办件 ${c.number}，当前状态“${STATUS_NAMES[c.status.code] || c.status.name}”${c.step ? `，环节“${c.step.name}”` : ''}。`),
      fields: fieldsFor(name, def, c, paper),
      values: { materials: name === 'supplement' ? missing : [] },
      okLabel: def.label,
      submit: (v) => {
        const body = { action: name };
        if (v.opinion) body.opinion = v.opinion;
        if (v.to_user) body.to_user = v.to_user;
        if (def.special) { body.type = Number(v.type); body.kind = v.kind; body.limit = v.limit; body.reason = v.reason; }
        if (def.result && v.result) body.result = v.result;
        if (def.materials && v.materials && v.materials.length) body.materials = v.materials;
        if (v.materials_days) body.materials_days = v.materials_days;
        if (name === 'accept' && v.tolerance) body.tolerance = true;
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
