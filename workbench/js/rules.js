// The offline warning for banned pesticides: the same list the server's rule reads
// (GET /api/v1/rules/banned-pesticides, kept in IndexedDB), matched the way
// BannedPesticideList.match does (docs/records.md §Banned pesticides).
import * as db from './db.js';

export async function refreshBannedList() {
  try {
    const response = await fetch('/api/v1/rules/banned-pesticides');
    if (response.ok) await db.put('kv', await response.json(), 'banned-pesticides');
  } catch { /* offline: keep the copy we have */ }
}

/** Case-folded, full-width forms half-width, spaces and joining punctuation removed. */
export function normalize(text) {
  let out = '';
  for (const ch of text) {
    let code = ch.codePointAt(0);
    if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
    if (code === 0x3000) code = 0x20;
    const c = String.fromCodePoint(code);
    if (/\s/u.test(c) || '-_,.·、，（）()'.includes(c)) continue;
    out += c;
  }
  return out.toLowerCase();
}

/** The ban `text` falls under for `product` on `date` (YYYY-MM-DD), or null. */
export function match(list, text, product, date) {
  const haystack = normalize(text);
  const candidates = [];
  for (const pesticide of list.pesticides) {
    for (const name of [pesticide.name_zh, pesticide.name_en, ...(pesticide.aliases ?? [])]) {
      const needle = normalize(name);
      if (!needle) continue;
      const latin = /^[\x00-\x7f]*$/.test(needle);
      const hit = latin && [...needle].length < 5 ? haystack === needle : haystack.includes(needle);
      if (hit) candidates.push({ pesticide, name, length: [...needle].length });
    }
  }
  candidates.sort((a, b) => b.length - a.length);
  const productNames = normalize(product.name + (product.variety ?? ''));
  for (const { pesticide, name } of candidates) {
    for (const ban of pesticide.bans) {
      if (ban.from && ban.from > date) continue;
      const covers = ban.scope.includes('all') || ban.scope.includes(product.category)
        || (ban.crops ?? []).some((crop) => productNames.includes(normalize(crop)));
      if (covers) return { pesticide, ban, name };
    }
  }
  return null;
}

/** Problems in the shape of the server's dry run, for a pesticide application. */
export async function offlineProblems(record, product) {
  const list = await db.get('kv', 'banned-pesticides');
  if (!list || !product || record.type !== 'input_application' || record.data.input !== 'pesticide') return [];
  for (const field of ['name', 'active_ingredient']) {
    const hit = match(list, record.data[field] ?? '', product, record.data.date);
    if (hit) {
      return [{
        rule: 'banned-pesticide', fields: [`data.${field}`],
        message: {
          'zh-CN': `${hit.pesticide.name_zh} 禁止用于该产品（${hit.ban.source}）`,
          en: `${hit.pesticide.name_en} is banned for this product (${hit.ban.source})`,
        },
      }];
    }
  }
  return [];
}
