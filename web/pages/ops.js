/*
** ops.js: 巡检状态 (waiting for its API: /api/inspections?page_size=1).
*/
import { pending } from '../js/pending.js';

export const render = pending('/api/inspections?page_size=1', '巡检状态');
