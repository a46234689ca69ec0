//! Decoding speed: response bodies into the generated types, against `serde_json::Value` of the
//! same bytes (`cargo xtask bench`, or `cargo bench -p gr4vy --bench decode`).
//!
//! Three bodies: the spec's example of a transaction, the transaction of Gr4vy's API docs, and a
//! page of 100 transaction summaries made from the latter (the docs transaction decoded as a
//! `TransactionSummary` and encoded again, so that the page holds only the fields a summary has).
//!
//! The spec has no example of a whole `Transaction`, only of its properties; `cargo xtask bench`
//! puts them together (`gr4vy_codegen::ir::sample`) and passes the file in `GR4VY_BENCH_SAMPLE`.
//! Without it, that body is not measured. Criterion writes its estimates to
//! `target/criterion/decode_{spec_transaction,transaction,page}/{typed,value}/`; the ratios come
//! from paired rounds (see [`paired`]).

// `criterion_group!` defines an undocumented `pub fn`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group};
use gr4vy::models::{Transaction, TransactionSummaries, TransactionSummary};
use serde_json::{Value, json};

#[path = "../tests/support/seeds.rs"]
#[allow(dead_code)]
mod seeds;

/// Items in the page of summaries.
const PAGE_ITEMS: usize = 100;

fn transaction_body() -> Vec<u8> {
    let body = serde_json::to_vec(&seeds::docs_transaction()).expect("a Value encodes");
    serde_json::from_slice::<Transaction>(&body).expect("the docs transaction decodes");
    body
}

/// The spec's example of a transaction, when `cargo xtask bench` wrote one.
fn spec_transaction_body() -> Option<Vec<u8>> {
    let path = std::env::var_os("GR4VY_BENCH_SAMPLE")?;
    let body = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.to_string_lossy()));
    if let Err(e) = serde_json::from_slice::<Transaction>(&body) {
        panic!("the spec's example of a transaction does not decode: {e}");
    }
    Some(body)
}

fn page_body() -> Vec<u8> {
    let summary: TransactionSummary = serde_json::from_value(seeds::docs_transaction())
        .expect("the docs transaction decodes as a summary");
    let summary = serde_json::to_value(&summary).expect("a summary encodes");
    let items: Vec<Value> = (0..PAGE_ITEMS)
        .map(|i| {
            let mut item = summary.clone();
            item["id"] = json!(format!("7099948d-7286-47e4-aad8-{i:012}"));
            item
        })
        .collect();
    let page = json!({
        "items": items,
        "limit": PAGE_ITEMS,
        "next_cursor": null,
        "previous_cursor": null,
    });
    let body = serde_json::to_vec(&page).expect("a Value encodes");
    let decoded: TransactionSummaries = serde_json::from_slice(&body).expect("the page decodes");
    assert_eq!(decoded.items.len(), PAGE_ITEMS);
    body
}

/// One criterion group: `body` decoded as `T`, and as `Value`.
fn group<T: serde::de::DeserializeOwned>(c: &mut Criterion, name: &str, body: &[u8]) {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("typed", |b| {
        b.iter(|| serde_json::from_slice::<T>(black_box(body)).unwrap())
    });
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(body)).unwrap())
    });
    group.finish();
}

fn decode(c: &mut Criterion) {
    if let Some(body) = spec_transaction_body() {
        group::<Transaction>(c, "decode_spec_transaction", &body);
    }
    group::<Transaction>(c, "decode_transaction", &transaction_body());
    group::<TransactionSummaries>(c, "decode_page", &page_body());
}

/// Rounds of [`paired`], and about how long the `Value` side of each round takes.
const PAIRED_ROUNDS: usize = 41;
const PAIRED_QUICK_ROUNDS: usize = 11;
const PAIRED_BATCH: Duration = Duration::from_millis(20);

/// Criterion measures `typed`, then `value`: on a busy machine the load can change between the two
/// and skew their ratio. So the ratio also comes from rounds that time a batch of each back to back
/// (which goes first alternates), as the median of the rounds' `value / typed`. Printed as
/// `gr4vy-bench decode.<spec_transaction|transaction|page>.speedup <ratio>` for `cargo xtask bench`.
fn paired(quick: bool) {
    let rounds = if quick {
        PAIRED_QUICK_ROUNDS
    } else {
        PAIRED_ROUNDS
    };
    let transaction = transaction_body();
    let page = page_body();
    let speedup = |body: &[u8], typed: &dyn Fn(&[u8])| {
        let value = |body: &[u8]| {
            black_box(serde_json::from_slice::<Value>(black_box(body)).unwrap());
        };
        // Iterations per batch, from one batch-long run of the slower side.
        let start = Instant::now();
        let mut calibration = 0u32;
        while start.elapsed() < PAIRED_BATCH {
            value(body);
            calibration += 1;
        }
        let batch = |f: &dyn Fn(&[u8])| {
            let start = Instant::now();
            for _ in 0..calibration {
                f(body);
            }
            start.elapsed().as_secs_f64()
        };
        let mut ratios: Vec<f64> = (0..rounds)
            .map(|round| {
                if round % 2 == 0 {
                    let t = batch(typed);
                    batch(&value) / t
                } else {
                    let v = batch(&value);
                    v / batch(typed)
                }
            })
            .collect();
        ratios.sort_by(f64::total_cmp);
        ratios[ratios.len() / 2]
    };
    let decode_transaction = |body: &[u8]| {
        black_box(serde_json::from_slice::<Transaction>(black_box(body)).unwrap());
    };
    if let Some(body) = spec_transaction_body() {
        let spec_speedup = speedup(&body, &decode_transaction);
        println!("gr4vy-bench decode.spec_transaction.speedup {spec_speedup:.4}");
    }
    let transaction_speedup = speedup(&transaction, &|body| {
        black_box(serde_json::from_slice::<Transaction>(black_box(body)).unwrap());
    });
    println!("gr4vy-bench decode.transaction.speedup {transaction_speedup:.4}");
    let page_speedup = speedup(&page, &|body| {
        black_box(serde_json::from_slice::<TransactionSummaries>(black_box(body)).unwrap());
    });
    println!("gr4vy-bench decode.page.speedup {page_speedup:.4}");
}

criterion_group!(benches, decode);

// `criterion_main!`, then the paired rounds (not when `cargo test --benches` runs this).
fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if std::env::args().any(|a| a == "--bench") {
        paired(std::env::var_os("GR4VY_BENCH_QUICK").is_some_and(|v| v != "0"));
    }
}
