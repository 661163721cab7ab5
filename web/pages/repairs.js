/*
** repairs.js: 数据修复 — the repairs of GET /api/repairs. O&M engineers
** propose a typed operation (also pre-filled from a 数据质检 finding:
** #/repairs?finding=ID), see its exact before -> after (预览, a dry run that
** stores nothing), submit it, apply it once approved and undo it; the
** bureau's approvers (repair_approve) approve or reject with the preview in
** front of them. Names (statuses, operations, fields) come from /api/dict.
*/
import { get, post, dict, nameOptions } from '../js/api.js';
import { h, toast, dialog, fmtTime } from '../js/ui.js';
import { listPage } from '../js/table.js';

const labelOf = (list, code) => (list.find((x) => x.code === code) || { label: code }).label;
const show = (v, field = '') => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v)
  : /_at$|^at$/.test(field) && typeof v === 'number' ? fmtTime(v) : String(v));

/* The inputs each operation needs, in order. */
const OP_INPUTS = {
  field: ['object', 'key', 'field', 'value'],
  reassign: ['case', 'user'],
  close_stage: ['project', 'stage'],
  void: ['case'],
  move_department: ['from', 'to'],
  merge_projects: ['from', 'into'],
};
const INPUT_LABELS = {
  object: '对象类型', key: '对象（项目代码 / 办件编号 / 记录编号）', field: '字段', value: '新值', case: '办件编号',
  user: '改派给（账号）', project: '项目代码', stage: '阶段（1–5）', from: '原部门编码 / 重复登记的项目代码',
  to: '新部门编码', into: '保留的项目代码',
};
/* the kinds of object a field correction names, in the dictionary's words */
const objects = () => nameOptions('repair.object');
const NUMERIC_KEYS = ['unit', 'status', 'document'];

function changesTable(changes, fields) {
  return h('table.table.repair-changes',
    h('thead', h('tr', h('th', '对象'), h('th', '字段'), h('th', '修复前'), h('th', '修复后'))),
    h('tbody', changes.map((c) => h('tr', h('td', c.object), h('td', c.field === '*' ? '整行' : labelOf(fields, c.field)),
      h('td.before', show(c.before, c.field)), h('td.after', show(c.after, c.field))))));
}

export async function render(ctx) {
  const [statuses, ops, fields] = await Promise.all([dict('repair.status'), dict('repair.op'), dict('repair.field')]);
  const isOps = ctx.hasRole('ops');
  const isApprover = ctx.hasRole('repair_approve');
  ctx.el.append(h('div.card', h('div#repairs')));
  const list = listPage(ctx.el.querySelector('#repairs'), {
    exportName: '数据修复单', exportSrc: '/api/repairs',
    initial: ctx.query.get('status') ? { status: ctx.query.get('status') } : {},
    filters: [{ name: 'status', label: '状态', type: 'select', options: statuses.map((s) => ({ value: s.code, label: s.label })) }],
    toolbar: isOps ? [{ label: '发起修复', kind: 'primary', onClick: () => proposeDialog({}) }] : [],
    columns: [
      { key: 'id', title: '编号' },
      { key: 'op', title: '操作', dict: 'repair.op', text: (r) => labelOf(ops, r.op) },
      { key: 'target', title: '对象', cls: 'nowrap' },
      { key: 'reason', title: '理由' },
      { key: 'status', title: '状态', dict: 'repair.status', render: (r) => h(`span.tag${r.status === 'applied' ? '.green' : r.status === 'proposed' ? '.yellow' : '.gray'}`, labelOf(statuses, r.status)), text: (r) => labelOf(statuses, r.status) },
      { key: 'proposed_by', title: '提出人' },
      { key: 'decided_by', title: '审批人' },
      { key: 'proposed_at', title: '提出时间', cls: 'nowrap', text: (r) => fmtTime(r.proposed_at), exportType: 'time' },
      { title: '操作', export: false, render: (r) => h('button.btn-link', { type: 'button', on: { click: () => detail(r.id) } }, '详情') },
    ],
    load: (p) => get(`/api/repairs?${new URLSearchParams(p)}`),
  });

  const finding = ctx.query.get('finding');
  if (finding && isOps) {
    get(`/api/repairs/finding/${encodeURIComponent(finding)}`).then((r) => {
      if (r.operation) proposeDialog(r.operation);
      else toast(`质检问题 #${finding} 的规则（${r.rule}）没有对应的修复操作，请手工发起`, 'info', 5000);
    }).catch((err) => toast(err.message, 'error'));
  }

  /* The form of a proposal; pre is a request object (from a finding). */
  function proposeDialog(pre) {
    const opSel = h('select.input#repair-op', ops.map((o) => h('option', { value: o.code, selected: o.code === (pre.op || 'field') }, o.label)));
    const box = h('div.repair-inputs');
    const inputs = {};
    const reason = h('textarea.input#repair-reason', { rows: 2, placeholder: '修复理由（必填，将记入审计日志）' });
    const answers = h('input.input#repair-answers', { value: pre.answers || '', placeholder: 'finding:编号 或 ticket:编号（可选）' });
    const preview = h('div#repair-preview');
    const objectOf = () => objects().map((o) => o.value).find((k) => pre[k] !== undefined) || 'project';
    function build() {
      box.replaceChildren();
      for (const name of OP_INPUTS[opSel.value] || []) {
        let el;
        if (name === 'object') {
          el = h('select.input', objects().map((o) => h('option', { value: o.value, selected: o.value === objectOf() }, o.label)));
        } else if (name === 'field') {
          el = h('select.input', fields.map((f) => h('option', { value: f.code, selected: f.code === pre.field }, `${f.label}（${f.code}）`)));
        } else {
          const v = name === 'key' ? pre[objectOf()] : pre[name];
          el = h('input.input', { value: v === undefined ? '' : String(v) });
        }
        el.id = `repair-${name}`;
        inputs[name] = el;
        box.append(h('label.field', h('span', INPUT_LABELS[name]), el));
      }
    }
    function request() {
      const r = { op: opSel.value, reason: reason.value.trim() };
      if (answers.value.trim()) r.answers = answers.value.trim();
      for (const [name, el] of Object.entries(inputs)) {
        if (!(OP_INPUTS[r.op] || []).includes(name) || name === 'object') continue;
        const v = el.value.trim();
        if (name === 'key') { const o = inputs.object.value; r[o] = NUMERIC_KEYS.includes(o) ? Number(v) : v; }
        else if (name === 'stage') r.stage = Number(v);
        else r[name] = v;
      }
      return r;
    }
    opSel.addEventListener('change', build);
    build();
    if (pre.reason) reason.value = pre.reason;
    dialog({
      title: '发起数据修复', wide: true,
      body: h('div', h('label.field', h('span', '修复操作'), opSel), box, h('label.field', h('span', '理由'), reason),
        h('label.field', h('span', '对应问题/工单'), answers), preview),
      buttons: [
        { label: '预览', onClick: async () => {
          try {
            const p = await post('/api/repairs', { ...request(), dry_run: true });
            preview.replaceChildren(h('p', `将修改 ${p.rows} 行：${p.target}`), changesTable(p.changes, fields));
          } catch (err) { toast(err.message, 'error'); }
          return false;
        } },
        { label: '提交审批', kind: 'primary', onClick: async () => {
          try {
            const p = await post('/api/repairs', request());
            toast(`修复单 #${p.id} 已提交，等待委办局审批`, 'success');
            list.reload(false);
          } catch (err) { toast(err.message, 'error'); return false; }
          return true;
        } },
        { label: '取消' },
      ],
    });
  }

  async function detail(id) {
    let r;
    try { r = await get(`/api/repairs/${id}`); } catch (err) { toast(err.message, 'error'); return; }
    const note = h('textarea.input#repair-note', { rows: 2, placeholder: '审批意见 / 撤销理由' });
    const act = (path, body, done) => async () => {
      try {
        await post(`/api/repairs/${r.id}/${path}`, body());
        toast(done, 'success');
        list.reload(true);
      } catch (err) { toast(err.message, 'error'); return false; }
      return true;
    };
    const canDecide = isApprover && r.status === 'proposed';
    const canUndo = isOps && r.status === 'applied';
    dialog({
      title: `数据修复单 #${r.id}`, wide: true,
      body: h('div',
        h('div.kv',
          h('div', h('div.k', '操作'), h('div.v', labelOf(ops, r.op))),
          h('div', h('div.k', '对象'), h('div.v', r.target)),
          h('div', h('div.k', '状态'), h('div.v#repair-status', labelOf(statuses, r.status))),
          h('div', h('div.k', '提出'), h('div.v', `${r.proposed_by} ${fmtTime(r.proposed_at)}`)),
          h('div', h('div.k', '审批'), h('div.v', r.decided_by ? `${r.decided_by} ${fmtTime(r.decided_at)} ${r.decision_note || ''}` : '—')),
          h('div', h('div.k', '执行'), h('div.v', r.applied_by ? `${r.applied_by} ${fmtTime(r.applied_at)}` : '—'))),
        h('p', h('b', '理由：'), r.reason, r.answers ? ` （对应 ${r.answers}）` : ''),
        r.undone_by ? h('p', h('b', '撤销：'), `${r.undone_by} ${fmtTime(r.undone_at)} ${r.undo_reason}`) : null,
        h('p', `修改 ${r.rows} 行，修复前 → 修复后：`),
        changesTable(r.changes, fields),
        canDecide || canUndo ? note : null),
      buttons: [
        canDecide ? { label: '批准', kind: 'primary', onClick: act('approve', () => ({ note: note.value.trim() }), '已批准') } : null,
        canDecide ? { label: '驳回', kind: 'danger', onClick: act('reject', () => ({ note: note.value.trim() }), '已驳回') } : null,
        isOps && r.status === 'approved' ? { label: '执行修复', kind: 'primary', onClick: act('apply', () => ({}), '已执行') } : null,
        canUndo ? { label: '撤销修复', kind: 'danger', onClick: act('undo', () => ({ reason: note.value.trim() }), '已撤销') } : null,
        { label: '关闭' },
      ].filter(Boolean),
    });
  }
}
