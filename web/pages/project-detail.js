/*
** project-detail.js: 项目详情 (waiting for its API: /api/projects?page_size=1).
*/
import { pending } from '../js/pending.js';

export const render = pending('/api/projects?page_size=1', '项目详情');
