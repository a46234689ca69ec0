//! Payloads from Gr4vy's own API docs (kept in `../shared/seeds/`), for tests.

use serde_json::Value;

/// The POST /transactions response shown in Gr4vy's API docs.
pub fn docs_transaction() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/seeds/004_f4b6e674e9d50d7e.txt"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!("{path}: {e}; Gr4vy's shared folder must sit beside the checkout")
    });
    // The page shows a curl call, then the response body: the first line that is exactly `{` up to
    // the first line that is exactly `}`.
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == "{")
        .expect("the page has a JSON response");
    let end = start
        + lines[start..]
            .iter()
            .position(|l| *l == "}")
            .expect("the response ends");
    serde_json::from_str(&lines[start..=end].join("\n")).expect("the docs' response is JSON")
}
