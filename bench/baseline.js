// The baseline of the ingest benchmark: a plain-JS implementation of the same
// engagement, coverage and first-response-time KPIs as the Wasm engine, by
// the same rules (sessions by inactivity, a new chat closes the open one),
// written for this benchmark. Quantiles are exact (sorted durations).

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The KPIs above, from events fed in arrival order. */
export class JsEngine {
  constructor({ openingHours, sessionTimeoutMinutes = 30 }) {
    this.timeoutMs = sessionTimeoutMinutes * MINUTE_MS;
    // Minutes of each weekday (Monday first) inside opening hours, UTC.
    this.hours = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((day) =>
      (openingHours?.[day] ?? []).map(([from, to]) => [minutes(from), minutes(to)]),
    );
    this.counts = { pageViews: 0, supportPageViews: 0, inHours: 0, impressions: 0, clicks: 0, opens: 0, chats: 0, supportSessions: 0, supportContact: 0 };
    this.firstResponses = [];
    this.session = null;
  }

  trackBatch(events) {
    for (const event of events) this.track(event);
  }

  track({ type, ts, support }) {
    const c = this.counts;
    if (!this.session || ts - this.session.last > this.timeoutMs) this.session = { last: ts, support: false, chatted: false, contact: false, chat: null };
    const session = this.session;
    session.last = Math.max(session.last, ts);
    switch (type) {
      case "page_view": {
        c.pageViews++;
        if (support) {
          c.supportPageViews++;
          if (!session.support) {
            session.support = true;
            c.supportSessions++;
          }
          this.contact(session);
        }
        const day = Math.floor(ts / DAY_MS);
        const minute = Math.floor((ts - day * DAY_MS) / MINUTE_MS);
        if (this.hours[(day + 3) % 7].some(([from, to]) => from <= minute && minute < to)) c.inHours++;
        break;
      }
      case "chat_button_impression":
        c.impressions++;
        break;
      case "chat_button_click":
        c.clicks++;
        break;
      case "chat_open":
        c.opens++;
        break;
      case "chat_started":
        c.chats++;
        session.chatted = true;
        this.contact(session);
        session.chat = { started: ts, answered: false };
        break;
      case "agent_message":
        if (session.chat && !session.chat.answered) {
          session.chat.answered = true;
          this.firstResponses.push(Math.max(0, ts - session.chat.started));
        }
        break;
    }
  }

  contact(session) {
    if (session.support && session.chatted && !session.contact) {
      session.contact = true;
      this.counts.supportContact++;
    }
  }

  kpis() {
    const c = this.counts;
    const ratio = (num, den) => ({ num, den });
    const sorted = [...this.firstResponses].sort((a, b) => a - b);
    const rank = (permille) => sorted[Math.max(1, Math.ceil((permille * sorted.length) / 1000)) - 1] / 1000;
    return {
      engagement: {
        supportPageShare: ratio(c.supportPageViews, c.pageViews),
        supportContactRate: ratio(c.supportContact, c.supportSessions),
        chatEngagementRatio: ratio(c.chats, c.impressions),
        launcherClickThrough: ratio(c.clicks, c.impressions),
        openToStart: ratio(c.chats, c.opens),
      },
      coverage: ratio(c.inHours, c.pageViews),
      firstResponse: {
        count: sorted.length,
        mean: sorted.reduce((a, b) => a + b, 0) / sorted.length / 1000,
        p50: rank(500),
        p90: rank(900),
        p99: rank(990),
      },
    };
  }
}

function minutes(text) {
  const [h, m] = text.split(":").map(Number);
  return h * 60 + m;
}
