/*
** catalog.js: 事项管理 (waiting for its API: /api/catalog/items?page_size=1).
*/
import { pending } from '../js/pending.js';

export const render = pending('/api/catalog/items?page_size=1', '事项管理');
