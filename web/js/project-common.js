/*
** project-common.js: vocabulary of projects (工程建设项目): unit kinds and
** the divisions a project may be located in (铜川市 and its districts).
*/
import { names, nameOptions } from './api.js';
import { districtOptions } from './org.js';

export const UNIT_KINDS = names('approval.unit_kind');   /* GET /api/dict */
export const unitKindOptions = () => nameOptions('approval.unit_kind');
/* The divisions a project may be located in: the city and its districts, as the server keeps them. */
export const divisionOptions = () => districtOptions(2);
export const builderOf = (p) => ((p.units || []).find((u) => u.kind === 'builder') || {}).name || '';
