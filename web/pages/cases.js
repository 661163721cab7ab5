/*
** cases.js: 办件管理 (waiting for its API: /api/cases?page_size=1).
*/
import { pending } from '../js/pending.js';

export const render = pending('/api/cases?page_size=1', '办件管理');
