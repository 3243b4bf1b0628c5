//! `kpis`: the engine run natively over an NDJSON event log.

use crate::args::KpisArgs;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::ExitCode;
use support_kpi::NativeEngine;

/// What reading a log did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Events applied.
    pub tracked: usize,
    /// Lines reported on the error stream and skipped.
    pub skipped: usize,
}

/// Runs `kpis`: 0 when every line was good, 2 when some were skipped, 1 when the input is unusable.
pub fn run(args: &KpisArgs) -> ExitCode {
    match compute(args) {
        Ok(tally) if tally.skipped == 0 => ExitCode::SUCCESS,
        Ok(tally) => {
            eprintln!(
                "support-kpi-collector kpis: skipped {} of {} events",
                tally.skipped,
                tally.tracked + tally.skipped
            );
            ExitCode::from(2)
        }
        Err(message) => {
            eprintln!("support-kpi-collector kpis: {message}");
            ExitCode::FAILURE
        }
    }
}

fn compute(args: &KpisArgs) -> Result<Tally, String> {
    let mut engine = engine(args)?;
    let stdin = args.input.as_deref().is_none_or(|path| path == Path::new("-"));
    let (name, input): (String, Box<dyn BufRead>) = match &args.input {
        Some(path) if !stdin => {
            let file = File::open(path).map_err(|e| format!("{}: cannot be read ({e})", path.display()))?;
            (path.display().to_string(), Box::new(BufReader::new(file)))
        }
        _ => (String::from("standard input"), Box::new(io::stdin().lock())),
    };
    let tally = track_lines(&mut engine, input, &mut io::stderr().lock())
        .map_err(|e| format!("{name}: cannot be read ({e})"))?;
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{}", engine.kpis_json())
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("standard output: cannot be written ({e})"))?;
    Ok(tally)
}

/// The engine of `--config FILE`, or of `--site-key` and `--time-zone`.
fn engine(args: &KpisArgs) -> Result<NativeEngine, String> {
    let (label, json) = match &args.config {
        Some(path) => {
            let json = std::fs::read(path).map_err(|e| format!("config {}: cannot be read ({e})", path.display()))?;
            (format!("config {}", path.display()), json)
        }
        None => {
            let config = serde_json::json!({ "siteKey": args.site_key, "timeZone": args.time_zone });
            (String::from("config"), config.to_string().into_bytes())
        }
    };
    NativeEngine::from_config_json(&json).map_err(|e| format!("{label}: {}", e.message()))
}

/// Feeds every non-blank line to the engine; writes `line N: field: reason`
/// to `errors` for each line it skips.
pub fn track_lines(engine: &mut NativeEngine, mut input: impl BufRead, errors: &mut impl Write) -> io::Result<Tally> {
    let mut tally = Tally::default();
    let mut line = Vec::new();
    let mut number = 0usize;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(tally);
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match engine.track_json(&line) {
            Ok(()) => tally.tracked += 1,
            Err(error) => {
                writeln!(errors, "line {number}: {}", error.message())?;
                tally.skipped += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_bad_lines_and_ignores_blank_ones() {
        let mut engine = NativeEngine::from_config_json(br#"{"siteKey":"cli"}"#).unwrap();
        let log = concat!(
            "{\"type\":\"page_view\",\"ts\":1795392000000,\"support\":true}\r\n",
            "\n",
            "   \n",
            "{\"type\":\"page_view\",\"ts\":1795392000000}\n",
            "not json\n",
            "{\"type\":\"chat_open\",\"ts\":1795392001000}",
        );
        let mut errors = Vec::new();
        let tally = track_lines(&mut engine, log.as_bytes(), &mut errors).unwrap();
        assert_eq!(tally, Tally { tracked: 2, skipped: 2 });
        assert_eq!(
            String::from_utf8(errors).unwrap(),
            "line 4: support: is required\nline 5: event: invalid JSON (unknown literal at byte 0)\n"
        );
        assert_eq!(engine.totals().base().page_views, 1);
        assert_eq!(engine.totals().families().engagement.chat_opens, 1);
    }
}
