/*
** table.js: the RuoYi-style list every list page uses: a search bar
** (filters, 搜索, 重置), a toolbar (actions, 导出), the table, and a pager
** (共 N 条, page size, page numbers, jump). Data comes from load(params),
** which answers the server's list shape {items, total, page, page_size}.
** A list whose count stops at a cap says total_capped (共 N+ 条) and
** next_after: past the counted pages, › continues with after=<next_after>
** (keyset) and ‹ steps back along the same trail.
** Export: with exportUrl(params, format) the server produces the file
** (every row, CSV or XLSX) and the page says how many rows it holds (from
** the file name, "…-N条.csv"); with exportSrc (the list's path, e.g.
** '/api/audit') the same through GET /api/export, which pages through that
** list on the server and writes the columns that have a key (column.dict:
** the server writes the dictionary's label; column.exportType 'time' |
** 'date': epoch seconds as Asia/Shanghai time; column.exportKey: the field
** when it differs from key); otherwise the page fetches every page of the
** current filter (200 rows a request, up to EXPORT_MAX, and says so when it
** stops there) and saves a UTF-8 CSV with a BOM so Excel reads the Chinese.
** File names carry the Asia/Shanghai date.
**
** listPage(el, {filters, columns, load, toolbar, exportName, exportUrl, exportSrc,
**               pageSize, initial, onState}) -> {reload(keepPage), state}
** filter: {name, label, type: text|select|date, options|async fn, width}
** column: {key, title, render(row) -> node|string, text(row) -> string, width}
*/
import { h, clear, toast, errorNotice, today } from './ui.js';
import { saveBlob, download } from './api.js';

const EXPORT_MAX = 10000;

function filterInput(f, value) {
  if (f.type === 'select') {
    const sel = h('select.input', { name: f.name, 'aria-label': f.label });
    const fill = (opts) => {
      clear(sel);
      sel.append(h('option', { value: '' }, f.all || '全部'));
      const groups = {};   /* options with a group go under an <optgroup> */
      for (const o of opts || []) {
        const opt = h('option', { value: o.value, selected: String(o.value) === String(value ?? '') }, o.label);
        if (!o.group) { sel.append(opt); continue; }
        if (!groups[o.group]) sel.append(groups[o.group] = h('optgroup', { label: o.group }));
        groups[o.group].append(opt);
      }
    };
    if (f.width) sel.style.width = f.width;
    fill([]);
    Promise.resolve(typeof f.options === 'function' ? f.options() : f.options).then(fill).catch(() => fill([]));
    return sel;
  }
  const input = h('input.input', { name: f.name, type: f.type === 'date' ? 'date' : 'text', class: f.type === 'date' ? 'date' : '',
    placeholder: f.placeholder || (f.type === 'date' ? '' : `请输入${f.label}`), value: value ?? '', 'aria-label': f.label,
    style: f.width ? { width: f.width } : null, list: f.suggest ? `dl-${f.name}` : null });
  if (!f.suggest) return input;
  return h('span', input, h('datalist', { id: `dl-${f.name}` }, f.suggest.map((o) => h('option', { value: o.value ?? o }, o.label ?? ''))));
}

function cellText(col, row) {
  if (col.text) return col.text(row);
  const v = row[col.key];
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

function csvOf(columns, rows) {
  /* RFC 4180, and never a formula in a spreadsheet (OWASP): a cell that
     starts with = + - @ tab or CR gets a ' unless it is a plain number —
     the same rule as the server's CSV (src/base/csv.h) */
  const esc = (v) => {
    let s = String(v ?? '');
    if (/^[=+\-@\t\r]/.test(s) && !/^[-+]?\d+(\.\d+)?%?$/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) || s.startsWith("'") ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const cols = columns.filter((c) => c.export !== false && c.key);
  const lines = [cols.map((c) => esc(c.title)).join(',')];
  for (const r of rows) lines.push(cols.map((c) => esc(cellText(c, r))).join(','));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

export function listPage(el, opts) {
  const { filters = [], columns, load, toolbar = [], exportName, pageSize = 20, initial = {} } = opts;
  const state = { page: 1, page_size: pageSize, filters: { ...initial }, after: null, trail: [] };
  const bar = h('form.search-bar', { novalidate: true });
  for (const f of filters)
    bar.append(h('label.sf', h('span', f.label), filterInput(f, state.filters[f.name])));
  if (filters.length) {
    bar.append(h('div.sf',
      h('button.btn.btn-primary.btn-sm', { type: 'submit' }, '搜索'),
      h('button.btn.btn-sm', { type: 'button', on: { click: reset } }, '重置')));
  }
  bar.addEventListener('submit', (ev) => { ev.preventDefault(); readFilters(); state.page = 1; unkey(); reload(); });

  const tools = h('div.toolbar');
  for (const t of toolbar) {
    if (t.show === false) continue;
    tools.append(h(`button.btn.btn-sm${t.kind ? '.btn-' + t.kind : ''}`, { type: 'button', dataset: t.id ? { tool: t.id } : {}, on: { click: () => t.onClick(api) } }, t.label));
  }
  const right = h('div.right');
  if (exportName && (opts.exportUrl || opts.exportSrc)) {
    right.append(h('button.btn.btn-sm.btn-warning', { type: 'button', dataset: { export: 'xlsx' }, on: { click: () => exportServer('xlsx') } }, '导出 Excel'),
      h('button.btn.btn-sm.btn-warning', { type: 'button', dataset: { export: 'csv' }, on: { click: () => exportServer('csv') } }, '导出 CSV'));
  } else if (exportName) {
    right.append(h('button.btn.btn-sm.btn-warning', { type: 'button', dataset: { export: 'csv' }, on: { click: exportAll } }, '导出'));
  }
  right.append(h('button.btn.btn-sm', { type: 'button', title: '刷新', on: { click: () => reload(true) } }, '刷新'));
  tools.append(right);

  const tbody = h('tbody');
  const table = h('table.table', h('thead', h('tr', columns.map((c) => h('th', { style: c.width ? { width: c.width } : null }, c.title)))), tbody);
  const msg = h('div');
  const pager = h('div.pager');
  clear(el).append(filters.length ? bar : '', tools, msg, h('div.table-wrap', table), pager);

  function readFilters() {
    for (const f of filters) {
      const input = bar.querySelector(`[name="${f.name}"]`);
      state.filters[f.name] = input.value.trim();
    }
  }
  function reset() {
    for (const f of filters) bar.querySelector(`[name="${f.name}"]`).value = '';
    state.filters = {};
    state.page = 1;
    unkey();
    reload();
  }
  function unkey() {
    state.after = null;
    state.trail = [];
  }
  function params(page, size) {
    const p = { page, page_size: size };
    for (const [k, v] of Object.entries(state.filters)) if (v !== '' && v !== undefined) p[k] = v;
    return p;
  }

  let seq = 0;
  async function reload(keepPage) {
    if (!keepPage && keepPage !== undefined) state.page = 1;
    const my = ++seq;
    clear(msg);
    clear(tbody).append(h('tr', h('td.empty', { colSpan: columns.length }, '加载中…')));
    let res;
    try {
      const p = params(state.page, state.page_size);
      if (state.after) p.after = state.after;
      res = await load(p);
    } catch (err) {
      if (my !== seq) return;
      clear(tbody).append(h('tr', h('td.empty', { colSpan: columns.length }, '—')));
      msg.append(errorNotice(err));
      clear(pager);
      return;
    }
    if (my !== seq) return;
    const items = res.items || [];
    state.total = res.total ?? items.length;
    state.capped = !!res.total_capped;
    state.nextAfter = res.next_after ?? null;
    state.items = items;
    clear(tbody);
    if (!items.length) tbody.append(h('tr', h('td.empty', { colSpan: columns.length }, '暂无数据')));
    for (const row of items) {
      tbody.append(h('tr', columns.map((c) => {
        const v = c.render ? c.render(row, api) : cellText(c, row);
        return h('td', { class: c.cls || '' }, v);
      })));
    }
    renderPager();
    if (opts.onLoaded) opts.onLoaded(res);
  }

  function renderPager() {
    clear(pager);
    const pages = Math.max(1, Math.ceil(state.total / state.page_size));
    const go = (p) => { state.page = Math.min(Math.max(1, p), pages); unkey(); reload(true); };
    /* past the counted pages of a capped list: keyset steps */
    const keyed = state.capped && state.nextAfter && state.page >= pages;
    const next = () => {
      if (!keyed) return go(state.page + 1);
      state.trail.push(state.after);
      state.after = state.nextAfter;
      state.page += 1;
      reload(true);
    };
    const prev = () => {
      if (!state.after) return go(state.page - 1);
      state.after = state.trail.pop() || null;
      state.page -= 1;
      reload(true);
    };
    const size = h('select', { 'aria-label': '每页条数', on: { change: (ev) => { state.page_size = Number(ev.target.value); state.page = 1; unkey(); reload(true); } } },
      [10, 20, 50, 100].map((n) => h('option', { value: n, selected: n === state.page_size }, `${n}条/页`)));
    pager.append(h('span', `共 ${state.total}${state.capped ? '+' : ''} 条`), size,
      h('button', { type: 'button', disabled: state.page <= 1, 'aria-label': '上一页', on: { click: prev } }, '‹'));
    const nums = new Set([1, pages, state.page - 2, state.page - 1, state.page, state.page + 1, state.page + 2]);
    let last = 0;
    for (const n of [...nums].filter((n) => n >= 1 && n <= Math.max(pages, state.page)).sort((a, b) => a - b)) {
      if (n - last > 1) pager.append(h('span', '…'));
      pager.append(h('button', { type: 'button', class: n === state.page ? 'cur' : '', on: { click: () => go(n) } }, String(n)));
      last = n;
    }
    const jump = h('input', { type: 'number', min: 1, max: pages, value: state.page, 'aria-label': '跳转页' });
    jump.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') go(Number(jump.value) || 1); });
    pager.append(h('button', { type: 'button', disabled: state.page >= pages && !keyed, 'aria-label': '下一页', on: { click: next } }, '›'),
      h('span', '前往'), jump, h('span', '页'));
  }

  async function exportAll() {
    readFilters();
    const rows = [];
    try {
      for (let p = 1; rows.length < EXPORT_MAX; p++) {
        const res = await load(params(p, 200));
        rows.push(...(res.items || []));
        if (!res.items || res.items.length < 200 || rows.length >= (res.total ?? 0)) break;
      }
    } catch (err) {
      toast(err.message || '导出失败', 'error');
      return;
    }
    const name = `${exportName}-${today()}.csv`;
    saveBlob(new Blob([csvOf(columns, rows)], { type: 'text/csv;charset=utf-8' }), name);
    const cut = (state.total ?? 0) > rows.length;
    toast(cut ? `已导出 ${rows.length} 条（共 ${state.total} 条，页面导出上限 ${EXPORT_MAX} 条）` : `已导出 ${rows.length} 条`, cut ? 'warning' : 'success', cut ? 8000 : undefined);
  }

  /* The server writes the whole file; its name says how many rows. */
  async function exportServer(format) {
    readFilters();
    const p = params(1, 1);
    delete p.page;
    delete p.page_size;
    toast('正在导出…', 'info', 1500);
    try {
      const url = opts.exportUrl ? opts.exportUrl(p, format) : genericExportUrl(p, format);
      const name = await download(url, `${exportName}-${today()}.${format}`);
      const m = /-(\d+)条\.\w+$/.exec(name);
      toast(m ? `已导出 ${m[1]} 条：${name}` : `已导出：${name}`, 'success', 6000);
    } catch (err) {
      toast(err.message || '导出失败', 'error');
    }
  }

  /* GET /api/export: the server pages through exportSrc (the list this page
     loads) with these filters and writes the columns shown here. */
  function genericExportUrl(p, format) {
    const cols = columns.filter((c) => c.export !== false && c.key).map((c) => {
      const x = { key: c.exportKey || c.key, title: c.title };
      if (c.dict) x.dict = c.dict;
      if (c.exportType) x.type = c.exportType;
      return x;
    });
    const q = new URLSearchParams({ ...p, src: opts.exportSrc, format, name: exportName, columns: JSON.stringify(cols) });
    return `/api/export?${q}`;
  }

  const api = { reload, state, el };
  reload(true);
  return api;
}
