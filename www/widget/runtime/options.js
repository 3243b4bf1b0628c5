// Reads the widget's `data-` attributes into the engine configuration and the
// widget's own options. An invalid value gets one console warning and its
// default (for `data-storage` and `data-consent`: the mode that stores less);
// only a missing or invalid `data-site` or `data-dp-epsilon` stops the widget.

import { ATTRIBUTION_DAYS, DP_EPSILON, SERVICE_LEVEL_SECONDS, SESSION_TIMEOUT_MINUTES } from "./schema.js";

const SLUG = /^[a-z0-9_-]{1,64}$/;
const CHATS = ["auto", "none", "generic", "livechat", "intercom", "zendesk", "crisp", "tawk", "chatwoot", "freshchat"];
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/**
 * The options of one widget from its script's dataset.
 * `warn(message)` receives one message per invalid attribute.
 */
export function readOptions(data, scriptUrl, warn) {
  if (!SLUG.test(data.site || "")) {
    throw new Error('data-site is required: 1-64 characters from a-z, 0-9, "_" and "-"');
  }
  const invalid = (name, value, expected, fallback) =>
    warn(`data-${name}="${value}" ${expected}; using ${fallback}`);
  const number = (name, [min, max, fallback]) => {
    const raw = data[camel(name)];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    invalid(name, raw, `is not a whole number from ${min} to ${max}`, fallback);
    return fallback;
  };
  const names = (name) =>
    list(data[camel(name)]).filter((item) => SLUG.test(item) || void invalid(name, item, "is not a slug", "it left out"));

  const config = {
    siteKey: data.site,
    // Whether the zone exists is found out later, from its table or Intl (zone.js).
    timeZone: data.timeZone || "UTC",
    openingHours: openingHours(data.openingHours, (raw, why) => invalid("opening-hours", raw, why, "always open")),
    serviceLevelSeconds: number("service-level", SERVICE_LEVEL_SECONDS),
    goals: names("goals"),
    tags: names("tags"),
    attributionDays: number("attribution-days", ATTRIBUTION_DAYS),
    sessionTimeoutMinutes: number("session-timeout", SESSION_TIMEOUT_MINUTES),
    dpEpsilon: epsilon(data.dpEpsilon),
  };
  let chat = data.chat || "auto";
  if (!CHATS.includes(chat)) {
    invalid("chat", chat, `is not one of ${CHATS.join(", ")}`, '"auto"');
    chat = "auto";
  }
  // A value that is not understood falls back to the mode that stores less.
  let storage = data.storage ?? "local";
  if (storage !== "local" && storage !== "memory") {
    invalid("storage", storage, 'is not "local" or "memory"', '"memory"');
    storage = "memory";
  }
  const consent = data.consent;
  if (consent !== undefined && consent !== "required") invalid("consent", consent, 'is not "required"', '"required"');
  return {
    config,
    storage,
    consentRequired: consent !== undefined,
    endpoint: endpoint(data.endpoint, scriptUrl, (raw) => invalid("endpoint", raw, "is not an http(s) URL", "/api/report")),
    supportPages: patterns(data.supportPages),
    chat,
    launcher: selector(data.launcher, (raw) => invalid("launcher", raw, "is not a CSS selector", "the chat vendor's launcher")),
  };
}

/**
 * `data-dp-epsilon`: reports are then clipped and noised on the device. An
 * invalid value stops the widget, which must not fall back to exact counts.
 */
function epsilon(raw) {
  if (raw === undefined) return null;
  const [low, high] = DP_EPSILON;
  const value = raw.trim() === "" ? NaN : Number(raw);
  if (value >= low && value <= high) return value;
  throw new Error(`data-dp-epsilon="${raw}" is not a number from ${low} to ${high}; not starting rather than sending exact counts`);
}

function camel(name) {
  return name.replace(/-(.)/g, (_, c) => c.toUpperCase());
}

function list(raw) {
  return (raw || "").split(",").map((s) => s.trim()).filter(Boolean);
}

function endpoint(raw, scriptUrl, onInvalid) {
  const fallback = new URL("/api/report", scriptUrl).href;
  if (!raw) return fallback;
  try {
    const url = new URL(raw, document.baseURI);
    if (url.protocol === "https:" || url.protocol === "http:") return url.href;
  } catch {
    // falls through to the warning
  }
  onInvalid(raw);
  return fallback;
}

function selector(raw, onInvalid) {
  if (!raw) return null;
  try {
    document.querySelector(raw);
    return raw;
  } catch {
    onInvalid(raw);
    return null;
  }
}

/** Path patterns: `*` matches any run of characters; no attribute means every page is a support page. */
function patterns(raw) {
  const globs = raw === undefined ? ["*"] : list(raw);
  return globs.map((glob) => new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`));
}

/** True when `path` matches one of the support-page patterns. */
export function isSupportPage(options, path) {
  return options.supportPages.some((pattern) => pattern.test(path));
}

/**
 * Parses `"mon-fri 09:00-17:30, sat 10:00-14:00"` into the engine's
 * `openingHours`. Groups are separated by `,` or `;`; a day range may wrap
 * (`sat-sun`); a time range may cross midnight (`22:00-02:00` is split).
 */
export function openingHours(raw, onInvalid) {
  if (!raw) return null;
  const hours = {};
  const add = (day, from, to) => (hours[DAYS[day % 7]] ||= []).push([from, to]);
  for (const group of raw.split(/[;,]/).map((s) => s.trim()).filter(Boolean)) {
    const match = /^([a-z]{3})(?:-([a-z]{3}))?\s+(\d\d:\d\d)-(\d\d:\d\d)$/i.exec(group);
    const first = match && DAYS.indexOf(match[1].toLowerCase());
    const last = match && DAYS.indexOf((match[2] || match[1]).toLowerCase());
    if (!match || first < 0 || last < 0 || !validTime(match[3], false) || !validTime(match[4], true) || match[3] === match[4]) {
      onInvalid(raw, `has an invalid group "${group}" (expected e.g. "mon-fri 09:00-17:30")`);
      return null;
    }
    const [, , , from, to] = match;
    const span = (last - first + 7) % 7;
    for (let day = first; day <= first + span; day++) {
      if (from < to) add(day, from, to);
      else {
        add(day, from, "24:00");
        if (to !== "00:00") add(day + 1, "00:00", to);
      }
    }
  }
  return hours;
}

function validTime(text, isEnd) {
  const [h, m] = text.split(":").map(Number);
  return m < 60 && (h < 24 || (isEnd && h === 24 && m === 0));
}
// A start of "24:00" and empty ranges are rejected above, so `from < to`
// fails only for ranges that cross midnight.
