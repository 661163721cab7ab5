/*
** project-apply.js: 阶段申报 (waiting for its API: /api/projects?page_size=1).
*/
import { pending } from '../js/pending.js';

export const render = pending('/api/projects?page_size=1', '阶段申报');
