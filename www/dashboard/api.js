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

/** GET `path` with the token; resolves to the response, or throws an ApiError. */
async function fetchOk(path, token) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  if (response.ok) return response;
  const body = await response.json().catch(() => ({}));
  throw new ApiError(response.status, body.error ?? `HTTP ${response.status}`);
}

/** GET `path` with the token; resolves to parsed JSON. */
export async function get(path, token) {
  return (await fetchOk(path, token)).json();
}

/** GET `path` with the token and saves the answer as the file `name` (the token cannot ride on a plain link). */
export async function download(path, token, name) {
  const blob = await (await fetchOk(path, token)).blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}
