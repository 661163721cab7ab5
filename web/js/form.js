/*
** form.js: forms whose fields show the API's own validation messages.
** buildForm(fields, values) renders labelled inputs; showErrors(form, err)
** puts an ApiError's message under the field it names (the server answers
** {"error":{"field":"new_password","message":...}}), or on top of the form
** when the field is not one of the inputs. formDialog() wraps both in a dialog.
**
** A field: {name, label, type: text|password|number|date|select|textarea|
** checks|checkbox, required, options: [{value,label}] or async () => [...],
** placeholder, hint, span2, readonly, searchable (select), errorFields: ['other.api.field'],
** autocomplete, inputmode, maxlength}.
*/
import { h, clear, dialog } from './ui.js';

function optionEls(options, value, placeholder) {
  const els = [];
  if (placeholder !== null) els.push(h('option', { value: '' }, placeholder || '请选择'));
  for (const o of options || [])
    els.push(h('option', { value: o.value, selected: String(o.value) === String(value ?? '') }, o.label));
  return els;
}

/* A select with a filter box above it (searchable: true): typing part of a
** name or account hides the options that do not contain it; a single match
** is chosen. The select keeps its id, so readForm reads it as before. */
function searchable(sel, f) {
  const box = h('input.input', { id: `f-${f.name}-search`, type: 'search', placeholder: f.searchPlaceholder || '输入姓名或账号筛选',
    autocomplete: 'off' });
  box.addEventListener('input', () => {
    const q = box.value.trim().toLowerCase();
    const shown = [];
    for (const o of sel.options) {
      if (!o.value) continue;
      o.hidden = !!q && !o.textContent.toLowerCase().includes(q);
      if (!o.hidden) shown.push(o);
    }
    if (shown.length === 1) sel.value = shown[0].value;
    else if (q && !shown.some((o) => o.value === sel.value)) sel.value = '';
  });
  return h('div.select-search', { style: { display: 'flex', flexDirection: 'column', gap: '4px' } }, box, sel);
}

function inputOf(f, value) {
  const common = { name: f.name, id: `f-${f.name}`, class: 'input', placeholder: f.placeholder || '',
    required: !!f.required, readOnly: !!f.readonly, disabled: !!f.disabled };
  switch (f.type) {
    case 'select': {
      const sel = h('select', { ...common, placeholder: null });
      const fill = (opts) => { clear(sel); sel.append(...optionEls(opts, value, f.required ? '请选择' : (f.emptyLabel ?? '（无）'))); };
      if (typeof f.options === 'function') {
        fill([]);
        Promise.resolve(f.options()).then(fill).catch(() => fill([]));
      } else fill(f.options);
      return f.searchable ? searchable(sel, f) : sel;
    }
    case 'textarea':
      return h('textarea', { ...common, rows: f.rows || 3, maxlength: f.maxlength }, value ?? '');
    case 'checks': {
      const box = h('div.checks', { id: `f-${f.name}`, dataset: { name: f.name, kind: 'checks' } });
      const fill = (opts) => {
        clear(box);
        for (const o of opts || [])
          box.append(h('label', h('input', { type: 'checkbox', value: o.value, checked: (value || []).includes(o.value) }), o.label));
      };
      if (typeof f.options === 'function') Promise.resolve(f.options()).then(fill).catch(() => fill([]));
      else fill(f.options);
      return box;
    }
    case 'checkbox':
      return h('label.checks', h('input', { type: 'checkbox', name: f.name, id: `f-${f.name}`, checked: !!value }), f.text || '');
    case 'rows':
      return rowsEditor(f, value);
    default:
      return h('input', { ...common, type: f.type || 'text', value: value ?? '', step: f.step, min: f.min, max: f.max,
        inputmode: f.inputmode, maxlength: f.maxlength,
        autocomplete: f.autocomplete || (f.type === 'password' ? 'new-password' : 'off') });
  }
}

/*
** A table of sub-records (materials, steps, units): f.columns = [{name, label,
** type: text|number|select|checkbox, options, width}], f.newRow = defaults.
** Inputs carry data-path "name[i].col" so an API error on "units[1].phone"
** marks exactly that input.
*/
function rowsEditor(f, value) {
  const tbody = h('tbody');
  const box = h('div.rows-editor', { id: `f-${f.name}`, dataset: { kind: 'rows' } },
    h('table.table', h('thead', h('tr', f.columns.map((c) => h('th', { style: c.width ? { width: c.width } : null }, c.label)), h('th', { style: { width: '60px' } }, '操作'))), tbody),
    h('button.btn.btn-sm', { type: 'button', style: { marginTop: '6px' }, on: { click: () => { add({ ...(f.newRow || {}) }); renumber(); } } }, `＋ 添加${f.rowLabel || ''}`));
  function cell(c, v) {
    if (c.type === 'select')
      return h('select.input', { dataset: { col: c.name }, style: { width: '100%' } },
        (c.options || []).map((o) => h('option', { value: o.value, selected: String(o.value) === String(v ?? '') }, o.label)));
    if (c.type === 'checkbox') return h('input', { type: 'checkbox', dataset: { col: c.name }, checked: !!v });
    return h('input.input', { type: c.type || 'text', dataset: { col: c.name }, value: v ?? '', style: { width: '100%' }, placeholder: c.placeholder || '' });
  }
  function add(row) {
    const tr = h('tr', f.columns.map((c) => h('td', cell(c, row[c.name]))),
      h('td', h('button.btn-link.danger', { type: 'button', on: { click: () => { tr.remove(); renumber(); } } }, '删除')));
    tbody.append(tr);
  }
  function renumber() {
    [...tbody.rows].forEach((tr, i) => tr.querySelectorAll('[data-col]').forEach((el) => { el.dataset.path = `${f.name}[${i}].${el.dataset.col}`; }));
  }
  for (const row of value || []) add(row);
  renumber();
  box.read = () => [...tbody.rows].map((tr) => {
    const o = {};
    for (const c of f.columns) {
      const el = tr.querySelector(`[data-col="${c.name}"]`);
      if (c.type === 'checkbox') o[c.name] = el.checked;
      else if (c.type === 'number') o[c.name] = el.value === '' ? null : Number(el.value);
      else o[c.name] = el.value.trim();
    }
    return o;
  });
  return box;
}

/* Render fields into a <form>; values = initial values by name. */
export function buildForm(fields, values = {}, { grid = false } = {}) {
  const form = h('form', { class: grid ? 'form-grid' : '', novalidate: true, autocomplete: 'off' });
  form.append(h('div.alert.alert-error.form-error', { role: 'alert', hidden: true, class: grid ? 'span2' : '' }));
  for (const f of fields) {
    if (f.type === 'hidden') continue;
    const row = h('div.form-row', { class: f.span2 ? 'span2' : '', dataset: { field: f.name } },
      h('label', { for: `f-${f.name}` }, f.required ? h('span.req', '*') : null, f.label),
      inputOf(f, values[f.name]),
      f.hint ? h('div.hint', f.hint) : null,
      h('div.field-error', { role: 'alert' }));
    if (!grid) row.style.marginBottom = '12px';
    form.append(row);
  }
  form._fields = fields;
  return form;
}

/* Values by name; empty optional strings are left out, numbers parsed. */
export function readForm(form) {
  const out = {};
  for (const f of form._fields) {
    if (f.type === 'hidden') { if (f.value !== undefined) out[f.name] = f.value; continue; }
    if (f.readonly && !f.send) continue;
    const el = form.querySelector(`#f-${CSS.escape(f.name)}`);
    if (!el) continue;
    if (f.type === 'checks') {
      out[f.name] = [...el.querySelectorAll('input:checked')].map((i) => i.value);
      continue;
    }
    if (f.type === 'checkbox') { out[f.name] = el.checked; continue; }
    if (f.type === 'rows') { out[f.name] = el.read(); continue; }
    let v = el.value;
    if (typeof v === 'string') v = f.type === 'password' ? v : v.trim();
    if (v === '' && !f.keepEmpty) continue;
    if (f.type === 'number' && v !== '') v = Number(v);
    out[f.name] = v;
  }
  return out;
}

export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
  form.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  const top = form.querySelector('.form-error');
  top.hidden = true;
  top.textContent = '';
}

/* Which form field an API field name belongs to ("units[0].credit_code" -> "units"). */
function rowFor(form, field) {
  if (!field) return null;
  const names = [field, field.replace(/\[\d+\].*$/, ''), field.split('.')[0]];
  for (const f of form._fields) if ((f.errorFields || []).includes(field)) names.unshift(f.name);
  for (const n of names) {
    const row = form.querySelector(`.form-row[data-field="${CSS.escape(n)}"]`);
    if (row) return row;
  }
  return null;
}

/* Show an error: under its field when the API names one we have, else on top. */
export function showErrors(form, err) {
  clearErrors(form);
  if (form._mapField && err.field) err = { code: err.code, message: err.message, field: form._mapField(err.field) };
  const row = rowFor(form, err.field);
  if (row) {
    const exact = err.field ? form.querySelector(`[data-path="${CSS.escape(err.field)}"]`) : null;
    const at = /\[(\d+)\]/.exec(err.field || '');
    row.querySelector('.field-error').textContent = exact && at ? `第 ${Number(at[1]) + 1} 行：${err.message}` : err.message;
    const input = exact || row.querySelector('.input');
    if (input) { input.classList.add('invalid'); input.focus(); }
    return;
  }
  const top = form.querySelector('.form-error');
  top.textContent = err.message;
  top.hidden = false;
}

/* Client-side "required" check before the round trip: every empty field
   says so beside itself at once, the first one gets the focus. */
export function checkRequired(form) {
  clearErrors(form);
  let first = null;
  for (const f of form._fields) {
    if (!f.required || f.type === 'hidden' || f.type === 'checkbox') continue;
    const el = form.querySelector(`#f-${CSS.escape(f.name)}`);
    const empty = f.type === 'checks' ? !el.querySelector('input:checked')
      : f.type === 'rows' ? el.read().length === 0 : !String(el.value).trim();
    if (!empty) continue;
    const row = rowFor(form, f.name);
    if (row) {
      row.querySelector('.field-error').textContent = `请填写${f.label}`;
      const input = row.querySelector('.input');
      if (input) input.classList.add('invalid');
    }
    first = first || el;
  }
  if (first && first.focus) first.focus();
  return !first;
}

/*
** An inline form's submit: the required fields checked, then fn(values) with
** the button disabled meanwhile. An error fn throws ({field, message}, from
** the API or its own checks) appears under its field.
*/
export function onSubmit(form, button, fn) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!checkRequired(form)) return;
    button.disabled = true;
    try {
      await fn(readForm(form));
    } catch (err) {
      showErrors(form, err);
    } finally {
      button.disabled = false;
    }
  });
}

/*
** formDialog({title, fields, values, submit(values) -> result, okLabel, wide, grid})
** -> Promise of submit's result, or null when cancelled.
*/
export function formDialog({ title, fields, values, submit, okLabel = '确定', wide, grid, intro, mapField }) {
  return new Promise((resolve) => {
    const form = buildForm(fields, values, { grid });
    form._mapField = mapField;
    let done = false;
    const d = dialog({
      title, wide, body: [intro || null, form],
      buttons: [
        { label: '取消' },
        { label: okLabel, kind: 'primary', onClick: async () => {
          if (!checkRequired(form)) return false;
          try {
            const r = await submit(readForm(form));
            done = true;
            resolve(r === undefined ? true : r);
            return true;
          } catch (err) {
            showErrors(form, err);
            return false;
          }
        } },
      ],
      onClose: () => { if (!done) resolve(null); },
    });
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      d.foot.querySelector('.btn-primary').click();
    });
  });
}
