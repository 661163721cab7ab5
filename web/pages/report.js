/*
** report.js: 统计报表 (waiting for its API: /api/stats).
*/
import { pending } from '../js/pending.js';

export const render = pending('/api/stats', '统计报表');
