// The API key the dashboard sends (Authorization: Bearer). Kept for this tab only (sessionStorage):
// closing the tab forgets it, and no other site or tab can read it.

const STORAGE = 'longhaul.apiKey';
const listeners = new Set();

export function apiKey() {
  return sessionStorage.getItem(STORAGE);
}

export function setApiKey(key) {
  sessionStorage.setItem(STORAGE, key);
}

export function forgetApiKey() {
  sessionStorage.removeItem(STORAGE);
}

export function authHeaders() {
  const key = apiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** The server wants a key (401): the key is forgotten and the listeners ask for one. */
export function keyRefused() {
  forgetApiKey();
  for (const listener of listeners) listener();
}

export function onKeyRequired(listener) {
  listeners.add(listener);
}
