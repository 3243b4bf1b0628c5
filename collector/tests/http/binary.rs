//! The real binary on a free port, its address read from its startup line
//! and everything it writes to stderr kept for the test.

use super::server::TOKEN;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// A running `support-kpi-collector serve`.
pub struct Binary {
    pub child: Child,
    pub addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
    reader: Option<JoinHandle<()>>,
}

impl Binary {
    /// Starts the binary on `--db` `db` with site `KEY=ORIGIN` `site`, no static files, plus `extra` flags.
    pub fn launch(db: &str, site: &str, extra: &[&str]) -> Binary {
        let mut child = Command::new(env!("CARGO_BIN_EXE_support-kpi-collector"))
            .args(["serve", "--listen", "127.0.0.1:0", "--db", db, "--read-token", TOKEN])
            .args(["--site", site, "--mount", "/=/nonexistent"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let stderr = Arc::new(Mutex::new(String::new()));
        let addr = loop {
            let line = lines.next().expect("the collector exited before listening").unwrap();
            stderr.lock().unwrap().push_str(&format!("{line}\n"));
            if let Some(rest) = line.split("listening on http://").nth(1) {
                break rest.split(' ').next().unwrap().parse().unwrap();
            }
        };
        let collected = Arc::clone(&stderr);
        let reader = std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                collected.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        Binary { child, addr, stderr, reader: Some(reader) }
    }

    /// Stops the process with SIGTERM (a graceful shutdown) and returns all it wrote to stderr.
    pub fn terminate(mut self) -> String {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
        assert!(self.child.wait().unwrap().success(), "the collector did not shut down cleanly");
        self.reader.take().unwrap().join().unwrap();
        self.stderr.lock().unwrap().clone()
    }

    /// Stops the process with SIGKILL.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}
