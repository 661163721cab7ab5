/*
** projects.js: 项目管理 (waiting for its API: /api/projects?page_size=1).
*/
import { pending } from '../js/pending.js';

export const render = pending('/api/projects?page_size=1', '项目管理');
