//! Delivering alert messages: one task per webhook URL POSTs them in order,
//! retrying a failure with exponential backoff and logging every failure.
//! Senders never wait: a full queue drops the message (and logs it).

use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::mpsc;

/// Messages waiting per webhook before new ones are dropped.
const QUEUE: usize = 256;
/// Attempts per message, the first included.
pub const ATTEMPTS: u32 = 6;
/// Longest a delivery attempt may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// Hands messages to the delivery task of their webhook.
pub struct Deliveries {
    queues: HashMap<String, mpsc::Sender<String>>,
    first_backoff: Duration,
}

impl Deliveries {
    /// Deliveries whose first retry waits `first_backoff` (doubling after each failure). Needs a tokio runtime.
    pub fn new(first_backoff: Duration) -> Deliveries {
        Deliveries { queues: HashMap::new(), first_backoff }
    }

    /// Queues `body` for `webhook` without waiting.
    pub fn send(&mut self, webhook: &str, body: String) {
        let backoff = self.first_backoff;
        let queue = self.queues.entry(webhook.to_owned()).or_insert_with(|| {
            let (queue, messages) = mpsc::channel(QUEUE);
            tokio::spawn(deliver(webhook.to_owned(), messages, backoff));
            queue
        });
        if queue.try_send(body).is_err() {
            eprintln!("support-kpi-collector: alert webhook {webhook}: queue full, a message was dropped");
        }
    }
}

/// POSTs each message to `webhook` in order, retrying with backoff.
async fn deliver(webhook: String, mut messages: mpsc::Receiver<String>, first_backoff: Duration) {
    let client: Client<HttpConnector, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    while let Some(body) = messages.recv().await {
        let mut backoff = first_backoff;
        for attempt in 1..=ATTEMPTS {
            match post(&client, &webhook, &body).await {
                Ok(()) => break,
                Err(reason) if attempt == ATTEMPTS => {
                    eprintln!(
                        "support-kpi-collector: alert webhook {webhook}: attempt {attempt} failed ({reason}); gave up"
                    );
                }
                Err(reason) => {
                    eprintln!(
                        "support-kpi-collector: alert webhook {webhook}: attempt {attempt} failed ({reason}); retrying in {:?}",
                        backoff
                    );
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                }
            }
        }
    }
}

/// One POST; a status other than 2xx is a failure.
async fn post(client: &Client<HttpConnector, Full<Bytes>>, webhook: &str, body: &str) -> Result<(), String> {
    let request = hyper::Request::post(webhook)
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body.to_owned())))
        .map_err(|e| e.to_string())?;
    let response = tokio::time::timeout(ATTEMPT_TIMEOUT, client.request(request))
        .await
        .map_err(|_| String::from("no answer within 10 s"))?
        .map_err(|e| e.to_string())?;
    match response.status() {
        status if status.is_success() => Ok(()),
        status => Err(format!("HTTP {status}")),
    }
}
