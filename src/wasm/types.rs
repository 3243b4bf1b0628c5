//! TypeScript types for every argument and return value of the JS API.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/// <reference lib="esnext.disposable" />
/** Weekday keys of `openingHours`. */
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

/** A local time range `[start, end)` as `["HH:MM", "HH:MM"]`; `"24:00"` may end a range. */
export type TimeRange = [string, string];

/** Engine configuration. Unknown keys and ill-typed values are errors naming the key. */
export interface KpiConfig {
  /** The site's key, `[a-z0-9_-]{1,64}`. */
  siteKey: string;
  /** IANA time zone for hour/day buckets and opening hours. Default `"UTC"`. */
  timeZone?: string;
  /**
   * Offsets of `timeZone` the caller already knows: from each `[fromMs, minutes]`
   * on, that offset, until `until`. Within it the zone's rules (Intl) are not
   * needed; the widget computes it in a worker so that Intl's first use does
   * not block the page.
   */
  timeZoneTable?: { until: number; offsets: [number, number][] };
  /** Weekly opening hours; days not listed are closed. Absent or `null`: always open. */
  openingHours?: Partial<Record<Weekday, TimeRange[]>> | null;
  /** Conversion goals that may be tracked (slugs, at most 32). */
  goals?: string[];
  /** Tags that may be tracked (slugs, at most 32); list `"complaint"` to count complaints. */
  tags?: string[];
// BEGIN GENERATED config: edit src/schema/ or src/members/ and run `cargo run --example schema -- --write`
  /** First responses within this many seconds meet the service level: an integer from 1 to 86400, default 60. */
  serviceLevelSeconds?: number;
  /** Days after a chat in which a conversion counts as after chat (0: the chat's session only): an integer from 0 to 365, default 7. */
  attributionDays?: number;
  /** Minutes of inactivity that end a session: an integer from 1 to 1440, default 30. */
  sessionTimeoutMinutes?: number;
  /** ε of differential privacy: every report is clipped and noised on the device (docs/kpis.md, "Differential privacy"): a number from 0.1 to 10; absent or `null`: off. */
  dpEpsilon?: number | null;
// END GENERATED config
}

// BEGIN GENERATED events: edit src/schema/ or src/members/ and run `cargo run --example schema -- --write`
/** One event; `ts` is milliseconds since the epoch (`Date.now()`), between 2000 and 2100. */
export type KpiEvent =
  | { type: "page_view"; ts: number; support: boolean }
  | { type: "chat_button_impression"; ts: number }
  | { type: "chat_button_click"; ts: number }
  | { type: "chat_open"; ts: number }
  | { type: "availability"; ts: number; online: boolean }
  | { type: "chat_started"; ts: number }
  | { type: "customer_message"; ts: number }
  | { type: "agent_message"; ts: number }
  | { type: "chat_ended"; ts: number; resolved?: boolean; transferred?: boolean; escalated?: boolean }
  | { type: "survey"; ts: number; kind: "csat" | "nps" | "ces"; score: number }
  | { type: "conversion"; ts: number; goal: string; value?: number }
  | { type: "tag"; ts: number; name: string };
// END GENERATED events

/** What `trackBatch` did. */
export interface BatchResult {
  /** Events counted. */
  accepted: number;
  /** Each rejected event's index in the batch and the error naming its field. */
  rejected: { index: number; error: string }[];
}

/** A ratio that merges exactly: `value` is `num / den`, or `null` when `den` is 0. */
export interface Ratio { num: number; den: number; value: number | null }

/** Durations in seconds; statistics are `null` when `count` is 0. Quantiles are within 0.79 %. */
export interface Distribution { count: number; mean: number | null; p50: number | null; p90: number | null; p99: number | null }

/** A mean with the number of values behind it. */
export interface Mean { value: number | null; count: number }

/** Conversions: count and value, in total and per goal. */
export interface Conversions { count: number; value: number; byGoal: Record<string, { count: number; value: number }> }

// BEGIN GENERATED hour-counts: edit src/schema/ or src/members/ and run `cargo run --example schema -- --write`
/** Counts of one hour of the day (local time). */
export interface HourCounts { pageViews: number; impressions: number; chatsStarted: number; onlinePageViews: number; inHoursPageViews: number }
// END GENERATED hour-counts

/**
 * The KPI object. Ratios are `{ num, den, value }`; durations are in seconds.
 * Each family's `counts` are its raw counts, the numerators and denominators behind the ratios.
 */
export interface Kpis {
  site: string;
  /** Whole hours covered, ms since the epoch; `null` when nothing was tracked. */
  period: { from: number; to: number } | null;
  /** Differential-privacy noise in the counts (`reports` noised, `variance` per count); `null` when exact. */
  noise: Noise | null;
// BEGIN GENERATED kpis: edit src/schema/ or src/members/ and run `cargo run --example schema -- --write`
  engagement: {
    supportPageShare: Ratio; supportContactRate: Ratio; chatEngagementRatio: Ratio; launcherClickThrough: Ratio; openToStart: Ratio;
    counts: { pageViews: number; supportPageViews: number; sessions: number; supportSessions: number; supportContactSessions: number; impressions: number; clicks: number; chatOpens: number; chatsStarted: number };
  };
  availability: {
    coverage: Ratio; presence: Ratio; presenceInHours: Ratio; offlineMessages: Ratio;
    counts: { inHoursPageViews: number; onlinePageViews: number; onlineInHoursPageViews: number; offlineChatsStarted: number };
  };
  /** The `…Online` members count only chats started while chat was online. */
  speed: {
    firstResponse: Distribution; firstResponseOnline: Distribution; serviceLevel: Ratio; serviceLevelOnline: Ratio; serviceLevelSeconds: number; response: Distribution; resolution: Distribution; handleTime: Distribution;
    counts: { serviceLevelMet: number; serviceLevelMetOnline: number; answeredChats: number; answeredChatsOnline: number };
  };
  prevention: {
    abandonmentRate: Ratio; abandonmentRateOnline: Ratio; repeatContactRate: Ratio; fcr: Ratio; escalationRate: Ratio; transferRate: Ratio; complaints: number; complaintsResolved: number; tags: Record<string, number>; abandonWait: Distribution;
    counts: { chatsEnded: number; abandoned: number; outcomeKnown: number; resolvedFirstContact: number; escalated: number; transferred: number; complaintsResolved: number; abandonedOnline: number; repeatContacts: number };
  };
  friendliness: {
    csat: Ratio; csatMean: Mean; nps: { value: number | null; promoters: number; passives: number; detractors: number; count: number }; ces: Mean;
    counts: { csatRatings: number; npsRatings: number; cesRatings: number };
  };
  contribution: {
    conversionsAfterChat: Conversions; conversions: Conversions; conversionRateWithChat: Ratio; conversionRateWithoutChat: Ratio; valuePerChat: Ratio;
    counts: { sessionsWithChat: number; sessionsConvertedAfterChat: number; sessionsConvertedWithoutChat: number };
  };
  productivity: {
    chatsStarted: number; messagesPerChat: Ratio; openConversations: number;
    counts: { messages: number; chatsClosed: number };
  };
  /** 24 hours of the day, local time. */
  byHour: HourCounts[];
  /** 7 × 24 matrices (Monday first) of counts per weekday and hour, local time. */
  byWeekdayHour: { pageViews: number[][]; onlinePageViews: number[][]; inHoursPageViews: number[][]; chatsStarted: number[][] };
// END GENERATED kpis
}

/** Noise of differentially private reports: how many are merged in, and the variance it adds to each count. */
export interface Noise { reports: number; variance: number }

/** Durations as sent: exact sum and `[bucketIndex, count]` pairs of the log-linear histogram. */
export interface ReportSketch { sumMs: number; buckets: [number, number][] }

/**
 * An aggregate report: the only data that leaves the browser. Counter arrays
 * are positional (see docs/kpis.md), trailing zeros and empty parts left out.
 */
export interface Report {
  /** Schema version (1). */
  v: number;
  site: string;
  /** Random id of a sent report, for de-duplication; absent on merged reports. */
  id?: string;
  /** Whole hours covered; absent when nothing was counted. */
  period?: { from: number; to: number };
  serviceLevelSeconds: number;
  /** Present when the counts are noised (differential privacy); they may then be negative. */
  noise?: Noise;
// BEGIN GENERATED report: edit src/schema/ or src/members/ and run `cargo run --example schema -- --write`
  /** Counts by position, trailing zeros left out: page_views, support_page_views, sessions, support_sessions, support_contact_sessions, impressions, clicks, chat_opens, chats_started. */
  engagement?: number[];
  /** Counts by position, trailing zeros left out: in_hours_page_views, online_page_views, online_in_hours_page_views, offline_chats_started. */
  availability?: number[];
  /** Counts by position, trailing zeros left out: service_level_met, service_level_met_online. */
  speed?: number[];
  /** Counts by position, trailing zeros left out: chats_ended, abandoned, outcome_known, resolved_first_contact, escalated, transferred, complaints_resolved, abandoned_online, repeat_contacts. */
  prevention?: number[];
  /** Counts by position, trailing zeros left out: sessions_with_chat, sessions_converted_after_chat, sessions_converted_without_chat. */
  contribution?: number[];
  /** Counts by position, trailing zeros left out: messages, chats_closed. */
  productivity?: number[];
  firstResponse?: ReportSketch;
  response?: ReportSketch;
  resolution?: ReportSketch;
  firstResponseOnline?: ReportSketch;
  handleTime?: ReportSketch;
  /** Per tag: count. */
  tags?: Record<string, number[]>;
  abandonWait?: ReportSketch;
  /** Per goal: count, value (thousandths), after-chat count, after-chat value (thousandths). */
  goals?: Record<string, number[]>;
  /** Ratings by position: scores 1 … 5. */
  csat?: number[];
  /** Ratings by position: scores 0 … 10. */
  nps?: number[];
  /** Ratings by position: scores 1 … 7. */
  ces?: number[];
  /** Per hour of the week with any count (key 0 = Monday 00:00 local): page_views, impressions, chats_started, online_page_views, in_hours_page_views. */
  hours?: Record<string, number[]>;
// END GENERATED report
}
"#;
