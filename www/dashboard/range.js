// The range the dashboard shows: a preset (last 24 hours … 90 days) or two
// typed or picked dates (days of the browser's time zone, both included),
// and the previous period of equal length before it.

const DAY = 86_400_000;
/** Preset lengths in days. */
export const PRESETS = { "1": 1, "7": 7, "30": 30, "90": 90 };

/** `yyyy-mm-dd` of `ms` in the browser's time zone. */
export function isoDate(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Local midnight starting the day `yyyy-mm-dd`, or null when it is not a date. */
function dayStart(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const ms = new Date(`${text}T00:00`).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/**
 * `{from, to, bucket, live}` for a preset key, or for dates `fromDate`..`toDate` when the preset is "custom";
 * `live` is true when the range includes `now`. An unusable custom range is `{error}`.
 */
export function chosenRange(preset, fromDate, toDate, now) {
  let from, to;
  if (preset in PRESETS) {
    to = now;
    from = now - PRESETS[preset] * DAY;
  } else {
    from = dayStart(fromDate);
    const last = dayStart(toDate);
    if (from == null || last == null) return { error: "Give both dates as yyyy-mm-dd." };
    to = new Date(`${toDate}T00:00`);
    to.setDate(to.getDate() + 1);
    to = to.getTime();
    if (to <= from) return { error: "The end date must not be before the start date." };
  }
  const bucket = to - from <= 2 * DAY ? "hour" : "day";
  // A preset ends at now: it always includes it.
  return { from, to, bucket, live: preset in PRESETS || (from <= now && now < to) };
}

/** The period of equal length just before `range`. */
export function previousPeriod({ from, to, bucket }) {
  return { from: from - (to - from), to: from, bucket };
}
