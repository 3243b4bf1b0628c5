// The widget's other files, by content-hashed name, each checked against an
// integrity hash from the build, so a page that includes the loader with
// `integrity` runs nothing the build did not produce: the loader checks this
// runtime and the engine; this runtime carries the hash of the manifest
// (widget-files-HASH.json), which has those of the files only some pages
// load — vendor adapters, the full engine for live KPIs.
/* global MANIFEST_FILE */

/** The manifest's `[name, integrity]`, from the build (as "name integrity"). */
const MANIFEST = MANIFEST_FILE.split(" ");
let manifest = null;

/** Fetches `[name, integrity]` below `base`; rejects naming the file when it fails or does not match. */
const fetchChecked = ([name, integrity], base) =>
  fetch(new URL(name, base), { integrity })
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response;
    })
    .catch(() => {
      throw new Error(`${name} failed to load or does not match its integrity hash`);
    });

/** `[name, integrity]` of file `key`, or a list of them for a module and its imports. */
async function lookup(key, base) {
  manifest ??= fetchChecked(MANIFEST, base).then((response) => response.json());
  const entry = (await manifest)[key];
  if (!entry) throw new Error(`the build made no file "${key}"`);
  return entry;
}

/** The response for file `key` (`kpisWasm`) below `base`, checked against its hash. */
export async function verifiedFetch(key, base) {
  return fetchChecked(await lookup(key, base), base);
}

/**
 * Fetches the module files of `key` (`kpis`, `adapter:<vendor>`) as module
 * preloads checked against their hashes; resolves with the URL of the first
 * once all are in, so that `import()` of it takes the verified modules.
 */
export async function preloadVerified(key, base) {
  const entry = await lookup(key, base);
  const urls = (typeof entry[0] === "string" ? [entry] : entry).map(([name, integrity]) => {
    const link = Object.assign(document.createElement("link"), { rel: "modulepreload", href: new URL(name, base).href, integrity });
    const loaded = new Promise((resolve, reject) => {
      link.onload = () => resolve(link.href);
      link.onerror = () => reject(new Error(`${name} failed to load or does not match its integrity hash`));
    });
    document.head.append(link);
    return loaded.finally(() => link.remove());
  });
  return (await Promise.all(urls))[0];
}
