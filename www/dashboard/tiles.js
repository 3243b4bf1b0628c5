// One KPI tile: headline, change against the previous period (value and
// arrow), sample size, optional second line, sparkline slot and hover detail.
import { change, count } from "./format.js";

/** The tile of `tile` for the answer `data`, compared with `previous` (an answer of the period before). */
export function renderTile(tile, data, previous) {
  const source = (answer) => (tile.answer ? answer : answer?.kpis);
  const now = source(data);
  const before = previous && source(previous);
  const box = element("div", "tile");
  box.tabIndex = 0;
  box.append(element("div", "label", tile.label), element("div", "value", tile.format(tile.value(now))));
  const meta = element("div", "meta");
  const delta = before ? change(tile.value(now), tile.value(before), tile.points) : null;
  const shift = element("span", `change${delta ? "" : " none"}`, delta ? delta.text : "▶ –");
  shift.title = delta ? `previous period: ${tile.format(tile.value(before))}` : "no figure to compare with in the previous period";
  meta.append(shift, element("span", "n", `n = ${count(tile.n(now))}`));
  box.append(meta);
  if (tile.sub) box.append(element("div", "sub", tile.sub(now)));
  const spark = element("div", "spark");
  box.append(spark);
  const previousDetail = before && tile.detail ? `Previous period: ${tile.detail(before)}` : "Previous period: no data";
  if (tile.detail) box.append(element("div", "detail", `${tile.detail(now)}\n${previousDetail}`));
  return { box, spark };
}

/** A new element with a class and text. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
