// support-kpi time-zone worker (pkg/widget-zone.js): computes a zone's UTC
// offsets with Intl off the page's main thread — the first Intl time-zone
// format in a page costs tens of milliseconds — and posts them back as the
// engine's timeZoneTable: {until, offsets: [[fromMs, minutes], …]}.
const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

self.onmessage = ({ data: { zone, from, to } }) => {
  try {
    const format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    const offset = (ms) => {
      const [month, day, year, hour, minute] = format.format(ms).match(/\d+/g).map(Number);
      return Math.round((Date.UTC(year, month - 1, day, hour % 24, minute) - Math.floor(ms / MINUTE) * MINUTE) / MINUTE);
    };
    const start = Math.floor(from / MINUTE) * MINUTE;
    const offsets = [[start, offset(start)]];
    for (let day = start; day < to; day += DAY) {
      let low = day;
      let high = Math.min(day + DAY, to);
      if (offset(high) === offset(low)) continue;
      while (high - low > MINUTE) {
        const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
        if (offset(middle) === offset(low)) low = middle;
        else high = middle;
      }
      offsets.push([high, offset(high)]);
    }
    self.postMessage({ until: to, offsets });
  } catch (error) {
    self.postMessage({ error: String(error?.message ?? error) });
  }
};
