//! Client overhead: requests per second of `client.transactions().get(id).send()` against the
//! same requests made with plain reqwest and `serde_json` (`cargo xtask bench`, or
//! `cargo bench -p gr4vy --bench client`).
//!
//! Both go to a minimal keep-alive HTTP/1.1 server on 127.0.0.1 (its own thread and
//! single-threaded runtime) that answers every request with the transaction of Gr4vy's API docs.
//! The plain client is built like ours ([`gr4vy::Client::http_client_builder`]) and sends the
//! same headers (bearer token, user agent, accept). Many short rounds, each running both clients
//! back to back (which goes first alternates), so that drift on a shared machine hits both: the
//! ratio is the median of the rounds' ratios, each rate the median of the rounds' rates.
//!
//! Prints one line per figure, `gr4vy-bench client.<mode>.<gr4vy|reqwest> <requests per second>`
//! and `gr4vy-bench client.<mode>.ratio <gr4vy / reqwest>`, for `cargo xtask bench` to read. Without `--bench` (as `cargo test --benches` runs it), only checks
//! that both clients work. `GR4VY_BENCH_QUICK=1` runs fewer rounds.
//!
//! `GR4VY_BENCH_PROFILE=gr4vy` (or `reqwest`) with `GR4VY_BENCH_REQUESTS=<n>` only sends `n`
//! sequential requests with that client, for a profiler: under
//! `valgrind --tool=callgrind`, two runs with different `n` give the instructions of one request
//! as the difference of their totals divided by the difference of their `n`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gr4vy::models::Transaction;
use gr4vy::reqwest;
use gr4vy::reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, USER_AGENT};

#[path = "../tests/support/seeds.rs"]
#[allow(dead_code)]
mod seeds;

/// The static bearer token both clients send.
const TOKEN: &str = "bench-token";
/// The transaction asked for (the docs transaction's id).
const TRANSACTION_ID: &str = "7099948d-7286-47e4-aad8-b68f7eb44591";
/// Marks the lines `cargo xtask bench` reads.
const MARK: &str = "gr4vy-bench";
/// Tasks sending at once in the concurrent mode.
const CONCURRENCY: usize = 32;

/// How much work one run does.
struct Plan {
    rounds: usize,
    sequential: usize,
    concurrent: usize,
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let quick = std::env::var_os("GR4VY_BENCH_QUICK").is_some_and(|v| v != "0");
    let plan = match (benching, quick) {
        (false, _) => Plan {
            rounds: 1,
            sequential: 10,
            concurrent: CONCURRENCY,
        },
        (true, true) => Plan {
            rounds: 11,
            sequential: 100,
            concurrent: 8 * CONCURRENCY,
        },
        (true, false) => Plan {
            rounds: 41,
            sequential: 300,
            concurrent: 32 * CONCURRENCY,
        },
    };
    let body = serde_json::to_vec(&seeds::docs_transaction()).expect("a Value encodes");
    serde_json::from_slice::<Transaction>(&body).expect("the docs transaction decodes");
    let addr = serve(body);
    let profile = std::env::var("GR4VY_BENCH_PROFILE").ok();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match profile {
        Some(client) => runtime.block_on(profile_one(addr, &client)),
        None => runtime.block_on(run(addr, &plan, benching)),
    }
}

/// Either client, behind one interface so that rounds can alternate.
#[derive(Clone)]
enum Sender {
    Gr4vy(gr4vy::Client),
    Plain(Arc<Plain>),
}

/// Plain reqwest: what a hand-written call costs.
struct Plain {
    http: reqwest::Client,
    url: String,
    authorization: HeaderValue,
    user_agent: HeaderValue,
}

impl Sender {
    async fn get(&self) -> Transaction {
        match self {
            Sender::Gr4vy(client) => client
                .transactions()
                .get(TRANSACTION_ID)
                .send()
                .await
                .expect("the SDK call succeeds"),
            Sender::Plain(plain) => {
                let response = plain
                    .http
                    .get(&plain.url)
                    .header(AUTHORIZATION, plain.authorization.clone())
                    .header(USER_AGENT, plain.user_agent.clone())
                    .header(ACCEPT, HeaderValue::from_static("application/json"))
                    .send()
                    .await
                    .expect("the plain call succeeds");
                assert!(response.status().is_success());
                let body = response.bytes().await.expect("the body arrives");
                serde_json::from_slice(&body).expect("the body decodes")
            }
        }
    }
}

/// `GR4VY_BENCH_REQUESTS` sequential requests with one client only (see the module docs).
async fn profile_one(addr: SocketAddr, client: &str) {
    let requests = std::env::var("GR4VY_BENCH_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000);
    let [ours, plain] = senders(addr);
    let sender = match client {
        "gr4vy" => ours.1,
        "reqwest" => plain.1,
        other => panic!("GR4VY_BENCH_PROFILE={other}: expected `gr4vy` or `reqwest`"),
    };
    let future_bytes = match &sender {
        Sender::Gr4vy(client) => {
            std::mem::size_of_val(&client.transactions().get(TRANSACTION_ID).send())
        }
        Sender::Plain(plain) => std::mem::size_of_val(&plain.http.get(&plain.url).send()),
    };
    let elapsed = sequential(&sender, requests).await;
    println!("{client}: {requests} requests in {elapsed:?}; futures of {future_bytes} bytes");
}

/// Our client and the plain one, named, both pointed at the server at `addr`.
fn senders(addr: SocketAddr) -> [(&'static str, Sender); 2] {
    let base = format!("http://{addr}");
    let ours = gr4vy::Client::builder()
        .base_url(&base)
        .bearer_token(TOKEN)
        .build()
        .expect("the SDK client builds");
    let mut authorization =
        HeaderValue::try_from(format!("Bearer {TOKEN}")).expect("a header value");
    authorization.set_sensitive(true);
    let plain = Plain {
        http: gr4vy::Client::http_client_builder()
            .expect("the TLS set-up")
            .build()
            .expect("the reqwest client builds"),
        url: format!("{base}/transactions/{TRANSACTION_ID}"),
        authorization,
        user_agent: HeaderValue::from_static(concat!("gr4vy-rust/", env!("CARGO_PKG_VERSION"))),
    };
    [
        ("gr4vy", Sender::Gr4vy(ours)),
        ("reqwest", Sender::Plain(Arc::new(plain))),
    ]
}

async fn run(addr: SocketAddr, plan: &Plan, benching: bool) {
    let senders = senders(addr);
    // Warm-up: connections opened, code paths and allocator caches warm.
    for (_, sender) in &senders {
        concurrent(sender, CONCURRENCY * 4).await;
    }

    for mode in ["sequential", "concurrent"] {
        let mut rates = [Vec::new(), Vec::new()];
        let mut ratios = Vec::new();
        for round in 0..plan.rounds {
            // Alternate which client goes first, so neither always follows the other.
            let mut rate = [0.0; 2];
            for k in 0..senders.len() {
                let at = (k + round) % senders.len();
                let sender = &senders[at].1;
                let (requests, elapsed) = match mode {
                    "sequential" => (plan.sequential, sequential(sender, plan.sequential).await),
                    _ => (plan.concurrent, concurrent(sender, plan.concurrent).await),
                };
                rate[at] = requests as f64 / elapsed.as_secs_f64();
                rates[at].push(rate[at]);
            }
            ratios.push(rate[0] / rate[1]);
        }
        let ratio = median(&mut ratios);
        let [ours, plain] = rates.map(|mut r| median(&mut r));
        if benching {
            println!("{MARK} client.{mode}.gr4vy {ours:.1}");
            println!("{MARK} client.{mode}.reqwest {plain:.1}");
            println!("{MARK} client.{mode}.ratio {ratio:.4}");
        } else {
            println!("client.{mode}: ok ({ours:.0} and {plain:.0} requests/s, ratio {ratio:.2})");
        }
    }
}

async fn sequential(sender: &Sender, requests: usize) -> Duration {
    let start = Instant::now();
    for _ in 0..requests {
        std::hint::black_box(sender.get().await);
    }
    start.elapsed()
}

/// `requests` calls spread over [`CONCURRENCY`] tasks.
async fn concurrent(sender: &Sender, requests: usize) -> Duration {
    let start = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|task| {
            let sender = sender.clone();
            let share = requests / CONCURRENCY + usize::from(task < requests % CONCURRENCY);
            tokio::spawn(async move {
                for _ in 0..share {
                    std::hint::black_box(sender.get().await);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a task finishes");
    }
    start.elapsed()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Starts the server on its own thread; returns its address.
fn serve(body: Vec<u8>) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    listener
        .set_nonblocking(true)
        .expect("a non-blocking socket");
    let addr = listener.local_addr().expect("the local address");
    let mut response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    let response: Arc<[u8]> = response.into();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .expect("a tokio runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection(stream, response.clone()));
            }
        });
    });
    addr
}

/// Answers each request on one connection (a GET: its head is all of it) with `response`, until
/// the client closes it.
async fn connection(stream: tokio::net::TcpStream, response: Arc<[u8]>) {
    let mut pending = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            pending.drain(..end + 4);
            if write_all(&stream, &response).await.is_err() {
                return;
            }
        }
        if stream.readable().await.is_err() {
            return;
        }
        match stream.try_read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => pending.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => return,
        }
    }
}

/// `AsyncWriteExt::write_all` without tokio's `io-util` feature.
async fn write_all(stream: &tokio::net::TcpStream, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        stream.writable().await?;
        match stream.try_write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
