// The producer workbench (issue 14): views, routing and the flows that sign records.
import { h, replace } from './ui.js';
import { t, language, setLanguage, serverMessage } from './i18n.js';
import * as db from './db.js';
import * as keys from './keys.js';
import * as queue from './queue.js';
import { seal, localTime, today } from './envelope.js';
import { canonicalize, prune } from './canonical.js';
import { validate as validateCreditCode } from './uscc.js';
import { refreshBannedList, offlineProblems } from './rules.js';
import { serials, signCodes, gs1CheckDigit } from './codes.js';
import { unitsRoot } from './commitment.js';
import { base64url } from './bytes.js';
import { EVENT_FORMS, render, read, mark, snapshot } from './fields.js';
import { qrSVG } from './qr.js';

const main = document.getElementById('main');
const batchKey = (gtin, lot) => `${gtin}/${lot}`;
const online = () => navigator.onLine;

// ---- header --------------------------------------------------------------------

async function header() {
  const count = await queue.pending();
  replace(document.getElementById('header'),
    h('h1', {}, t('app.title')),
    h('nav', {},
      ['key', 'register', 'product', 'batches', 'queue'].map((v) =>
        h('a', { href: '#' + v, class: location.hash.startsWith('#' + v) ? 'active' : null, id: 'nav-' + v },
          t(v === 'batches' ? 'nav.batch' : 'nav.' + v), v === 'queue' && count ? h('span', { class: 'badge', id: 'queue-count' }, count) : null))),
    h('div', { class: 'status-line' },
      h('span', { id: 'net', class: online() ? 'online' : 'offline' }, t(online() ? 'net.online' : 'net.offline')),
      h('button', { type: 'button', id: 'lang', class: 'link', onclick: () => { setLanguage(language() === 'en' ? 'zh-CN' : 'en'); route(); } }, t('lang.switch'))));
  document.documentElement.lang = language();
  document.title = t('app.title');
}

// ---- the signing flow every record form shares ----------------------------------

/** The batch's chain head to sign an event against: the last queued record of the
 *  batch if any, else the server's head, else the last one we know of. */
async function chainHead(gtin, lot) {
  const key = batchKey(gtin, lot);
  const mine = (await queue.entries()).filter((e) => e.batch === key && e.status !== 'refused');
  const queued = mine.filter((e) => e.status === 'queued');
  if (queued.length) return queued[queued.length - 1].id;
  const chain = await fetchChain(gtin, lot);
  if (chain) return chain.events.length ? chain.events[chain.events.length - 1].id : chain.batch.id;
  return mine.length ? mine[mine.length - 1].id : null;
}

/** The batch's JSON as consumers get it (api.md §Batch and product pages); cached. */
async function fetchChain(gtin, lot) {
  if (!online()) return null;
  try {
    const response = await fetch(`/01/${gtin}/10/${lot}`, { headers: { Accept: 'application/json', 'Accept-Language': language() } });
    if (!response.ok) return null;
    const chain = await response.json();
    await db.put('kv', chain, 'chain:' + batchKey(gtin, lot));
    return chain;
  } catch { return null; }
}

async function dryRun(record, key) {
  if (online()) {
    try {
      const response = await fetch('/api/v1/records/check', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ draft: record, kid: key.kid }),
      });
      if (response.ok) return { problems: (await response.json()).problems, offline: false };
    } catch { /* fall through to the offline check */ }
  }
  const product = record.kind === 'event' ? (await products()).find((p) => p.gtin === record.batch.gtin) : null;
  return { problems: await offlineProblems(record, product), offline: true };
}

const problemList = (problems) => h('ul', { class: 'problems' },
  problems.map((p) => h('li', {}, h('code', { class: 'rule' }, p.rule), ' ', serverMessage(p),
    p.fields?.length ? h('span', { class: 'fields' }, ' (', p.fields.join(', '), ')') : null)));

/**
 * Validates `fields`, builds the record, warns from the rules before signing (a
 * second press signs anyway), signs, queues, and sends at once when online. A
 * refusal is shown on the form and the draft is kept.
 */
async function submitRecord(form, fields, build, { label, batch, onStored } = {}) {
  const notice = form.querySelector('.notice');
  const { data, errors } = await read(form, fields);
  mark(form, errors);
  if (Object.keys(errors).length) return;
  const key = await keys.current();
  if (!key) { replace(notice, h('p', { class: 'error' }, t('key.required'))); return; }
  const record = prune(await build(data));
  const { prev, time, ...content } = record;   // a new head or clock does not need a new check
  const fingerprint = canonicalize(content);
  if (form.dataset.confirmed !== fingerprint) {
    replace(notice, h('p', {}, t('form.checking')));
    const { problems, offline } = await dryRun(record, key);
    const shown = problems.filter((p) => p.rule !== 'stale-head' && p.rule !== 'chain-link');
    if (shown.length) {
      form.dataset.confirmed = fingerprint;
      mark(form, Object.fromEntries(shown.flatMap((p) => (p.fields ?? []).map((f) => [f, p.rule]))));
      replace(notice, h('div', { class: 'warning', id: 'warnings' },
        h('p', {}, t('form.warnings'), offline ? t('form.offlineCheck') : ''), problemList(shown)));
      form.querySelector('button[type=submit]').textContent = t('form.signAnyway');
      return;
    }
  }
  const { envelope, id } = await seal(record, key);
  // A correction of a record this form just had refused replaces it in the queue.
  if (form.dataset.refused) { await queue.discard(Number(form.dataset.refused)); delete form.dataset.refused; }
  const seq = await queue.enqueue({ endpoint: '/api/v1/records', body: envelope, id, batch, prev: record.prev, label, kind: record.kind });
  await remember(record);
  await queue.drain();
  const entry = await db.get('queue', seq);
  delete form.dataset.confirmed;
  form.querySelector('button[type=submit]').textContent = t('form.sign');
  if (entry.status === 'refused') {
    form.dataset.refused = seq;
    const reason = entry.reason;
    mark(form, Object.fromEntries((reason.fields ?? (reason.field ? [reason.field] : [])).map((f) => [f, reason.rule ?? reason.error])));
    replace(notice, h('div', { class: 'error', id: 'refusal' }, h('p', {}, t('form.refused')),
      problemList([{ rule: reason.rule ?? reason.error, fields: reason.fields, message: { 'zh-CN': reason.message_zh ?? reason.message, en: reason.message_en ?? reason.message } }])));
    return;
  }
  await db.remove('kv', form.dataset.draft);
  replace(notice, h('p', { class: 'ok', id: 'result' },
    entry.status === 'stored' ? [t('form.stored'), h('code', {}, id)] : t('form.queued')));
  if (entry.status === 'stored' && onStored) onStored(entry);
  header();
}

/** Keeps the products and batches this device signed, for forms and offline rules. */
async function remember(record) {
  if (record.kind === 'product' || record.kind === 'batch') {
    const name = record.kind + 's';
    const list = ((await db.get('kv', name)) ?? []).filter((r) => !(r.gtin === record.gtin && r.lot === record.lot));
    await db.put('kv', [...list, record], name);
  }
}
const products = async () => (await db.get('kv', 'products')) ?? [];
const batches = async () => (await db.get('kv', 'batches')) ?? [];
const party = () => db.get('kv', 'party');

/** A form that saves its draft on every change and restores it on reload. */
async function draftForm(id, fields, children, onsubmit) {
  const draftKey = 'draft:' + location.hash + ':' + id;
  const saved = (await db.get('kv', draftKey)) ?? {};
  const form = h('form', { id, novalidate: true, 'data-draft': draftKey },
    children(saved), render(fields, saved),
    h('div', { class: 'notice' }),
    h('button', { type: 'submit', class: 'primary' }, t('form.sign')));
  form.addEventListener('input', () => {
    delete form.dataset.confirmed;
    form.querySelector('button[type=submit]').textContent = t('form.sign');
    db.put('kv', snapshot(form), draftKey);
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try { await onsubmit(form); } catch (error) { replace(form.querySelector('.notice'), h('p', { class: 'error' }, String(error))); }
  });
  return form;
}

// ---- views ----------------------------------------------------------------------

async function keyView() {
  const key = await keys.current();
  if (!key) {
    const passphrase = h('input', { id: 'passphrase', type: 'password', autocomplete: 'new-password' });
    const out = h('div', { id: 'backup' });
    return [h('h2', {}, t('nav.key')), h('p', {}, t('key.none')),
      h('button', { type: 'button', class: 'primary', id: 'create-key', onclick: async () => { await keys.create(); route(); } }, t('key.create')),
      h('form', { id: 'backup-form', onsubmit: async (event) => {
        event.preventDefault();
        if (passphrase.value.length < 8) { passphrase.focus(); return; }
        const { backup } = await keys.createWithBackup(passphrase.value);
        sessionStorage.setItem('yima-backup', backup);
        route();
      } }, h('input', { type: 'text', name: 'username', autocomplete: 'username', value: 'yima-key', hidden: true }),
      h('div', { class: 'field' }, h('label', { for: 'passphrase' }, t('key.backup.passphrase')), passphrase),
      h('button', { type: 'submit', id: 'create-key-backup' }, t('key.backup.create'))), out, h('p', { class: 'note' }, t('key.note'))];
  }
  const backup = sessionStorage.getItem('yima-backup');
  let backupLink = null;
  if (backup) {
    backupLink = h('a', { id: 'backup-link', download: `yima-${key.kid}.key`, href: URL.createObjectURL(new Blob([backup], { type: 'application/x-pem-file' })) }, t('key.backup.download'));
  }
  return [h('h2', {}, t('nav.key')),
    h('dl', {}, h('dt', {}, t('key.alg')), h('dd', { id: 'key-alg' }, key.alg), h('dt', {}, t('key.kid')), h('dd', {}, h('code', { id: 'key-id' }, key.kid))),
    h('h3', {}, t('key.pem')), h('pre', { id: 'key-pem' }, key.pem),
    h('h3', {}, t('key.qr')), h('div', { class: 'qr', id: 'key-qr' }, qrSVG(key.pem)),
    backupLink, h('p', { class: 'note' }, t('key.note'))];
}

async function registerView() {
  const key = await keys.current();
  if (!key) return [h('p', {}, t('key.required'))];
  const registration = await db.get('kv', 'registration');
  const status = h('div', { id: 'registration-status' });
  const showStatus = async () => {
    if (!registration) return;
    let state = registration.status;
    try {
      const response = await fetch('/api/v1/registrations/' + registration.id, { headers: { Accept: 'application/json' } });
      if (response.ok) state = (await response.json()).status;
    } catch { /* offline: the last state we saw */ }
    registration.status = state;
    await db.put('kv', registration, 'registration');
    replace(status, h('p', {}, t('reg.status'), ': ', h('strong', { id: 'registration-state' }, t('reg.' + state)), ' ', h('code', {}, registration.id.slice(0, 16))),
      h('button', { type: 'button', id: 'registration-refresh', onclick: showStatus }, t('reg.refresh')));
  };
  showStatus();
  const fields = [
    { path: 'id', label: 'reg.id', pattern: /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/ }, { path: 'name', label: 'reg.name' },
    { path: 'credit_code', label: 'reg.credit' }, { path: 'address', label: 'reg.address' },
    { path: 'contact', label: 'reg.contact', optional: true }];
  const roles = ['producer', 'cooperative', 'processor', 'carrier', 'market', 'retailer'];
  const form = await draftForm('registration', fields, (saved) => h('fieldset', { class: 'roles' }, h('legend', {}, t('reg.roles')),
    roles.map((r) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'role-' + r, checked: saved['role-' + r] ?? (r === 'producer') }), t('role.' + r)))),
  async (form) => {
    const notice = form.querySelector('.notice');
    const { data, errors } = await read(form, fields);
    const code = validateCreditCode(data.credit_code ?? '');
    if (data.credit_code && code) errors.credit_code = creditCodeMessage(code);
    mark(form, errors);
    if (Object.keys(errors).length) return;
    if (!online()) { replace(notice, h('p', { class: 'error' }, t('reg.online'))); return; }
    const partyFields = prune({ ...data, roles: roles.filter((r) => form.elements['role-' + r].checked) });
    const payload = { kind: 'registration_request', v: 1, time: new Date().toISOString(), nonce: nonce(), public_key: key.pem, party: partyFields };
    const { envelope, id } = await seal(payload, key);
    const response = await fetch('/api/v1/registrations', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept-Language': language() }, body: envelope })
      .catch(() => null);
    const answer = response ? await response.json().catch(() => ({})) : { message: t('error.network') };
    if (!response || !response.ok) {
      mark(form, answer.field ? { [answer.field.replace(/^party\./, '')]: answer.error } : {});
      replace(notice, h('div', { class: 'error', id: 'refusal' }, problemList([{ rule: answer.error ?? 'network', fields: answer.field ? [answer.field] : [], message: { 'zh-CN': answer.message_zh ?? answer.message, en: answer.message_en ?? answer.message } }])));
      return;
    }
    await db.put('kv', { id: answer.id ?? id, status: answer.status ?? 'pending' }, 'registration');
    await db.put('kv', partyFields, 'party');
    route();
  });
  // The check character is checked while typing (GB 32100-2015).
  const credit = form.elements.credit_code;
  const hint = h('div', { class: 'hint', id: 'credit-code-check' });
  credit.after(hint);
  credit.addEventListener('input', () => {
    credit.value = credit.value.toUpperCase();
    const problem = credit.value ? validateCreditCode(credit.value) : null;
    hint.className = 'hint ' + (problem ? 'bad' : 'good');
    hint.textContent = credit.value ? (problem ? creditCodeMessage(problem) : '✓ ' + t('uscc.ok')) : '';
  });
  credit.dispatchEvent(new Event('input'));
  return [h('h2', {}, t('reg.title')), status, form];
}

const creditCodeMessage = (p) => t('uscc.' + p.reason) + (p.expected ?? '');
const nonce = () => base64url(crypto.getRandomValues(new Uint8Array(16)));

async function productView() {
  const me = await party();
  const fields = [
    { path: 'gtin', label: 'prod.gtin', type: 'gtin' }, { path: 'name', label: 'prod.name' },
    { path: 'name_en', label: 'prod.name_en', optional: true }, { path: 'variety', label: 'prod.variety', optional: true },
    { path: 'category', label: 'prod.category', type: 'select', prefix: 'cat.',
      options: ['vegetable', 'fruit', 'tea', 'grain', 'oilseed', 'mushroom', 'herb', 'livestock', 'aquatic', 'other'] }];
  const county = h('input', { id: 'county-code', inputmode: 'numeric', placeholder: '6101240007' });
  const form = await draftForm('product', fields, () => null, (form) => submitRecord(form, fields,
    (data) => ({ ...data, kind: 'product', v: 1, certificates: [] }), { label: t('nav.product') }));
  form.prepend(h('div', { class: 'field' }, h('label', { for: 'county-code' }, t('prod.county')), h('span', { class: 'quantity' }, county,
    h('button', { type: 'button', onclick: () => {
      if (!/^[0-9]{10}$/.test(county.value)) return;
      const body = '029' + county.value;
      form.elements.gtin.value = body + gs1CheckDigit(body);
    } }, t('prod.makeCounty')))));
  const list = await products();
  return [me ? null : h('p', { class: 'warning' }, t('form.noParty')), h('h2', {}, t('prod.title')), form,
    list.length ? [h('h3', {}, t('prod.list')), h('ul', {}, list.map((p) => h('li', {}, p.name, ' ', h('code', {}, p.gtin))))] : null];
}

async function batchesView() {
  const me = await party();
  const list = await products();
  const fields = [
    { path: 'gtin', label: 'batch.product', type: 'select', options: list.map((p) => p.gtin) },
    { path: 'lot', label: 'batch.lot', pattern: /^[A-Z0-9-]{1,20}$/ }, { path: 'season', label: 'batch.season', value: today().slice(0, 4) },
    { path: 'origin.division', label: 'batch.division', pattern: /^[0-9]{12}$/ }, { path: 'origin.place', label: 'batch.place' },
    { path: 'origin.lat', label: 'batch.lat', type: 'decimal' }, { path: 'origin.lon', label: 'batch.lon', type: 'decimal' },
    { path: 'quantity', label: 'batch.quantity', type: 'quantity' }];
  const form = await draftForm('batch', fields, () => null, (form) => submitRecord(form, fields,
    (data) => ({ ...data, kind: 'batch', v: 1, owner: me?.id }),
    { label: t('nav.batch'), batch: batchKey(form.elements.gtin.value, form.elements.lot.value) }));
  form.elements.lot.addEventListener('input', (e) => { e.target.value = e.target.value.toUpperCase(); });
  const mine = await batches();
  return [me ? null : h('p', { class: 'warning' }, t('form.noParty')),
    mine.length ? [h('h2', {}, t('batch.list')), h('ul', { class: 'batches' }, mine.map((b) =>
      h('li', {}, h('a', { href: `#b/${b.gtin}/${b.lot}`, class: 'batch-link' }, `${b.lot}`), ' ', h('code', {}, b.gtin))))] : null,
    h('h2', {}, t('batch.title')), list.length ? form : h('p', {}, t('batch.noProduct'))];
}

async function batchView(gtin, lot) {
  const me = await party();
  const key = batchKey(gtin, lot);
  const chain = (await fetchChain(gtin, lot)) ?? (await db.get('kv', 'chain:' + key));
  const mine = (await queue.entries()).filter((e) => e.batch === key);
  const stateOf = new Map(mine.map((e) => [e.id, e]));
  const rows = [];
  if (chain) {
    for (const r of [chain.batch, ...chain.events]) {
      const rec = r.record;
      const type = rec.kind === 'batch' ? 'nav.batch' : rec.type === 'input_application' ? 'ev.' + rec.data.input : 'ev.' + rec.type;
      const detail = rec.data?.name ?? (rec.data?.activity && t('act.' + rec.data.activity)) ?? rec.data?.number ?? (rec.data?.count ? '×' + rec.data.count : null);
      rows.push(h('li', { class: 'stored', 'data-id': r.id }, h('span', { class: 'state' }, t('state.stored')), ' ', t(type), detail ? ` ${detail}` : '', ' ',
        h('time', {}, r.record.time ?? r.recorded_at ?? ''), ' ', h('code', {}, r.id.slice(0, 12))));
      stateOf.delete(r.id);
    }
  }
  for (const e of stateOf.values()) {
    rows.push(h('li', { class: e.status, 'data-id': e.id }, h('span', { class: 'state' }, t('state.' + e.status)), ' ', e.label, ' ',
      h('code', {}, e.id.slice(0, 12)), e.status === 'refused' ? h('div', { class: 'error' }, h('code', {}, e.reason.rule ?? e.reason.error), ' ', serverMessage(e.reason)) : null));
  }

  // Record an event: the type decides the fields.
  const typeSelect = h('select', { id: 'event-type' }, Object.keys(EVENT_FORMS).filter((k) => k !== 'certificate')
    .map((k) => h('option', { value: k }, t('ev.' + k))));
  const eventBox = h('div', {});
  const showEventForm = async () => {
    const spec = EVENT_FORMS[typeSelect.value];
    const form = await draftForm('event-' + typeSelect.value, spec.fields, () => null, (form) => submitRecord(form, spec.fields,
      async (data) => eventRecord(spec, data, me, gtin, lot), { label: t('ev.' + typeSelect.value), batch: key, onStored: () => route() }));
    replace(eventBox, form);
  };
  typeSelect.addEventListener('change', showEventForm);
  await showEventForm();

  // 承诺达标合格证: a certificate event, whose label the server prints.
  const certSpec = EVENT_FORMS.certificate;
  const certResult = h('div', { id: 'certificate-label' });
  const certForm = await draftForm('certificate', certSpec.fields, () => null, (form) => submitRecord(form, certSpec.fields,
    async (data) => eventRecord(certSpec, data, me, gtin, lot), { label: t('ev.certificate'), batch: key, onStored: (entry) => {
      const href = entry.answer.certificate ?? `/certificates/${entry.id}`;
      replace(certResult, h('a', { href, target: '_blank', id: 'certificate-link', class: 'button' }, t('cert.label')));
    } }));

  return [h('h2', {}, lot, ' ', h('code', {}, gtin)),
    h('p', {}, h('a', { href: `/01/${gtin}/10/${lot}`, target: '_blank', id: 'consumer-page' }, t('batch.consumer'))),
    h('h3', {}, t('batch.chain')), h('ol', { class: 'chain', id: 'chain' }, rows),
    h('h3', {}, t('batch.record')), h('div', { class: 'field' }, h('label', { for: 'event-type' }, t('ev.type')), typeSelect), eventBox,
    h('h3', {}, t('codes.title')), await issueSection(gtin, lot, me),
    h('h3', {}, t('labels.title')), labelSection(gtin, lot),
    h('h3', {}, t('cert.title')), certForm, certResult];
}

async function eventRecord(spec, data, me, gtin, lot) {
  let body = { ...(spec.fixed ?? {}), ...data };
  if (spec.type === 'inspection') {
    const { item, ...rest } = body;
    body = { ...rest, items: [item], pass: item.pass };
  }
  return { kind: 'event', v: 1, type: spec.type, actor: me?.id, batch: { gtin, lot }, prev: await chainHead(gtin, lot), time: localTime(), data: body };
}

async function issueSection(gtin, lot, me) {
  const count = h('input', { id: 'code-count', inputmode: 'numeric', value: '20' });
  const progress = h('div', { class: 'notice', id: 'issue-result' });
  const button = h('button', { type: 'button', class: 'primary', id: 'issue-codes', onclick: async () => {
    const n = Number(count.value);
    const key = await keys.current();
    const waiting = (await queue.entries()).some((e) => e.batch === batchKey(gtin, lot) && e.status === 'queued');
    if (!online() || waiting || !key || !(n >= 1 && n <= 10000)) { replace(progress, h('p', { class: 'error' }, t('codes.online'))); return; }
    button.disabled = true;
    const started = performance.now();
    const list = serials(n);
    const codes = await signCodes(key, location.origin, gtin, lot, list, (i) => replace(progress, h('p', {}, t('codes.signing'), `${i}/${n}`)));
    const signed = ((performance.now() - started) / 1000).toFixed(2);
    // The event commits to exactly these codes (docs/issuance-commitment.md); the server refuses any others.
    const root = await unitsRoot(codes);
    const record = { kind: 'event', v: 1, type: 'unit_issuance', actor: me?.id, batch: { gtin, lot }, prev: await chainHead(gtin, lot), time: localTime(), data: { count: n, kid: key.kid, units_root: root } };
    const { envelope, id } = await seal(record, key);
    const body = JSON.stringify({ event: JSON.parse(envelope), codes: codes.map((c) => c.code) });
    const seq = await queue.enqueue({ endpoint: '/api/v1/issuances', body, id, batch: batchKey(gtin, lot), prev: record.prev, label: `${t('ev.unit_issuance')} ×${n}`, kind: 'event' });
    await queue.drain();
    const entry = await db.get('queue', seq);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    button.disabled = false;
    replace(progress, entry.status === 'stored'
      ? h('p', { class: 'ok', 'data-seconds': seconds, 'data-signing-seconds': signed, id: 'issued' }, t('codes.issued'), n, ` (${seconds} s)`)
      : h('div', { class: 'error' }, problemList([{ rule: entry.reason?.error ?? 'queued', fields: entry.reason?.field ? [entry.reason.field] : [], message: { 'zh-CN': entry.reason?.message_zh ?? '', en: entry.reason?.message_en ?? '' } }])));
  } }, t('codes.issue'));
  return h('div', {}, h('div', { class: 'field' }, h('label', { for: 'code-count' }, t('codes.count')), count), button, progress);
}

function labelSection(gtin, lot) {
  const template = h('select', { id: 'label-template' }, ['40x30', '30x20', '50x30'].map((v) => h('option', { value: v }, v)));
  const format = h('select', { id: 'label-format' }, ['pdf', 'zpl', 'tspl'].map((v) => h('option', { value: v }, v.toUpperCase())));
  const out = h('div', { class: 'notice', id: 'label-result' });
  const button = h('button', { type: 'button', id: 'download-labels', onclick: async () => {
    const key = await keys.current();
    const payload = { kind: 'label_request', v: 1, time: new Date().toISOString(), nonce: nonce(), batch: { gtin, lot }, format: format.value, template: template.value };
    const { envelope } = await seal(payload, key);
    const response = await fetch('/api/v1/labels', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept-Language': language() }, body: envelope }).catch(() => null);
    if (!response || !response.ok) {
      const answer = response ? await response.json().catch(() => ({})) : { message: t('error.network') };
      replace(out, h('div', { class: 'error' }, problemList([{ rule: answer.error ?? 'network', message: { 'zh-CN': answer.message_zh ?? answer.message, en: answer.message_en ?? answer.message } }])));
      return;
    }
    const blob = await response.blob();
    const name = `${gtin}-${lot}.${format.value}`;
    const link = h('a', { href: URL.createObjectURL(blob), download: name, id: 'label-link', 'data-bytes': blob.size }, name);
    replace(out, h('p', { class: 'ok' }, t('labels.ready'), link));
    link.click();
  } }, t('labels.download'));
  return h('div', {}, h('div', { class: 'field' }, h('label', { for: 'label-template' }, t('labels.template')), template),
    h('div', { class: 'field' }, h('label', { for: 'label-format' }, t('labels.format')), format), button, out);
}

async function queueView() {
  const list = await queue.entries();
  return [h('h2', {}, t('queue.title')),
    h('button', { type: 'button', id: 'send-now', onclick: async () => { await queue.drain(); route(); } }, t('queue.send')),
    list.length ? h('ol', { class: 'queue', id: 'queue' }, list.map((e) => h('li', { class: e.status, 'data-id': e.id, 'data-seq': e.seq },
      h('span', { class: 'state' }, t('state.' + e.status)), ' ', e.label, ' ', e.batch ? h('code', {}, e.batch) : null, ' ', h('code', {}, e.id.slice(0, 12)),
      e.status === 'refused' ? [h('div', { class: 'error' }, h('code', { class: 'rule' }, e.reason.rule ?? e.reason.error), ' ', serverMessage(e.reason)),
        h('button', { type: 'button', class: 'link', onclick: async () => { await queue.discard(e.seq); route(); } }, t('queue.discard'))] : null)))
      : h('p', {}, t('queue.empty'))];
}

// ---- routing --------------------------------------------------------------------

async function route() {
  const hash = location.hash || '#key';
  const [view, ...args] = hash.slice(1).split('/');
  let content;
  try {
    switch (view) {
      case 'register': content = await registerView(); break;
      case 'product': content = await productView(); break;
      case 'batches': content = await batchesView(); break;
      case 'b': content = await batchView(args[0], args[1]); break;
      case 'queue': content = await queueView(); break;
      default: content = await keyView();
    }
  } catch (error) {
    content = [h('p', { class: 'error' }, String(error))];
  }
  replace(main, content);
  main.dataset.view = view;
  await header();
}

window.addEventListener('hashchange', route);
window.addEventListener('online', async () => { await header(); await queue.drain(); await refreshBannedList(); route(); });
window.addEventListener('offline', header);
queue.onChange(header);
setInterval(() => { if (online()) queue.drain(); }, 15000);

if ('serviceWorker' in navigator) navigator.serviceWorker.register('sw.js', { scope: './' }).catch(() => {});
route().then(() => { if (online()) { queue.drain(); refreshBannedList(); } });
