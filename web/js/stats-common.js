/*
** stats-common.js: formatting of the statistics API's values by column kind
** (count, rate, days, ratio) and the period vocabulary.
*/
import { fmtNum } from './ui.js';

export const PERIODS = { day: '日', month: '月', quarter: '季度', year: '年', range: '自定义' };
export const GROUPS = { district: '区县', department: '部门', item: '事项', stage: '阶段', 'flow-type': '项目类型' };

export function fmtKind(v, kind) {
  if (v === null || v === undefined) return '-';
  switch (kind) {
    case 'rate': return `${(Number(v) * 100).toFixed(1)}%`;
    case 'days': return Number(v).toFixed(1);
    case 'ratio': return Number(v).toFixed(2);
    default: return fmtNum(v);
  }
}

/* A change: relative for counts and days, percentage points for rates. */
export function fmtChange(v, kind) {
  if (v === null || v === undefined) return '-';
  const n = Number(v) * 100;
  const s = `${n > 0 ? '+' : ''}${n.toFixed(1)}`;
  return kind === 'rate' ? `${s} 个百分点` : `${s}%`;
}

/* "YYYY-MM" for the n-th month before the month of day (YYYY-MM-DD). */
export function monthBack(day, n) {
  let y = Number(day.slice(0, 4));
  let m = Number(day.slice(5, 7)) - n;
  while (m < 1) { m += 12; y--; }
  return `${y}-${String(m).padStart(2, '0')}`;
}
