//! The enums test's check (`tests/enums.rs` runs it on every generated enum).

use std::fmt::{Debug, Display};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// What is wrong with enum `T` (called `name`) as an open enum: each value in `known` must encode
/// to its own string and decode back to itself, and a value the SDK has never seen must decode
/// into the fallback and encode back unchanged.
pub fn check_open_enum<T>(known: &[T], name: &str) -> Vec<String>
where
    T: Serialize + DeserializeOwned + Display + PartialEq + Debug,
{
    let mut failures = Vec::new();
    for value in known {
        let json = serde_json::to_value(value).expect("enums serialize");
        let back: T = serde_json::from_value(json.clone()).expect("strings decode");
        if &back != value || json.as_str() != Some(value.to_string().as_str()) {
            failures.push(format!("{name}: {value:?} -> {json} -> {back:?}"));
        }
    }
    let novel = serde_json::json!("a_value_added_after_this_sdk");
    match serde_json::from_value::<T>(novel.clone()) {
        Ok(v) if known.contains(&v) => {
            failures.push(format!("{name}: unknown value decoded as {v:?}"))
        }
        Ok(v)
            if serde_json::to_value(&v).ok() != Some(novel.clone())
                || v.to_string() != novel.as_str().unwrap_or("") =>
        {
            failures.push(format!("{name}: unknown value not kept: {v:?}"));
        }
        Ok(_) => {}
        Err(e) => failures.push(format!("{name}: unknown value rejected: {e}")),
    }
    failures
}
