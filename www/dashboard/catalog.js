// The KPI tiles, grouped by family as in KPIS.md. Each tile reads one number
// from a KPI object (`value`, used for the headline and the sparkline),
// formats it (`format`), and explains its numerator and denominator on hover
// (`detail`); `sub` is an optional second line.
import { amount, count, duration, oneDecimal, percent, ratioDetail, signed } from "./format.js";

/** A ratio tile shown as a percentage. */
const ratio = (label, pick, numLabel, denLabel) => ({
  label,
  value: (k) => pick(k).value,
  format: percent,
  detail: (k) => ratioDetail(pick(k), numLabel, denLabel),
});

/** A duration tile: median, with p90 and the count in the detail. */
const timing = (label, pick) => ({
  label,
  value: (k) => pick(k).p50,
  format: duration,
  sub: (k) => `p90 ${duration(pick(k).p90)}`,
  detail: (k) => {
    const d = pick(k);
    return `${count(d.count)} measured · mean ${duration(d.mean)} · p50 ${duration(d.p50)} · p90 ${duration(d.p90)} · p99 ${duration(d.p99)}`;
  },
});

/** A plain number tile. */
const number = (label, pick, detail) => ({ label, value: pick, format: count, detail });

/** The families, in the order of KPIS.md. */
export const FAMILIES = [
  {
    name: "Engagement",
    tiles: [
      ratio("Chat engagement", (k) => k.engagement.chatEngagementRatio, "chats started", "launcher impressions"),
      ratio("Launcher click-through", (k) => k.engagement.launcherClickThrough, "clicks", "launcher impressions"),
      ratio("Open → start", (k) => k.engagement.openToStart, "chats started", "chat windows opened"),
      ratio("Support page share", (k) => k.engagement.supportPageShare, "support page views", "page views"),
      ratio("Support contact rate", (k) => k.engagement.supportContactRate, "support sessions with a chat", "support sessions"),
    ],
  },
  {
    name: "Availability",
    tiles: [
      ratio("Coverage", (k) => k.availability.coverage, "page views in opening hours", "page views"),
      ratio("Presence", (k) => k.availability.presence, "page views with chat online", "page views"),
      ratio("Presence in hours", (k) => k.availability.presenceInHours, "in-hours page views with chat online", "in-hours page views"),
    ],
  },
  {
    name: "Speed",
    tiles: [
      timing("First response", (k) => k.speed.firstResponse),
      {
        ...ratio("Service level", (k) => k.speed.serviceLevel, "first responses in time", "chats started"),
        sub: (k) => `within ${k.speed.serviceLevelSeconds} s`,
      },
      timing("Response time", (k) => k.speed.response),
      timing("Resolution time", (k) => k.speed.resolution),
    ],
  },
  {
    name: "Prevention",
    tiles: [
      ratio("Abandonment", (k) => k.prevention.abandonmentRate, "chats without an agent reply", "chats started"),
      ratio("First contact resolution", (k) => k.prevention.fcr, "resolved at first contact", "chats ended with a known outcome"),
      ratio("Escalation rate", (k) => k.prevention.escalationRate, "escalated", "chats ended"),
      ratio("Transfer rate", (k) => k.prevention.transferRate, "transferred", "chats ended"),
      {
        ...number("Complaints", (k) => k.prevention.complaints, (k) => `${count(k.prevention.complaintsResolved)} of ${count(k.prevention.complaints)} resolved`),
        sub: (k) => `${count(k.prevention.complaintsResolved)} resolved`,
      },
    ],
  },
  {
    name: "Friendliness",
    tiles: [
      {
        ...ratio("CSAT", (k) => k.friendliness.csat, "ratings of 4-5", "ratings"),
        sub: (k) => `mean ${oneDecimal(k.friendliness.csatMean.value)} / 5`,
      },
      {
        label: "NPS",
        value: (k) => k.friendliness.nps.value,
        format: signed,
        detail: (k) => {
          const n = k.friendliness.nps;
          return `${count(n.promoters)} promoters · ${count(n.passives)} passives · ${count(n.detractors)} detractors`;
        },
      },
      {
        label: "Customer effort",
        value: (k) => k.friendliness.ces.value,
        format: oneDecimal,
        sub: () => "of 7 (lower is easier)",
        detail: (k) => `${count(k.friendliness.ces.count)} ratings`,
      },
    ],
  },
  {
    name: "Contribution",
    tiles: [
      {
        label: "Conversions after chat",
        value: (k) => k.contribution.conversionsAfterChat.count,
        format: count,
        sub: (k) => `value ${amount(k.contribution.conversionsAfterChat.value)}`,
        detail: (k) => `of ${count(k.contribution.conversions.count)} conversions in all (value ${amount(k.contribution.conversions.value)})`,
      },
      ratio("Conversion with chat", (k) => k.contribution.conversionRateWithChat, "converted sessions", "sessions with a chat"),
      ratio("Conversion without chat", (k) => k.contribution.conversionRateWithoutChat, "converted sessions", "sessions without a chat"),
      {
        label: "Value per chat",
        value: (k) => k.contribution.valuePerChat.value,
        format: amount,
        detail: (k) => `${amount(k.contribution.valuePerChat.num)} after-chat value / ${count(k.contribution.valuePerChat.den)} chats`,
      },
    ],
  },
  {
    name: "Productivity",
    tiles: [
      number("Chats started", (k) => k.productivity.chatsStarted, (k) => `${count(k.productivity.openConversations)} still open`),
      {
        label: "Messages per chat",
        value: (k) => k.productivity.messagesPerChat.value,
        format: oneDecimal,
        detail: (k) => ratioDetail(k.productivity.messagesPerChat, "messages", "chats"),
      },
      number("Open conversations", (k) => k.productivity.openConversations, () => "chats started and not yet closed"),
    ],
  },
];
