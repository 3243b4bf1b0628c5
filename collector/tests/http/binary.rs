//! The real binary on a free port, its address read from its startup line
//! and everything it writes to stderr kept for the test.

use super::server::TOKEN;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

/// Appended to the kept stderr when the process closes it.
const CLOSED: &str = "[stderr closed]\n";

/// A running `support-kpi-collector serve`.
pub struct Binary {
    pub child: Child,
    pub addr: SocketAddr,
    /// All it wrote to stderr so far, signalled on every line.
    stderr: Arc<(Mutex<String>, Condvar)>,
    reader: Option<JoinHandle<()>>,
}

impl Binary {
    /// Starts the binary on `--db` `db` with site `KEY=ORIGIN` `site`, no static files, plus `extra` flags.
    pub fn launch(db: &str, site: &str, extra: &[&str]) -> Binary {
        let mut command = Binary::command(db);
        command.args(["--site", site, "--mount", "/=/nonexistent"]).args(extra);
        Binary::start(command)
    }

    /// `support-kpi-collector serve` on a free port with `--db` `db` and the test token.
    pub fn command(db: &str) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_support-kpi-collector"));
        command.args(["serve", "--listen", "127.0.0.1:0", "--db", db, "--read-token", TOKEN]);
        command
    }

    /// Starts `command` (a `serve`) and waits for its startup line.
    pub fn start(mut command: Command) -> Binary {
        let mut child = command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let stderr = Arc::new((Mutex::new(String::new()), Condvar::new()));
        let addr = loop {
            let line = lines.next().expect("the collector exited before listening").unwrap();
            stderr.0.lock().unwrap().push_str(&format!("{line}\n"));
            if let Some(rest) = line.split("listening on http://").nth(1) {
                break rest.split(' ').next().unwrap().parse().unwrap();
            }
        };
        let collected = Arc::clone(&stderr);
        let reader = std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                collected.0.lock().unwrap().push_str(&format!("{line}\n"));
                collected.1.notify_all();
            }
            collected.0.lock().unwrap().push_str(CLOSED);
            collected.1.notify_all();
        });
        Binary { child, addr, stderr, reader: Some(reader) }
    }

    /// Stops the process with SIGTERM (a graceful shutdown) and returns all it wrote to stderr.
    pub fn terminate(mut self) -> String {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
        assert!(self.child.wait().unwrap().success(), "the collector did not shut down cleanly");
        self.reader.take().unwrap().join().unwrap();
        self.stderr.0.lock().unwrap().clone()
    }

    /// Waits until the process has written `count` lines to stderr that contain `text`; returns all of stderr.
    pub fn wait_for(&self, text: &str, count: usize) -> String {
        let (lock, written) = &*self.stderr;
        let stderr = written
            .wait_while(lock.lock().unwrap(), |s| s.matches(text).count() < count && !s.ends_with(CLOSED))
            .unwrap();
        assert!(stderr.matches(text).count() >= count, "the collector closed stderr first: {stderr}");
        stderr.clone()
    }

    /// Sends signal `name` (`HUP`, ...) to the process.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill").args([&format!("-{name}"), &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
    }

    /// Stops the process with SIGKILL.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}
