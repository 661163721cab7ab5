/*
** catalog-item.js: 事项详情 (waiting for its API: /api/catalog/items?page_size=1).
*/
import { pending } from '../js/pending.js';

export const render = pending('/api/catalog/items?page_size=1', '事项详情');
