//! A minimal keep-alive HTTP/1.1 client connection: one request at a time,
//! responses framed by `Content-Length` (all the collector sends).

use std::io;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Longest response head accepted.
const MAX_HEAD: usize = 16 * 1024;

/// One open connection to the collector.
pub struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

/// Why an exchange failed.
#[derive(Debug)]
pub enum Failure {
    /// Nothing came back: the server had closed or reset the connection
    /// before answering, as it does with a keep-alive connection that sat
    /// idle past its timeout.
    Unanswered(io::Error),
    /// The response was cut short or malformed.
    Broken(io::Error),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Unanswered(e) => write!(f, "no answer: {e}"),
            Failure::Broken(e) => write!(f, "in the answer: {e}"),
        }
    }
}

/// What came back for one request.
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// False when the server asked to close the connection.
    pub reusable: bool,
}

impl Connection {
    /// Connects to `addr` (Nagle off, as browsers do).
    pub async fn open(addr: SocketAddr) -> io::Result<Connection> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Connection { stream, buffer: Vec::with_capacity(1024) })
    }

    /// Writes `request` (complete, with its body) and reads the whole response.
    pub async fn exchange(&mut self, request: &[u8]) -> Result<Answer, Failure> {
        self.buffer.clear();
        let result = self.write_and_read(request).await;
        result.map_err(|e| if self.buffer.is_empty() { Failure::Unanswered(e) } else { Failure::Broken(e) })
    }

    async fn write_and_read(&mut self, request: &[u8]) -> io::Result<Answer> {
        self.stream.write_all(request).await?;
        let (head_end, status, length, reusable) = loop {
            if let Some(end) = self.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                let (status, length, reusable) = parse_head(&self.buffer[..end])?;
                break (end + 4, status, length, reusable);
            }
            if self.buffer.len() > MAX_HEAD {
                return Err(invalid("response head too long"));
            }
            self.read_more().await?;
        };
        while self.buffer.len() < head_end + length {
            self.read_more().await?;
        }
        Ok(Answer { status, reusable })
    }

    async fn read_more(&mut self) -> io::Result<()> {
        if self.stream.read_buf(&mut self.buffer).await? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed"));
        }
        Ok(())
    }
}

/// Status, body length and keep-alive of a response head.
fn parse_head(head: &[u8]) -> io::Result<(u16, usize, bool)> {
    let head = std::str::from_utf8(head).map_err(|_| invalid("response head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid("malformed status line"))?;
    let (mut length, mut reusable) = (None, true);
    for (name, value) in lines.filter_map(|line| line.split_once(':')) {
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = value.parse().ok();
        } else if name.eq_ignore_ascii_case("connection") && value.eq_ignore_ascii_case("close") {
            reusable = false;
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(invalid("chunked responses are not expected from /api/report"));
        }
    }
    Ok((status, length.ok_or_else(|| invalid("response without Content-Length"))?, reusable))
}

fn invalid(reason: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, reason.to_owned())
}

#[cfg(test)]
mod tests {
    use super::parse_head;

    #[test]
    fn reads_status_length_and_keep_alive() {
        let (status, length, reusable) =
            parse_head(b"HTTP/1.1 202 Accepted\r\ncontent-length: 19\r\nContent-Type: application/json").unwrap();
        assert_eq!((status, length, reusable), (202, 19, true));
        let (_, _, reusable) = parse_head(b"HTTP/1.1 429 Too Many\r\nContent-Length: 0\r\nConnection: close").unwrap();
        assert!(!reusable);
        assert!(parse_head(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked").is_err());
        assert!(parse_head(b"HTTP/1.1 200 OK").is_err());
        assert!(parse_head(b"garbage").is_err());
    }
}
