// Builds ../app.js with webpack 5 (production mode, its defaults) into dist/.
import webpack from "webpack";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const config = { mode: "production", context: here, entry: "../app.js", output: { path: `${here}dist` } };
webpack(config, (error, stats) => {
  if (error || stats.hasErrors()) {
    console.error(error ?? stats.toString("errors-only"));
    process.exit(1);
  }
});
