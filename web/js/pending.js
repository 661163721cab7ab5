/*
** pending.js: a page whose API has not landed yet. It asks the server for
** the endpoint; while the server answers "no such endpoint" the page says
** 功能建设中 (never shows invented data).
*/
import { get } from './api.js';
import { h, buildingNotice, errorNotice } from './ui.js';

export function pending(path, what) {
  return async (ctx) => {
    try {
      await get(path);
      ctx.el.append(h('div.card', h('div.notice', h('div.big', what), h('div', '接口已上线，页面正在接入。'))));
    } catch (err) {
      ctx.el.append(err.code === 'not_built' ? buildingNotice(what) : errorNotice(err));
    }
  };
}
