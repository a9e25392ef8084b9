// The console API: JSON over fetch, the session cookie sent by the browser,
// the CSRF token in a header on every change.
let csrf = '';

// The client an operator picked; a client's own user never sets one.
let client = '';

export function setCsrf(token) { csrf = token || ''; }
export function setClient(id) { client = id || ''; }

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error && body.error.code;
    this.field = body && body.error && body.error.field;
  }
}

export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let url = `/console/api${path}`;
  if (client && !/^\/(session|clients)/.test(path)) url += `${path.includes('?') ? '&' : '?'}clientId=${encodeURIComponent(client)}`;
  const resp = await fetch(url, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try { data = await resp.json(); } catch { data = null; }
  if (!resp.ok) throw new ApiError(resp.status, data);
  return data;
}
