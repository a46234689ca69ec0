//! Client overhead: requests per second of `client.transactions().get(id).send()` against the
//! same requests made with plain reqwest and `serde_json` (`cargo xtask bench`, or
//! `cargo bench -p gr4vy --bench client`).
//!
//! All go to a minimal keep-alive HTTP/1.1 server on 127.0.0.1 (its own thread and
//! single-threaded runtime) that answers every request with the transaction of Gr4vy's API docs.
//! The plain clients are built like ours ([`gr4vy::Client::http_client_builder`]) and send the
//! same headers (bearer token, user agent, accept). There are two of them:
//!
//! - `reqwest`: each request with a time limit of [`gr4vy::Client::DEFAULT_TIMEOUT`]
//!   (`RequestBuilder::timeout`), which covers the body too. This is the baseline of the target:
//!   the SDK arms the same limit on every attempt, because a call that can wait forever is not
//!   one a payment service may make, so a hand-written call doing the same job has one too.
//! - `reqwest_no_timeout`: no time limit at all, as reqwest's defaults leave it. Shown beside
//!   the other, so that what a timer costs stays visible.
//!
//! The SDK runs twice: `gr4vy` with no tracing subscriber (its spans are then disabled and cost
//! a check), and `gr4vy_spans` with the process's subscriber switched on: it is at level INFO,
//! as a service in production runs, takes every span, event and field of that level the SDK
//! emits and keeps none of them ([`Listening`]). That is the SDK's own share of what tracing
//! costs, without any particular subscriber's. The subscriber is the global default, as in an
//! application, and is off (it says so per callsite) while the other clients run.
//!
//! Many short rounds, each running every client back to back (which goes first rotates), so that
//! drift on a shared machine hits all of them: a ratio is the median of the rounds' ratios, each
//! rate the median of the rounds' rates.
//!
//! Prints one line per figure, `gr4vy-bench client.<mode>.<client> <requests per second>` and
//! `gr4vy-bench client.<mode>.ratio.<ours>.<baseline> <ours / baseline>`, for `cargo xtask bench`
//! to read (which runs this several times, since a process's memory layout moves its figures by
//! a point or two). Without `--bench` (as `cargo test --benches` runs it), only checks that the
//! clients work. `GR4VY_BENCH_QUICK=1` runs fewer rounds.
//!
//! `GR4VY_BENCH_PROFILE=<client>` (one of the names above) with `GR4VY_BENCH_REQUESTS=<n>` only
//! sends `n`
//! sequential requests with that client, for a profiler: under
//! `valgrind --tool=callgrind`, two runs with different `n` give the instructions of one request
//! as the difference of their totals divided by the difference of their `n`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use gr4vy::models::Transaction;
use gr4vy::reqwest;
use gr4vy::reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, USER_AGENT};
use tracing::span;
use tracing::subscriber::Interest;

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
            rounds: 21,
            sequential: 300,
            concurrent: 32 * CONCURRENCY,
        },
    };
    let body = serde_json::to_vec(&seeds::docs_transaction()).expect("a Value encodes");
    serde_json::from_slice::<Transaction>(&body).expect("the docs transaction decodes");
    let addr = serve(body);
    let profile = std::env::var("GR4VY_BENCH_PROFILE").ok();
    tracing::subscriber::set_global_default(Listening).expect("the only subscriber");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match profile {
        Some(client) => runtime.block_on(profile_one(addr, &client)),
        None => runtime.block_on(run(addr, &plan, benching)),
    }
}

/// Any client, behind one interface so that rounds can alternate.
#[derive(Clone)]
enum Sender {
    /// The SDK, and whether [`Listening`] is on while it runs.
    Gr4vy(gr4vy::Client, bool),
    Plain(Arc<Plain>),
}

/// Plain reqwest: what a hand-written call costs.
struct Plain {
    http: reqwest::Client,
    /// The time limit set on each request, if any.
    timeout: Option<Duration>,
    url: String,
    authorization: HeaderValue,
    user_agent: HeaderValue,
}

impl Sender {
    /// Switches [`Listening`] on for the `gr4vy_spans` client, off for the others.
    fn listen(&self) {
        LISTENING.store(matches!(self, Sender::Gr4vy(_, true)), Ordering::Relaxed);
    }

    async fn get(&self) -> Transaction {
        match self {
            Sender::Gr4vy(client, _) => client
                .transactions()
                .get(TRANSACTION_ID)
                .send()
                .await
                .expect("the SDK call succeeds"),
            Sender::Plain(plain) => {
                let mut request = plain.http.get(&plain.url);
                if let Some(timeout) = plain.timeout {
                    request = request.timeout(timeout);
                }
                let response = request
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
    let Some((_, sender)) = senders(addr).into_iter().find(|(name, _)| *name == client) else {
        panic!("GR4VY_BENCH_PROFILE={client}: expected one of {CLIENTS:?}")
    };
    let future_bytes = match &sender {
        Sender::Gr4vy(client, _) => {
            std::mem::size_of_val(&client.transactions().get(TRANSACTION_ID).send())
        }
        Sender::Plain(plain) => std::mem::size_of_val(&plain.http.get(&plain.url).send()),
    };
    let elapsed = sequential(&sender, requests).await;
    println!("{client}: {requests} requests in {elapsed:?}; futures of {future_bytes} bytes");
}

/// The clients' names, in the order of [`senders`]: ours first, then the baselines.
const CLIENTS: [&str; 4] = ["gr4vy", "gr4vy_spans", "reqwest", "reqwest_no_timeout"];
/// How many of [`CLIENTS`] are ours.
const OURS: usize = 2;

/// Our clients and the plain ones, named as in [`CLIENTS`], all pointed at the server at `addr`.
fn senders(addr: SocketAddr) -> [(&'static str, Sender); 4] {
    let base = format!("http://{addr}");
    let ours = gr4vy::Client::builder()
        .base_url(&base)
        .bearer_token(TOKEN)
        .build()
        .expect("the SDK client builds");
    let mut authorization =
        HeaderValue::try_from(format!("Bearer {TOKEN}")).expect("a header value");
    authorization.set_sensitive(true);
    let plain = |timeout| {
        Sender::Plain(Arc::new(Plain {
            http: gr4vy::Client::http_client_builder()
                .expect("the TLS set-up")
                .build()
                .expect("the reqwest client builds"),
            timeout,
            url: format!("{base}/transactions/{TRANSACTION_ID}"),
            authorization: authorization.clone(),
            user_agent: HeaderValue::from_static(concat!("gr4vy-rust/", env!("CARGO_PKG_VERSION"))),
        }))
    };
    let senders = [
        Sender::Gr4vy(ours.clone(), false),
        Sender::Gr4vy(ours, true),
        plain(Some(gr4vy::Client::DEFAULT_TIMEOUT)),
        plain(None),
    ];
    let mut names = CLIENTS.into_iter();
    senders.map(|sender| (names.next().expect("a name per client"), sender))
}

/// Whether [`Listening`] wants anything: on only while the `gr4vy_spans` client runs.
static LISTENING: AtomicBool = AtomicBool::new(false);
/// The spans [`Listening`] was handed, which are also its span ids.
static SPANS: AtomicU64 = AtomicU64::new(0);

/// The process's subscriber, at level INFO as a service in production runs: while on, it wants
/// every span and event of that level or above (the call's span, a retry's event), is handed
/// every field's value, and keeps nothing. DEBUG and TRACE callsites (the per-attempt events)
/// it never wants, as a level filter says once per callsite; for the others its interest is
/// "sometimes", so that each span asks [`LISTENING`] whether it is on.
struct Listening;

/// Takes each field's value and drops it.
struct Ignore;

impl tracing::field::Visit for Ignore {
    fn record_debug(&mut self, _: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        std::hint::black_box(value);
    }
}

impl tracing::Subscriber for Listening {
    fn register_callsite(&self, metadata: &'static tracing::Metadata<'static>) -> Interest {
        if *metadata.level() <= tracing::Level::INFO {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        *metadata.level() <= tracing::Level::INFO && LISTENING.load(Ordering::Relaxed)
    }
    fn new_span(&self, span: &span::Attributes<'_>) -> span::Id {
        span.record(&mut Ignore);
        span::Id::from_u64(SPANS.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &span::Id, values: &span::Record<'_>) {
        values.record(&mut Ignore);
    }
    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        event.record(&mut Ignore);
    }
    fn enter(&self, _: &span::Id) {}
    fn exit(&self, _: &span::Id) {}
}

async fn run(addr: SocketAddr, plan: &Plan, benching: bool) {
    let senders = senders(addr);
    // Warm-up: connections opened, code paths and allocator caches warm. The `gr4vy_spans`
    // rows measure spans that exist, one per call, and the others none.
    for (name, sender) in &senders {
        let before = SPANS.load(Ordering::Relaxed);
        concurrent(sender, CONCURRENCY * 4).await;
        let spans = SPANS.load(Ordering::Relaxed) - before;
        let want = match sender {
            Sender::Gr4vy(_, true) => (CONCURRENCY * 4) as u64,
            _ => 0,
        };
        assert_eq!(
            spans,
            want,
            "{name}: {spans} spans for {} calls",
            CONCURRENCY * 4
        );
    }

    for mode in ["sequential", "concurrent"] {
        let mut rates: [Vec<f64>; CLIENTS.len()] = Default::default();
        // ratios[ours][baseline]
        let mut ratios: [[Vec<f64>; CLIENTS.len()]; OURS] = Default::default();
        for round in 0..plan.rounds {
            // Rotate which client goes first, so none always follows another.
            let mut rate = [0.0; CLIENTS.len()];
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
            for (ours, ratios) in ratios.iter_mut().enumerate() {
                for baseline in OURS..CLIENTS.len() {
                    ratios[baseline].push(rate[ours] / rate[baseline]);
                }
            }
        }
        for (name, mut rates) in CLIENTS.iter().zip(rates) {
            let rate = median(&mut rates);
            if benching {
                println!("{MARK} client.{mode}.{name} {rate:.1}");
            } else {
                println!("client.{mode}.{name}: ok ({rate:.0} requests/s)");
            }
        }
        for (ours, ratios) in ratios.iter_mut().enumerate() {
            for baseline in OURS..CLIENTS.len() {
                let ratio = median(&mut ratios[baseline]);
                let (ours, baseline) = (CLIENTS[ours], CLIENTS[baseline]);
                if benching {
                    println!("{MARK} client.{mode}.ratio.{ours}.{baseline} {ratio:.4}");
                } else {
                    println!("client.{mode}: {ours} / {baseline} = {ratio:.2}");
                }
            }
        }
    }
}

async fn sequential(sender: &Sender, requests: usize) -> Duration {
    sender.listen();
    let start = Instant::now();
    for _ in 0..requests {
        std::hint::black_box(sender.get().await);
    }
    start.elapsed()
}

/// `requests` calls spread over [`CONCURRENCY`] tasks.
async fn concurrent(sender: &Sender, requests: usize) -> Duration {
    sender.listen();
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
