// The collector's read API, with the read token kept in this tab only.

const TOKEN_KEY = "supportKpiToken";

/** The read token: from the URL fragment (`#token=…`, then removed) or this tab's storage. */
export function readToken() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Remembers a token typed by the user. */
export function saveToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

/** An error from the API; `status` 401 means the token is missing or wrong. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GET `path` with the token; resolves to parsed JSON. */
export async function get(path, token) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body.error ?? `HTTP ${response.status}`);
  return body;
}
