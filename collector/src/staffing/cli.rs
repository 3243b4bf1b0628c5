//! `staffing`: the Erlang C advice for one interval, as one JSON object.

use super::{Demand, Input};
use clap::Args;
use std::process::ExitCode;

/// Flags of `staffing`.
#[derive(Debug, Args)]
pub struct StaffingArgs {
    /// Contacts arriving per interval (a mean; fractions allowed).
    #[arg(long, value_name = "N")]
    pub arrivals: f64,
    /// Length of the interval in seconds.
    #[arg(long, value_name = "S")]
    pub interval_seconds: f64,
    /// Mean handle time of a contact in seconds.
    #[arg(long, value_name = "H")]
    pub handle_seconds: f64,
    /// Share of contacts to answer within --answer-seconds (above 0, below 1).
    #[arg(long, default_value_t = 0.8, value_name = "F")]
    pub target: f64,
    /// Service-level threshold in seconds.
    #[arg(long, value_name = "T")]
    pub answer_seconds: f64,
    /// Chats one agent handles at once.
    #[arg(long, default_value_t = 1.0, value_name = "C")]
    pub concurrency: f64,
    /// Share of paid time agents are not available (0 to below 1).
    #[arg(long, default_value_t = 0.0, value_name = "F")]
    pub shrinkage: f64,
    /// Highest occupancy allowed (above 0, at most 1).
    #[arg(long, default_value_t = 1.0, value_name = "F")]
    pub max_occupancy: f64,
    /// Instead of searching, the figures of exactly this many agents.
    #[arg(long, value_name = "N")]
    pub agents: Option<u32>,
}

/// Runs `staffing`: prints `{agents, serviceLevel, probabilityOfWaiting,
/// averageSpeedOfAnswer, occupancy, scheduled}`; 1 with the flag named on a bad value.
pub fn run(args: &StaffingArgs) -> ExitCode {
    match advise(args) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("support-kpi-collector staffing: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The JSON answer, or `--flag: reason`.
pub fn advise(args: &StaffingArgs) -> Result<String, String> {
    let demand = Demand {
        arrivals: args.arrivals,
        interval_seconds: args.interval_seconds,
        handle_seconds: args.handle_seconds,
        target: args.target,
        answer_seconds: args.answer_seconds,
        concurrency: args.concurrency,
        shrinkage: args.shrinkage,
        max_occupancy: args.max_occupancy,
    };
    let named = |input| format!("--{}", flag(input));
    let advice = match args.agents {
        None => demand.advise(&named).map_err(|e| e.to_string())?,
        Some(agents) => demand
            .with_agents(agents, &named)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("--agents: {agents} agents cannot keep up with this traffic"))?,
    };
    serde_json::to_string(&advice.rounded()).map_err(|e| e.to_string())
}

/// The flag of an input.
fn flag(input: Input) -> &'static str {
    match input {
        Input::Arrivals => "arrivals",
        Input::IntervalSeconds => "interval-seconds",
        Input::HandleSeconds => "handle-seconds",
        Input::Target => "target",
        Input::AnswerSeconds => "answer-seconds",
        Input::Concurrency => "concurrency",
        Input::Shrinkage => "shrinkage",
        Input::MaxOccupancy => "max-occupancy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// The subcommand's flags as `args.rs` declares them.
    #[derive(Parser)]
    #[command(allow_negative_numbers = true)]
    struct Wrapper {
        #[command(flatten)]
        args: StaffingArgs,
    }

    fn answer(flags: &str) -> Result<String, String> {
        let argv = std::iter::once("staffing").chain(flags.split_whitespace());
        let wrapper = Wrapper::try_parse_from(argv).map_err(|e| e.to_string())?;
        advise(&wrapper.args)
    }

    /// The worked example; --target is 0.8 by default.
    const EXAMPLE: &str = "--arrivals 100 --interval-seconds 1800 --handle-seconds 180 --answer-seconds 20";

    #[test]
    fn prints_the_worked_example() {
        assert_eq!(
            answer(&format!("{EXAMPLE} --target 0.8")).unwrap(),
            r#"{"agents":14,"serviceLevel":0.88835,"probabilityOfWaiting":0.174132,"averageSpeedOfAnswer":7.835937,"occupancy":0.714286,"scheduled":14}"#
        );
        let shrunk = answer(&format!("{EXAMPLE} --shrinkage 0.3 --max-occupancy 0.85")).unwrap();
        assert!(shrunk.starts_with(r#"{"agents":14,"#) && shrunk.ends_with(r#""scheduled":20}"#), "{shrunk}");
        let thirteen = answer(&format!("{EXAMPLE} --agents 13")).unwrap();
        assert!(thirteen.contains(r#""serviceLevel":0.795"#), "{thirteen}");
    }

    #[test]
    fn bad_values_name_the_flag() {
        assert_eq!(
            answer(&format!("{EXAMPLE} --target 1.5")).unwrap_err(),
            "--target: must be a number above 0 and below 1"
        );
        assert_eq!(
            answer(&format!("{EXAMPLE} --shrinkage -0.1")).unwrap_err(),
            "--shrinkage: must be a number from 0 to below 1"
        );
        assert_eq!(
            answer(&format!("{EXAMPLE} --agents 10")).unwrap_err(),
            "--agents: 10 agents cannot keep up with this traffic"
        );
        let unparsable = answer("--arrivals many --interval-seconds 1800 --handle-seconds 180 --answer-seconds 20");
        assert!(unparsable.unwrap_err().contains("--arrivals <N>"));
    }
}
