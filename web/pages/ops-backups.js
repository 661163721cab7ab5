/*
** ops-backups.js: 备份与演练 (waiting for its API: /api/backups?page_size=1).
*/
import { pending } from '../js/pending.js';

export const render = pending('/api/backups?page_size=1', '备份与演练');
