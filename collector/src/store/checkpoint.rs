//! WAL checkpoints on a thread of their own.
//!
//! The writer's connection never checkpoints (`wal_autocheckpoint = 0`), so
//! no commit waits for pages being copied back into the database file. This
//! thread runs a `PASSIVE` checkpoint (which never blocks the writer) every
//! [`INTERVAL`]; when the WAL has still grown past [`MAX_WAL_FRAMES`] (the
//! writer kept ahead of it), a `RESTART` checkpoint briefly holds the writer
//! so that the next commit starts the WAL file from its beginning again
//! (see [`checkpoint`]).

use rusqlite::Connection;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

/// Time between two checkpoints: long enough that a page changed by many
/// commits in between is copied once, short enough to keep the WAL small.
pub const INTERVAL: Duration = Duration::from_secs(1);
/// WAL frames (pages) after which a checkpoint makes the writer wait for it
/// to start the WAL over (64 MiB of 1 KiB pages).
pub const MAX_WAL_FRAMES: i64 = 64 * 1024;

/// The checkpointing thread; stops (after a last checkpoint) when dropped.
pub struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Checkpoints the database of `connection` every [`INTERVAL`].
    pub fn start(connection: Connection) -> std::io::Result<Checkpointer> {
        let (stop, stopped) = mpsc::channel();
        let thread = std::thread::Builder::new().name(String::from("checkpoint")).spawn(move || {
            while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(INTERVAL) {
                // A failed checkpoint (a busy database, a full disk) is tried again next time.
                let _ = checkpoint(&connection);
            }
            let _ = checkpoint(&connection);
        })?;
        Ok(Checkpointer { stop: Some(stop), thread: Some(thread) })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One checkpoint; returns the WAL's length in frames before it.
///
/// Under steady writes a `PASSIVE` checkpoint never quite catches up with
/// the writer, so the WAL is never started over and only grows; past
/// [`MAX_WAL_FRAMES`] a `RESTART` waits for the writer's lock (up to the
/// busy timeout) and copies what the `PASSIVE` could not.
pub fn checkpoint(connection: &Connection) -> rusqlite::Result<i64> {
    let frames = run(connection, "PRAGMA wal_checkpoint(PASSIVE)")?;
    if frames > MAX_WAL_FRAMES {
        run(connection, "PRAGMA wal_checkpoint(RESTART)")?;
    }
    Ok(frames)
}

/// Runs a checkpoint pragma; returns the WAL's length in frames (its second column).
fn run(connection: &Connection, pragma: &str) -> rusqlite::Result<i64> {
    connection.query_row(pragma, [], |row| row.get(1))
}
