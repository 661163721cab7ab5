/*
** project-common.js: vocabulary of projects (工程建设项目): unit kinds and
** the divisions a project may be located in (铜川市 and its districts).
*/
import { names, nameOptions } from './api.js';

export const UNIT_KINDS = names('approval.unit_kind');   /* GET /api/dict */
export const unitKindOptions = () => nameOptions('approval.unit_kind');
export const DIVISIONS = [
  { value: '610200', label: '铜川市（市本级）' }, { value: '610202', label: '王益区' }, { value: '610203', label: '印台区' },
  { value: '610204', label: '耀州区' }, { value: '610222', label: '宜君县' },
];
export const builderOf = (p) => ((p.units || []).find((u) => u.kind === 'builder') || {}).name || '';
