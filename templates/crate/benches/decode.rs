//! Decoding speed: response bodies into the generated types, against `serde_json::Value` of the
//! same bytes (`cargo xtask bench`, or `cargo bench -p gr4vy --bench decode`).
//!
//! Two bodies: the transaction of Gr4vy's API docs, and a page of 100 transaction summaries made
//! from it (the docs transaction decoded as a `TransactionSummary` and encoded again, so that the
//! page holds only the fields a summary has). Criterion writes its estimates to
//! `target/criterion/decode_{transaction,page}/{typed,value}/`.

// `criterion_group!` defines an undocumented `pub fn`.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
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

fn decode(c: &mut Criterion) {
    let transaction = transaction_body();
    let mut group = c.benchmark_group("decode_transaction");
    group.throughput(Throughput::Bytes(transaction.len() as u64));
    group.bench_function("typed", |b| {
        b.iter(|| serde_json::from_slice::<Transaction>(black_box(&transaction)).unwrap())
    });
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&transaction)).unwrap())
    });
    group.finish();

    let page = page_body();
    let mut group = c.benchmark_group("decode_page");
    group.throughput(Throughput::Bytes(page.len() as u64));
    group.bench_function("typed", |b| {
        b.iter(|| serde_json::from_slice::<TransactionSummaries>(black_box(&page)).unwrap())
    });
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&page)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
