// The outgoing queue: every signed request is stored in IndexedDB first and sent in
// signing order. A record the server refuses stays with its reason; a replay answer
// (409 replay: the server already holds this record) counts as stored.
import * as db from './db.js';
import { language } from './i18n.js';

const listeners = new Set();
export const onChange = (f) => listeners.add(f);
const changed = () => listeners.forEach((f) => f());

/** Adds a signed request: { endpoint, body, id?, batch?, prev?, label }. */
export async function enqueue(entry) {
  const seq = await db.put('queue', { ...entry, status: 'queued', created: new Date().toISOString() });
  changed();
  return seq;
}

export const entries = () => db.all('queue');

export async function discard(seq) {
  await db.remove('queue', seq);
  changed();
}

async function send(entry) {
  let response;
  try {
    response = await fetch(entry.endpoint, {
      method: 'POST', body: entry.body,
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'Accept-Language': language() },
    });
  } catch {
    return 'offline';
  }
  const answer = await response.json().catch(() => ({}));
  if (response.status === 201 || response.status === 200 || (response.status === 409 && answer.error === 'replay')) {
    Object.assign(entry, { status: 'stored', answer, stored: new Date().toISOString() });
  } else if (response.status >= 500 || response.status === 408 || response.status === 429) {
    return 'offline';   // the server is not ready: try again later, in the same order
  } else {
    Object.assign(entry, { status: 'refused', reason: { status: response.status, ...answer } });
  }
  await db.put('queue', entry);
  changed();
  return entry.status;
}

let draining = null;

/** Sends every queued entry in order; stops at the first network failure. */
export function drain() {
  // A run already under way may have looked for work before the caller queued its
  // entry: chain a fresh run after it.
  if (draining) return draining.then(drain);
  draining = (async () => {
    const run = async () => {
      for (;;) {   // re-read each time: entries queued meanwhile are sent too
        const next = (await entries()).find((e) => e.status === 'queued');
        if (!next || await send(next) === 'offline') break;
      }
    };
    // One drain at a time across tabs too, so a record is never sent twice at once.
    try { await (navigator.locks ? navigator.locks.request('yima-drain', run) : run()); } finally { draining = null; }
  })();
  return draining;
}

export const pending = async () => (await entries()).filter((e) => e.status === 'queued').length;
