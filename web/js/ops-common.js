/*
** ops-common.js: shared by the 运维中心 pages: status tags (Nagios
** vocabulary OK / WARN / CRIT / UNKNOWN), running a job and waiting for it
** (POST with {"wait":true} answers the finished run, or 202 {"run_id"} when
** it takes longer than the server waits; then we poll /api/ops/runs/{id}).
*/
import { get, post, names } from './api.js';
import { h } from './ui.js';

/* The colour of each status; its name is the server's (ops.status). */
export const STATUS_CLASS = { OK: 'green', WARN: 'yellow', CRIT: 'red', UNKNOWN: 'gray' };
const STATUS_NAMES = names('ops.status');
export const GROUPS = names('ops.group');
export const JOBS = names('ops.job');
export const JOB_STATES = names('ops.job_state');

export function statusTag(s) {
  const cls = STATUS_CLASS[s] || 'gray', label = STATUS_NAMES[s] || s || '-';
  return h(`span.tag.${cls}`, { dataset: { status: s || '' } }, `${label}${s ? ` ${s}` : ''}`);
}

export function jobName(job) {
  if (!job) return '';
  if (JOBS[job]) return JOBS[job];
  return job.startsWith('inspect.') ? `定时巡检（${job.slice(8)}）` : job;
}

/* A measured value as people read it, the rule of ops_value_text (C): whole
   numbers from 100 up, one decimal from 10, two below, trailing zeros dropped. */
export function fmtValue(v, unit) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '-';
  const n = Number(v);
  const a = Math.abs(n);
  const s = a >= 100 || Number.isInteger(n) ? n.toFixed(0) : String(Number(n.toFixed(a >= 10 ? 1 : 2)));
  return `${s}${unit ? ` ${unit}` : ''}`;
}

/* Run a job and resolve with the finished run. */
export async function runJob(path, body = {}) {
  let r = await post(path, { ...body, wait: true });
  for (let i = 0; r && r.state === 'running' && i < 120; i++) {
    await new Promise((res) => setTimeout(res, 2000));
    r = await get(`/api/ops/runs/${r.run_id || r.id}`);
  }
  return r;
}
