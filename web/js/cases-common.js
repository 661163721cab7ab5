/*
** cases-common.js: how a 办件 is shown everywhere (工作台, 办件 list, project
** detail): number, project, item, department, status, due date, working
** days left, light. The server computes the clock (one function, see the
** lifecycle API); this file only formats what it answers.
*/
import { h, fmtTime, fmtDate, lightTag } from './ui.js';

export const STATUS_NAMES = {
  1: '已接件', 2: '已撤件', 3: '受理', 4: '不受理', 5: '不予受理', 6: '补正开始', 7: '补正结束',
  8: '部门开始办理', 9: '特别程序开始', 10: '特别程序结束', 11: '办结(通过)', 12: '办结(容缺后补通过)',
  13: '办结(不通过)', 14: '撤回', 15: '撤销',
};

export const statusCode = (c) => (c.status && typeof c.status === 'object' ? c.status.code : c.status);
export function statusName(c) {
  if (c.status && typeof c.status === 'object') return c.status.name || STATUS_NAMES[c.status.code] || '';
  return c.status_name || STATUS_NAMES[c.status] || (c.status ?? '');
}
export const caseNo = (c) => c.number || c.case_no || c.spsxslbm || `#${c.id}`;
export const projectName = (c) => c.project_name || (c.project && c.project.name) || '';
export const itemName = (c) => c.item_name || (c.item && c.item.name) || '';
export const deptName = (c) => c.department_name || (c.department && c.department.name) || c.department || '';

export const CASE_COLUMNS = [
  { key: 'number', title: '办件编号', render: (c) => h('a', { href: `#/cases/${c.id}` }, caseNo(c)), text: caseNo },
  { key: 'project_name', title: '项目名称', text: projectName },
  { key: 'item_name', title: '审批事项', text: itemName },
  { key: 'department', title: '办理部门', text: deptName },
  { key: 'status', title: '状态', render: (c) => h('span.tag', statusName(c)), text: statusName },
  { key: 'due_date', title: '到期日', text: (c) => fmtDate(c.due_date) || '-' },
  { key: 'workdays_left', title: '剩余工作日', text: (c) => (c.workdays_left ?? '') === '' ? '-' : String(c.workdays_left) },
  { key: 'light', title: '预警', render: (c) => lightTag(c.light, c.on_time), text: (c) => c.light || (c.on_time === false ? '逾期办结' : '') },
];

export const updatedColumn = { key: 'updated_at', title: '更新时间', text: (c) => fmtTime(c.updated_at || c.at || c.received_at) };
