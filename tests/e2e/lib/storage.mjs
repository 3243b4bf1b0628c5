// Instrumentation of every storage API of a page, for tests that prove what the widget touches.

/**
 * Records in `window.storageTouched` every use of a storage API: Web
 * Storage (both objects and every Storage method), IndexedDB, cookies
 * (`document.cookie`, Cookie Store), the Cache API and StorageManager.
 */
export function instrumentStorage() {
  const touched = (window.storageTouched = []);
  const watch = (target, name) => {
    const owner = [target, Object.getPrototypeOf(target)].find((o) => Object.getOwnPropertyDescriptor(o, name));
    if (!owner) return;
    const original = Object.getOwnPropertyDescriptor(owner, name);
    const wrapped = { configurable: true, enumerable: original.enumerable };
    if (original.get) {
      wrapped.get = function () {
        touched.push(name);
        return original.get.call(this);
      };
      if (original.set) {
        wrapped.set = function (value) {
          touched.push(`${name}=`);
          original.set.call(this, value);
        };
      }
    } else {
      wrapped.value = function () {
        touched.push(name);
        return original.value.apply(this, arguments);
      };
    }
    Object.defineProperty(owner, name, wrapped);
  };
  for (const name of ["localStorage", "sessionStorage", "indexedDB", "caches", "cookieStore"]) watch(window, name);
  for (const name of ["getItem", "setItem", "removeItem", "clear", "key", "length"]) watch(Storage.prototype, name);
  watch(Document.prototype, "cookie");
  watch(Navigator.prototype, "storage");
}
