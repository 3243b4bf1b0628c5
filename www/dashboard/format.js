// Number formatting for the dashboard.

const integer = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const money = new Intl.NumberFormat("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 0.4213 → "42.1 %"; null → "–". */
export const percent = (value) => (value == null ? "–" : `${decimal.format(value * 100)} %`);
/** A count with thousands separators. */
export const count = (value) => (value == null ? "–" : integer.format(value));
/** One decimal. */
export const oneDecimal = (value) => (value == null ? "–" : decimal.format(value));
/** A signed whole number (NPS). */
export const signed = (value) => (value == null ? "–" : `${value > 0 ? "+" : ""}${integer.format(value)}`);
/** Two decimals (conversion values; the currency is the site's). */
export const amount = (value) => (value == null ? "–" : money.format(value));

/** Seconds as "42 s", "3.5 min" or "2.1 h". */
export function duration(seconds) {
  if (seconds == null) return "–";
  if (seconds < 90) return `${decimal.format(seconds)} s`;
  if (seconds < 5400) return `${decimal.format(seconds / 60)} min`;
  return `${decimal.format(seconds / 3600)} h`;
}

/** A ratio's tooltip: "412 chats started / 1,890 launcher impressions". */
export function ratioDetail(ratio, numLabel, denLabel) {
  return `${count(ratio.num)} ${numLabel} / ${count(ratio.den)} ${denLabel}`;
}

/** "1 report", "2 reports". */
export const plural = (n, one, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/**
 * The change from `before` to `now` as `{ arrow, text }`: percentage points for
 * shares (`points`), else relative change; null when either side is missing.
 */
export function change(now, before, points) {
  if (now == null || before == null) return null;
  const diff = now - before;
  const arrow = diff > 0 ? "▲" : diff < 0 ? "▼" : "▶";
  if (points) return { arrow, text: `${arrow} ${decimal.format(Math.abs(diff * 100))} pp` };
  if (before === 0) return { arrow, text: diff === 0 ? `${arrow} 0 %` : `${arrow} new` };
  return { arrow, text: `${arrow} ${decimal.format(Math.abs((diff / Math.abs(before)) * 100))} %` };
}
