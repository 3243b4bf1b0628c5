// Runs the built render with every browser global trapped: reading `window`,
// `document`, `self`, `navigator` or `location` is recorded. Prints
// { touched, html }.
const touched = [];
for (const name of ["window", "document", "self", "navigator", "location"]) {
  Object.defineProperty(globalThis, name, { configurable: true, get: () => void touched.push(name) });
}
const { render } = await import("./dist/entry-server.js");
const html = render();
console.log(JSON.stringify({ touched, html }));
