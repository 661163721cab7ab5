/*
** cases-common.js: how a 办件 is shown everywhere (工作台, 办件 list, project
** timeline, detail): number, project, item, department, status, clock. The
** server computes every clock (one deadline function, see docs/api.md);
** this file only formats what it answers. Also the action vocabulary and
** the arguments each action needs.
*/
import { h, fmtTime, fmtDate, lightTag } from './ui.js';
import { names, nameOptions } from './api.js';

/* Names from the server's dictionaries (GET /api/dict, approval/names.c). */
export const STATUS_NAMES = names('approval.case_status');
export const STAGE_NAMES = names('approval.stage');
export const SIDE_LINE_NAMES = names('approval.side_line');
export const ACTION_NAMES = names('approval.case_action');
export const DOCUMENTS = names('approval.document');
export const statusOptions = () => nameOptions('approval.case_status_filter');
export const stageOptions = () => nameOptions('approval.stage');
export const lightOptions = () => nameOptions('approval.light');

export const statusCode = (c) => (c.status && typeof c.status === 'object' ? c.status.code : c.status);
export const statusName = (c) => STATUS_NAMES[statusCode(c)] || (c.status && c.status.name) || '';
export const projectName = (c) => (c.project && c.project.name) || c.project_name || '';
export const itemName = (c) => (c.item && c.item.name) || c.item_name || '';
export const deptName = (c) => (c.department && c.department.name) || c.department_name || c.department || '';
export const stageText = (c) => `${STAGE_NAMES[c.stage] || c.stage || ''}${c.side_line ? `·${SIDE_LINE_NAMES[c.side_line] || c.side_line}` : ''}`;

export function statusTag(c) {
  const code = statusCode(c);
  const kind = code === 11 || code === 12 ? 'green' : code === 13 || code === 5 || code === 15 ? 'red'
    : code === 2 || code === 14 || code === 4 ? 'gray' : code === 6 || code === 9 ? 'yellow' : '';
  return h(`span.tag${kind ? '.' + kind : ''}`, statusName(c));
}

export function leftText(c) {
  if (c.workdays_left === null || c.workdays_left === undefined) {
    if (c.receipt && c.receipt.workdays_left !== null && c.receipt.workdays_left !== undefined && !c.accepted_at)
      return `受理期限剩 ${c.receipt.workdays_left}`;
    return '-';
  }
  return c.final_at ? '-' : `${c.workdays_left}`;
}

function dueText(c) {
  if (c.due_date) return fmtDate(c.due_date);
  if (c.receipt && !c.accepted_at && c.receipt.due_date) return `${c.receipt.due_date}（受理）`;
  return '-';
}

/* Working days left under the due date: "剩 3 个工作日", or "超期 2 个工作日" in red. */
function leftNode(c) {
  const t = leftText(c);
  if (t === '-') return null;
  const n = Number(t.replace(/^受理期限剩 /, ''));
  if (Number.isNaN(n)) return null;
  return n < 0 ? h('div', { style: { fontSize: '12px', color: '#f5222d' } }, `超期 ${-n} 个工作日`)
    : h('div.muted', { style: { fontSize: '12px' } }, `剩 ${n} 个工作日`);
}

/* The light; before acceptance the receipt clock (行政许可法 §32) instead. */
export function caseLight(c) {
  if (!c.accepted_at && !c.final_at && c.receipt) {
    return c.receipt.overdue ? h('span.tag.red', h('i.light.red'), '受理超期') : h('span.tag.gray', '待受理');
  }
  return lightTag(c.light, c.on_time);
}

export const CASE_COLUMNS = [
  { key: 'number', title: '办件编号', render: (c) => h('a.mono', { href: `#/cases/${c.id}`, style: { fontSize: '11px' } }, c.number), text: (c) => c.number },
  { key: 'item', title: '事项 / 项目', render: (c) => [h('div', itemName(c)), h('div.muted', { style: { fontSize: '12px' } }, projectName(c))],
    text: (c) => `${itemName(c)} / ${projectName(c)}` },
  { key: 'department', title: '办理部门', text: deptName },
  { key: 'stage', title: '阶段', text: stageText },
  { key: 'status', title: '状态 / 环节', cls: 'nowrap', render: (c) => [statusTag(c), c.step ? h('div.muted', { style: { fontSize: '12px' } }, c.step.name) : null],
    text: (c) => `${statusName(c)}${c.step ? ` / ${c.step.name}` : ''}` },
  { key: 'received_at', title: '接件日期', cls: 'nowrap', text: (c) => fmtDate(c.received_at) },
  { key: 'due_date', title: '到期日 / 剩余', cls: 'nowrap', render: (c) => [h('div', dueText(c)), leftNode(c)],
    text: (c) => `${dueText(c)} ${leftText(c)}` },
  { key: 'light', title: '预警', cls: 'nowrap', render: caseLight, text: (c) => c.light || (c.on_time === false ? '逾期办结' : c.on_time ? '按时办结' : '') },
];

/* Action names as the API spells them, labels, who acts, and arguments. */
export const ACTIONS = {
  accept: { kind: 'primary' },
  refuse: { kind: 'danger', opinion: 'required', opinionLabel: '不予受理理由' },
  supplement: { kind: 'warning', materials: 'required', opinionLabel: '告知说明' },
  supplement_done: { kind: 'primary' },
  start_review: { kind: 'primary' },
  next_step: { kind: 'primary', opinionLabel: '审查意见' },
  return: { kind: 'warning', opinion: 'required', opinionLabel: '退回理由' },
  transfer: { toUser: true },
  special_start: { kind: 'warning', special: true },
  special_end: { kind: 'primary', result: true, opinionLabel: '办理意见' },
  approve: { kind: 'success', opinionLabel: '审批意见' },
  approve_tolerance: { kind: 'success', materials: 'required', materialsDays: true, opinionLabel: '审批意见' },
  deny: { kind: 'danger', opinion: 'required', opinionLabel: '不予许可理由' },
  withdraw: { kind: 'danger', opinion: 'required', opinionLabel: '撤回原因' },
  revoke: { kind: 'danger', opinion: 'required', opinionLabel: '撤销原因' },
};
/* ACTIONS[a].label: the server's name of the action */
for (const [a, def] of Object.entries(ACTIONS)) Object.defineProperty(def, 'label', { get: () => ACTION_NAMES[a] || a });

export const SPECIAL_KINDS = names('approval.special_kind');
export const SPECIAL_TYPES = names('approval.special_type');

/* The actions this user may take now: the server's my_actions (department,
** step role, head-only and 转办 rules), known to ACTIONS. */
export function myActions(c) {
  return (c.my_actions || []).filter((a) => ACTIONS[a]);
}
