/*
** org.js: the organisation lists pages share (departments, districts,
** roles), fetched once per login and cached; options for selects.
*/
import { get } from './api.js';

const cache = {};

function once(key, fn) {
  if (!cache[key]) cache[key] = fn().catch((e) => { delete cache[key]; throw e; });
  return cache[key];
}

export function forget() { for (const k of Object.keys(cache)) delete cache[k]; }

async function all(path) {
  const out = [];
  for (let page = 1; page < 50; page++) {
    const res = await get(`${path}${path.includes('?') ? '&' : '?'}page=${page}&page_size=200`);
    out.push(...(res.items || []));
    if (!res.items || res.items.length < 200 || out.length >= res.total) break;
  }
  return out;
}

export const departments = () => once('departments', () => all('/api/departments'));
export const districts = () => once('districts', () => all('/api/districts'));
export const roles = () => once('roles', () => get('/api/roles').then((r) => r.items || []));

export async function departmentOptions() {
  return (await departments()).filter((d) => d.active !== 0 && d.active !== false)
    .map((d) => ({ value: d.code, label: d.name }));
}
export async function districtOptions(minLevel = 2) {
  return (await districts()).filter((d) => (d.level || 3) >= minLevel && d.active !== 0 && d.active !== false)
    .map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` }));
}
export async function departmentName(code) {
  if (!code) return '';
  const d = (await departments()).find((x) => x.code === code);
  return d ? d.name : code;
}
export async function maps() {
  const [deps, dists] = await Promise.all([departments().catch(() => []), districts().catch(() => [])]);
  return {
    dept: Object.fromEntries(deps.map((d) => [d.code, d.name])),
    dist: Object.fromEntries(dists.map((d) => [d.code, d.name])),
  };
}
