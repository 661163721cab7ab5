/*
** charts.js: ECharts, loaded only by the pages that draw charts, from npm
** through the server's /vendor/ mapping. A failure to load leaves a notice
** in the chart's box instead of breaking the page (the login page never
** loads it at all).
*/
import { h, clear } from './ui.js';

let loading = null;

export function loadECharts() {
  if (!loading) {
    loading = import('/vendor/echarts/dist/echarts.esm.min.js').catch((e) => {
      loading = null;
      throw e;
    });
  }
  return loading;
}

const live = new Set();

/* chart(el, option) -> the chart instance, or null with a notice in el. */
export async function chart(el, option) {
  let echarts;
  try {
    echarts = await loadECharts();
  } catch (e) {
    clear(el).append(h('div.notice', '图表组件加载失败，请刷新页面重试')); 
    return null;
  }
  let c = echarts.getInstanceByDom(el);
  if (!c) {
    clear(el);
    c = echarts.init(el, null, { renderer: 'canvas' });
    live.add(c);
  }
  /* no animation: instant on an old office PC, and screenshots show the final state */
  c.setOption({ animation: false, ...option }, true);
  return c;
}

/* Dispose every chart (on leaving the page). */
export function disposeCharts() {
  for (const c of live) if (!c.isDisposed()) c.dispose();
  live.clear();
}

let resizeBound = false;
export function bindResize() {
  if (resizeBound) return;
  resizeBound = true;
  let t = null;
  window.addEventListener('resize', () => {
    clearTimeout(t);
    t = setTimeout(() => { for (const c of live) if (!c.isDisposed()) c.resize(); }, 150);
  });
}

export const PALETTE = ['#1890ff', '#13c2c2', '#52c41a', '#faad14', '#f5222d', '#722ed1', '#eb2f96', '#fa8c16', '#2f54eb', '#a0d911'];
