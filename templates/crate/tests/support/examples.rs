//! The examples test's harness (`tests/examples.rs` holds one checker per Rust type, and
//! `tests/examples.json` the spec's examples, each naming its checker).

/// Decodes, encodes and compares one example.
pub type Check = fn(&serde_json::Value) -> Result<(), String>;

/// Runs every case of `json` (`examples.json`, `count` cases) through its checker in `checks`, and
/// panics listing each example that fails, and each listed in `spec/invalid-examples.toml` (marked
/// with its `entry` and the `invalid` reason) that now passes, since its entry is then stale.
pub fn check_all(checks: &[Check], count: usize, json: &str) {
    let cases: Vec<serde_json::Value> = serde_json::from_str(json).expect("examples.json is JSON");
    assert_eq!(cases.len(), count);
    let mut failures = Vec::new();
    for case in &cases {
        let pointer = case["pointer"].as_str().unwrap_or("?");
        let Some(check) = case["check"]
            .as_u64()
            .and_then(|i| checks.get(usize::try_from(i).ok()?))
        else {
            failures.push(format!("#{pointer}: no checker {}", case["check"]));
            continue;
        };
        match (check(&case["value"]), case.get("entry")) {
            (Err(e), None) => failures.push(format!("#{pointer}: {e}")),
            (Ok(()), Some(entry)) => failures.push(format!(
                "#{pointer}: the entry for {} in spec/invalid-examples.toml lists it, but it \
                 round-trips; remove the entry",
                entry.as_str().unwrap_or("?")
            )),
            _ => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
