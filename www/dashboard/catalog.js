// The KPI tiles, grouped by family as in docs/kpis.md. Each tile reads one number
// from a KPI object (`value`, used for the headline, the change against the
// previous period and the sparkline), formats it (`format`), gives its sample
// size (`n`), and explains its numerator and denominator on hover (`detail`);
// `sub` is an optional second line. `points`: the change is in percentage
// points. A tile with `answer` reads the whole API answer instead (no sparkline).
import { amount, count, duration, oneDecimal, percent, ratioDetail, signed } from "./format.js";

/** A ratio tile shown as a percentage. */
const ratio = (label, pick, numLabel, denLabel) => ({
  label,
  value: (k) => pick(k).value,
  format: percent,
  points: true,
  n: (k) => pick(k).den,
  detail: (k) => ratioDetail(pick(k), numLabel, denLabel),
});

/** A duration tile: median, with p90 and the count in the detail. */
const timing = (label, pick) => ({
  label,
  value: (k) => pick(k).p50,
  format: duration,
  n: (k) => pick(k).count,
  sub: (k) => `p90 ${duration(pick(k).p90)}`,
  detail: (k) => {
    const d = pick(k);
    return `${count(d.count)} measured · mean ${duration(d.mean)} · p50 ${duration(d.p50)} · p90 ${duration(d.p90)} · p99 ${duration(d.p99)}`;
  },
});

/** A plain number tile: its sample is itself. */
const number = (label, pick, detail) => ({ label, value: pick, format: count, n: pick, detail });

/** The families, in the order of docs/kpis.md. */
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
      ratio("Offline messages", (k) => k.availability.offlineMessages, "chats started while chat was offline", "chats started"),
    ],
  },
  {
    name: "Speed",
    tiles: [
      {
        ...timing("First response (online)", (k) => k.speed.firstResponseOnline),
        sub: (k) => `p90 ${duration(k.speed.firstResponseOnline.p90)} · all chats p50 ${duration(k.speed.firstResponse.p50)}`,
      },
      {
        ...ratio("Service level (online)", (k) => k.speed.serviceLevelOnline, "first responses in time", "chats started online"),
        sub: (k) => `within ${k.speed.serviceLevelSeconds} s · all chats ${percent(k.speed.serviceLevel.value)}`,
      },
      timing("Response time", (k) => k.speed.response),
      timing("Resolution time", (k) => k.speed.resolution),
      timing("Handle time", (k) => k.speed.handleTime),
    ],
  },
  {
    name: "Prevention",
    tiles: [
      {
        ...ratio("Abandonment (online)", (k) => k.prevention.abandonmentRateOnline, "chats without an agent reply", "chats started online"),
        sub: (k) => `all chats ${percent(k.prevention.abandonmentRate.value)}`,
      },
      ratio("First contact resolution", (k) => k.prevention.fcr, "resolved at first contact", "chats ended with a known outcome"),
      ratio("Repeat contacts", (k) => k.prevention.repeatContactRate, "chats on a device that chatted in the 7 days before", "chats started"),
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
        n: (k) => k.friendliness.nps.promoters + k.friendliness.nps.passives + k.friendliness.nps.detractors,
        detail: (k) => {
          const n = k.friendliness.nps;
          return `${count(n.promoters)} promoters · ${count(n.passives)} passives · ${count(n.detractors)} detractors`;
        },
      },
      {
        label: "Customer effort",
        value: (k) => k.friendliness.ces.value,
        format: oneDecimal,
        n: (k) => k.friendliness.ces.count,
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
        n: (k) => k.contribution.conversions.count,
        sub: (k) => `value ${amount(k.contribution.conversionsAfterChat.value)}`,
        detail: (k) => `of ${count(k.contribution.conversions.count)} conversions in all (value ${amount(k.contribution.conversions.value)})`,
      },
      ratio("Conversion with chat", (k) => k.contribution.conversionRateWithChat, "converted sessions", "sessions with a chat"),
      ratio("Conversion without chat", (k) => k.contribution.conversionRateWithoutChat, "converted sessions", "sessions without a chat"),
      {
        label: "Value per chat",
        value: (k) => k.contribution.valuePerChat.value,
        format: amount,
        n: (k) => k.contribution.valuePerChat.den,
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
        n: (k) => k.productivity.messagesPerChat.den,
        detail: (k) => ratioDetail(k.productivity.messagesPerChat, "messages", "chats"),
      },
      number("Open conversations", (k) => k.productivity.openConversations, () => "chats started and not yet closed"),
      {
        label: "Cost per conversation",
        answer: true,
        value: (a) => a.costPerConversation?.value ?? null,
        format: amount,
        n: (a) => a.costPerConversation?.chats ?? null,
        sub: (a) => (a.costPerConversation ? `cost of the range ${amount(a.costPerConversation.cost)}` : "set monthlySupportCost"),
        detail: (a) =>
          a.costPerConversation
            ? `${amount(a.costPerConversation.cost)} (the monthly support cost, prorated) / ${count(a.costPerConversation.chats)} chats started`
            : "No monthlySupportCost for this site in the sites file.",
      },
    ],
  },
];
