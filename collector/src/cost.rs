//! Cost per conversation: a site's monthly support cost, prorated to a
//! range, over the chats started in it.

use serde::Serialize;
use support_kpi::time::DAY_MS;

/// An average month: 365.2425 / 12 days, in ms.
pub const MONTH_MS: f64 = 365.2425 / 12.0 * DAY_MS as f64;
/// Largest monthly cost accepted.
const MAX_MONTHLY: f64 = 1e12;

/// Checks a sites file's `monthlySupportCost`: absent, or a number from 0 to 1e12.
pub fn check_monthly(cost: Option<f64>) -> Result<Option<f64>, String> {
    match cost {
        Some(cost) if !(0.0..=MAX_MONTHLY).contains(&cost) => {
            Err(String::from("monthlySupportCost: must be a number from 0 to 1e12"))
        }
        cost => Ok(cost),
    }
}

/// `{cost, chats, value}`: the cost of the range, chats started, and their quotient (null without chats).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CostPerConversation {
    /// The monthly cost prorated to the range, rounded to cents.
    pub cost: f64,
    /// Chats started in the range.
    pub chats: i64,
    /// `cost / chats`, rounded to cents; null when no chat started.
    pub value: Option<f64>,
}

/// The cost per conversation of `from..to` (ms) at `monthly` a month with `chats` started.
pub fn per_conversation(monthly: f64, from: i64, to: i64, chats: i64) -> CostPerConversation {
    let cents = |amount: f64| (amount * 100.0).round() / 100.0;
    let cost = monthly * (to - from).max(0) as f64 / MONTH_MS;
    CostPerConversation { cost: cents(cost), chats, value: (chats > 0).then(|| cents(cost / chats as f64)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_of_cost_over_its_chats() {
        let month = MONTH_MS as i64;
        assert_eq!(
            per_conversation(9000.0, 0, month, 600),
            CostPerConversation { cost: 9000.0, chats: 600, value: Some(15.0) }
        );
        let week = per_conversation(9000.0, 0, 7 * DAY_MS, 100);
        assert_eq!((week.cost, week.value), (2069.86, Some(20.7)), "9000 × 7 / 30.436875");
        assert_eq!(per_conversation(9000.0, 0, month, 0).value, None);
        assert_eq!(check_monthly(Some(f64::NAN)).unwrap_err(), "monthlySupportCost: must be a number from 0 to 1e12");
        assert_eq!(check_monthly(None), Ok(None));
        assert_eq!(check_monthly(Some(0.0)), Ok(Some(0.0)));
    }
}
