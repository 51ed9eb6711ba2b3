// Form fields of each record type (docs/records.md), their inputs, and reading them
// back into a record's data: decimals stay strings, absent optional fields are omitted.
import { h } from './ui.js';
import { t } from './i18n.js';
import { validGTIN } from './codes.js';

const QUANTITY_UNITS = ['KGM', 'GRM', 'TNE', 'LTR', 'MLT', 'H87', 'MTK', 'HAR'];
const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/;
const list = (path, label, optional = true) => ({ path, label, type: 'list', optional });

/** Event forms: key → { type, fixed data, fields }. */
export const EVENT_FORMS = {
  planting: { type: 'planting', fields: [
    { path: 'method', label: 'f.method', optional: true },
    { path: 'area', label: 'f.area', type: 'quantity', units: ['MTK', 'HAR'], optional: true },
    { path: 'note', label: 'f.note', optional: true }] },
  pesticide: { type: 'input_application', fixed: { input: 'pesticide' }, fields: [
    { path: 'name', label: 'f.name' }, { path: 'registration_number', label: 'f.registration_number', pattern: /^(PD|LS|WP|WL|PDN|WPN)[0-9]+(-[0-9]{1,3})?$/ },
    { path: 'active_ingredient', label: 'f.active_ingredient' },
    { path: 'dose.value', label: 'f.dose', type: 'decimal' }, { path: 'dose.unit', label: 'f.dose_unit', value: '毫升/亩' },
    { path: 'method', label: 'f.method', value: '喷雾' }, { path: 'date', label: 'f.date', type: 'date' },
    { path: 'safety_interval_days', label: 'f.safety_interval_days', type: 'int' }] },
  fertilizer: { type: 'input_application', fixed: { input: 'fertilizer' }, fields: [
    { path: 'name', label: 'f.name' }, { path: 'type', label: 'f.type' },
    { path: 'amount', label: 'f.amount', type: 'quantity' }, { path: 'date', label: 'f.date', type: 'date' }] },
  care: { type: 'care', fields: [
    { path: 'activity', label: 'f.activity', type: 'select', options: ['irrigation', 'pruning', 'weeding', 'pest_observation', 'other'], prefix: 'act.' },
    { path: 'note', label: 'f.note', optional: true },
    { path: 'photo_sha256', label: 'f.photo', type: 'photo', optional: true }] },
  harvest: { type: 'harvest', fields: [
    { path: 'date', label: 'f.date', type: 'date' }, { path: 'quantity', label: 'f.quantity', type: 'quantity' }] },
  inspection: { type: 'inspection', fields: [
    { path: 'laboratory', label: 'f.laboratory' }, { path: 'report_number', label: 'f.report_number' },
    { path: 'item.name', label: 'f.item' }, { path: 'item.method', label: 'f.method' },
    { path: 'item.result', label: 'f.result' }, { path: 'item.limit', label: 'f.limit', optional: true },
    { path: 'item.unit', label: 'f.unit', optional: true }, { path: 'item.pass', label: 'f.pass', type: 'bool' }] },
  storing: { type: 'storing', fields: [
    { path: 'location', label: 'f.location' }, { path: 'temperature', label: 'f.temperature', type: 'decimal', optional: true },
    { path: 'note', label: 'f.note', optional: true }] },
  packing: { type: 'packing', fields: [
    { path: 'sscc', label: 'f.sscc', pattern: /^[0-9]{18}$/ }, list('units', 'f.units'), list('cartons', 'f.cartons')] },
  shipping: { type: 'shipping', fields: [
    { path: 'from', label: 'f.from' }, { path: 'to', label: 'f.to' }, { path: 'carrier', label: 'f.carrier' },
    list('units', 'f.units'), list('sscc', 'f.ssccs')] },
  receiving: { type: 'receiving', fields: [{ path: 'from', label: 'f.from' }, list('units', 'f.units'), list('sscc', 'f.ssccs')] },
  retail_selling: { type: 'retail_selling', fields: [
    { path: 'location', label: 'f.location', optional: true },
    { path: 'quantity', label: 'f.quantity', type: 'quantity', optional: true }] },
  recall: { type: 'recall', fields: [{ path: 'reason', label: 'f.reason' }, { path: 'action', label: 'f.action' }, list('units', 'f.units')] },
  correction: { type: 'correction', fields: [
    { path: 'corrects', label: 'f.corrects', pattern: /^[0-9a-f]{64}$/ }, { path: 'reason', label: 'f.reason' },
    { path: 'replacement', label: 'f.replacement', pattern: /^[0-9a-f]{64}$/, optional: true }] },
  certificate: { type: 'certificate', fields: [
    { path: 'number', label: 'f.number' }, { path: 'quantity', label: 'f.quantity', type: 'quantity' },
    { path: 'basis', label: 'f.basis', type: 'select', options: ['self_test', 'commissioned_test', 'internal_control'], prefix: 'basis.' },
    { path: 'contact', label: 'f.contact' }, list('sources', 'f.sources')] },
};

const id = (path) => 'field-' + path.replace(/\./g, '-');

/** The inputs of `fields`, filled from `values` (a saved draft). */
export function render(fields, values = {}) {
  return fields.map((f) => {
    const value = values[f.path] ?? f.value ?? (f.type === 'date' ? new Date().toISOString().slice(0, 10) : '');
    let input;
    switch (f.type) {
      case 'select':
        input = h('select', { id: id(f.path), name: f.path },
          f.options.map((o) => h('option', { value: o, selected: o === value }, f.prefix ? t(f.prefix + o) : o)));
        break;
      case 'quantity':
        input = h('span', { class: 'quantity' },
          h('input', { id: id(f.path), name: f.path + '.value', inputmode: 'decimal', value: values[f.path + '.value'] ?? '' }),
          h('select', { name: f.path + '.unit', 'aria-label': 'unit' },
            (f.units ?? QUANTITY_UNITS).map((u) => h('option', { value: u, selected: u === values[f.path + '.unit'] }, u))));
        break;
      case 'bool':
        input = h('input', { id: id(f.path), name: f.path, type: 'checkbox', checked: values[f.path] !== false });
        break;
      case 'photo':
        input = h('input', { id: id(f.path), name: f.path, type: 'file', accept: 'image/*', capture: 'environment' });
        break;
      default:
        input = h('input', {
          id: id(f.path), name: f.path, value, type: f.type === 'date' ? 'date' : 'text',
          inputmode: f.type === 'int' ? 'numeric' : f.type === 'decimal' ? 'decimal' : undefined,
        });
    }
    return h('div', { class: 'field', 'data-path': f.path },
      h('label', { for: id(f.path) }, t(f.label)), input, h('div', { class: 'field-error' }));
  });
}

/** Every input's raw value by name, for saving a draft. */
export function snapshot(form) {
  const values = {};
  for (const el of form.elements) {
    if (!el.name || el.type === 'file') continue;
    values[el.name] = el.type === 'checkbox' ? el.checked : el.value;
  }
  return values;
}

function setPath(object, path, value) {
  const parts = path.split('.');
  let at = object;
  for (const p of parts.slice(0, -1)) at = at[p] ??= {};
  at[parts[parts.length - 1]] = value;
}

/** Reads `fields` from `form`: { data, errors: { path: message } }. */
export async function read(form, fields) {
  const data = {}, errors = {};
  for (const f of fields) {
    const el = form.elements[f.type === 'quantity' ? f.path + '.value' : f.path];
    if (f.type === 'photo') {
      const file = el.files?.[0];
      if (file) {
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
        setPath(data, f.path, Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''));
      }
      continue;
    }
    if (f.type === 'bool') { setPath(data, f.path, el.checked); continue; }
    const raw = el.value.trim();
    if (!raw) { if (!f.optional) errors[f.path] = t('form.required'); continue; }
    switch (f.type) {
      case 'int':
        if (!/^[0-9]+$/.test(raw)) errors[f.path] = t('form.integer'); else setPath(data, f.path, Number(raw));
        break;
      case 'decimal':
        if (!DECIMAL.test(raw)) errors[f.path] = t('form.decimal'); else setPath(data, f.path, raw);
        break;
      case 'quantity':
        if (!DECIMAL.test(raw)) errors[f.path] = t('form.decimal');
        else setPath(data, f.path, { unit: form.elements[f.path + '.unit'].value, value: raw });
        break;
      case 'list': {
        const items = raw.split(/[\s,，]+/).filter(Boolean);
        if (items.length) setPath(data, f.path, items);
        break;
      }
      case 'gtin':
        if (!validGTIN(raw)) errors[f.path] = t('form.gtin'); else setPath(data, f.path, raw);
        break;
      default:
        if (f.pattern && !f.pattern.test(raw)) errors[f.path] = t('form.pattern'); else setPath(data, f.path, raw);
    }
  }
  return { data, errors };
}

/** Shows errors and rule problems beside their fields ("data.name" marks "name"). */
export function mark(form, errors) {
  for (const box of form.querySelectorAll('.field[data-path]')) {
    const path = box.dataset.path;
    const message = errors[path] ?? errors['data.' + path];
    box.classList.toggle('invalid', Boolean(message));
    box.querySelector('.field-error').textContent = message ?? '';
  }
}
