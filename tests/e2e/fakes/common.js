// Shared by the fake chat vendors (loaded first by the fixture pages):
// `__fakeLauncher(tag, attributes)` adds the vendor's launcher element, fixed
// in the bottom-right corner and fully in view, once the body exists.
window.__fakeLauncher = function (tag, attributes) {
  const launcher = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) launcher.setAttribute(name, value);
  Object.assign(launcher.style, {
    position: "fixed",
    right: "16px",
    bottom: "16px",
    width: "60px",
    height: "60px",
    border: "0",
    borderRadius: "30px",
    background: "#2f6fed",
  });
  const add = () => document.body.appendChild(launcher);
  if (document.body) add();
  else document.addEventListener("DOMContentLoaded", add);
  return launcher;
};
