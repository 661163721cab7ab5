/*
** stats.js: 数据看板 (waiting for its API: /api/stats/overview).
*/
import { pending } from '../js/pending.js';

export const render = pending('/api/stats/overview', '数据看板');
