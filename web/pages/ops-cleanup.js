/*
** ops-cleanup.js: 日志清理 (waiting for its API: /api/cleanup).
*/
import { pending } from '../js/pending.js';

export const render = pending('/api/cleanup', '日志清理');
