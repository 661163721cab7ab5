/*
** stats-common.js: formatting of the statistics API's values by column kind
** (count, rate, days, ratio) and the period vocabulary.
*/
import { names } from './api.js';
import { fmtNum } from './ui.js';

/* {code: word} of period kinds and groupings, from GET /api/dict (filled before a page renders). */
export const PERIODS = names('stats.period');
export const GROUPS = names('stats.group');

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
