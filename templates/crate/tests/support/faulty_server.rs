//! A tiny HTTP/1.1 server that misbehaves on cue, for the fault tests in `faults.rs`.
//!
//! It listens on `127.0.0.1:0`, reads each request (head and `Content-Length` body), records it,
//! and answers it with the [`Reply`] scripted for that request's number: the first request gets
//! the first reply, and so on, the last reply repeating. A reply is raw bytes, pauses, and how the
//! connection ends (kept open for the next request, closed, or reset), so it can say things a real
//! HTTP library would refuse to: a body shorter than its `Content-Length`, bytes that are not
//! HTTP, a body that trickles in.
//!
//! Built on `tokio::net` and `tokio::io` only (the `net` and `io-util` features of tokio reach the
//! tests through reqwest/hyper and wiremock), so it depends on nothing the crate does not already
//! build.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// One step of a [`Reply`].
#[derive(Clone, Debug)]
enum Act {
    /// Write these bytes (and flush them to the socket).
    Write(Vec<u8>),
    /// Wait, writing nothing.
    Sleep(Duration),
    /// Close the connection with a FIN: the client reads end-of-stream.
    Close,
    /// Reset the connection (`SO_LINGER` 0, then close): the client reads `ECONNRESET`.
    Reset,
}

/// What the server does with one request: its steps in order. Unless it ends with
/// [`close`](Self::close) or [`reset`](Self::reset), the connection stays open for the client's
/// next request (HTTP/1.1 keep-alive), as a real server's would.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct Reply {
    acts: Vec<Act>,
}

impl Reply {
    /// A reply that does nothing yet.
    pub fn new() -> Self {
        Reply::default()
    }

    /// A complete response: status line, `Content-Length`, `headers`, then `body`.
    pub fn response(status: u16, headers: &[(&str, &str)], body: impl AsRef<[u8]>) -> Self {
        Reply::new().bytes(response(status, headers, body))
    }

    /// A complete `status` response with an `application/json` body.
    pub fn json(status: u16, body: impl AsRef<[u8]>) -> Self {
        Reply::response(status, &[("content-type", "application/json")], body)
    }

    /// Then writes `bytes` as they are.
    pub fn bytes(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.acts.push(Act::Write(bytes.into()));
        self
    }

    /// Then waits for `duration`.
    pub fn sleep(mut self, duration: Duration) -> Self {
        self.acts.push(Act::Sleep(duration));
        self
    }

    /// Then closes the connection (FIN).
    pub fn close(mut self) -> Self {
        self.acts.push(Act::Close);
        self
    }

    /// Then resets the connection (RST).
    pub fn reset(mut self) -> Self {
        self.acts.push(Act::Reset);
        self
    }
}

/// A response head: status line, `Content-Length: content_length`, then `headers`.
pub fn head(status: u16, headers: &[(&str, &str)], content_length: usize) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\ncontent-length: {content_length}\r\n",
        reason(status)
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// A complete response: [`head`] with the body's length, then the body.
pub fn response(status: u16, headers: &[(&str, &str)], body: impl AsRef<[u8]>) -> Vec<u8> {
    let body = body.as_ref();
    let mut bytes = head(status, headers, body.len());
    bytes.extend_from_slice(body);
    bytes
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Request {
    /// `GET`, `POST`...
    pub method: String,
    /// The request target: path and query.
    pub path: String,
    /// Header names (lower case) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body, per `Content-Length`.
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// What the server saw: the requests in order, and how many connections it accepted.
#[derive(Default)]
struct Log {
    requests: Mutex<Vec<Request>>,
    connections: AtomicUsize,
}

/// The running server; it stops (with every connection it holds) when dropped.
pub struct FaultyServer {
    addr: SocketAddr,
    log: Arc<Log>,
    task: JoinHandle<()>,
}

impl FaultyServer {
    /// Starts a server answering request `n` (from 0) with `replies[n]`, or the last reply once
    /// they run out.
    pub async fn start(replies: Vec<Reply>) -> Self {
        assert!(!replies.is_empty(), "a server needs at least one reply");
        Self::serve(Some(Arc::new(replies))).await
    }

    /// Starts a server that closes every connection as soon as it accepts it, before reading
    /// anything: only [`connections`](Self::connections) counts its visitors.
    pub async fn start_hanging_up() -> Self {
        Self::serve(None).await
    }

    async fn serve(replies: Option<Arc<Vec<Reply>>>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds a local port");
        let addr = listener.local_addr().expect("has an address");
        let log = Arc::new(Log::default());
        let task = tokio::spawn({
            let log = log.clone();
            async move {
                // Connection tasks live in the set, so aborting the server aborts them too.
                let mut connections = JoinSet::new();
                while let Ok((stream, _)) = listener.accept().await {
                    log.connections.fetch_add(1, Ordering::SeqCst);
                    if let Some(replies) = &replies {
                        connections.spawn(connection(stream, replies.clone(), log.clone()));
                    }
                    // Without replies the stream is dropped here: the connection is closed.
                }
            }
        });
        FaultyServer { addr, log, task }
    }

    /// `http://127.0.0.1:<port>`, for `ClientBuilder::base_url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many requests the server read (each one an attempt of the client's).
    pub fn requests(&self) -> usize {
        self.log.requests.lock().expect("not poisoned").len()
    }

    /// The requests the server read, in order.
    pub fn recorded(&self) -> Vec<Request> {
        self.log.requests.lock().expect("not poisoned").clone()
    }

    /// How many connections the server accepted.
    pub fn connections(&self) -> usize {
        self.log.connections.load(Ordering::SeqCst)
    }
}

impl Drop for FaultyServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves one connection: reads requests until the client goes away or a reply ends the
/// connection. I/O errors (the client gave up mid-reply, say) just end it.
async fn connection(mut stream: TcpStream, replies: Arc<Vec<Reply>>, log: Arc<Log>) {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buffer).await {
        let number = {
            let mut requests = log.requests.lock().expect("not poisoned");
            requests.push(request);
            requests.len() - 1
        };
        let reply = &replies[number.min(replies.len() - 1)];
        for act in &reply.acts {
            match act {
                Act::Write(bytes) => {
                    if stream.write_all(bytes).await.is_err() || stream.flush().await.is_err() {
                        return;
                    }
                }
                Act::Sleep(duration) => tokio::time::sleep(*duration).await,
                Act::Close => {
                    let _ = stream.shutdown().await;
                    return;
                }
                Act::Reset => {
                    // With a zero linger time, closing the socket sends RST and drops any unsent
                    // data, instead of the orderly FIN.
                    let _ = stream.set_zero_linger();
                    return;
                }
            }
        }
    }
}

/// Reads one request (head, then a `Content-Length` body) from `stream`, keeping in `buffer` any
/// bytes that follow it. `None` when the connection ends first or the head is unreadable.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Request> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        read_more(stream, buffer).await?;
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        read_more(stream, buffer).await?;
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Some(Request {
        method,
        path,
        headers,
        body,
    })
}

/// Appends what the socket has to `buffer`; `None` at end-of-stream or on an error.
async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => None,
        Ok(read) => {
            buffer.extend_from_slice(&chunk[..read]);
            Some(())
        }
    }
}
