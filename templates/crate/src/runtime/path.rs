//! Request paths with their parameters filled in.

use std::fmt::Display;

/// Interleaves the literal `parts` of a path template with `params`, each percent-encoded as one
/// path segment: `build(&["/transactions/", "/refunds"], &[&id])`. `parts` has one more element
/// than `params`.
pub(crate) fn build(parts: &[&str], params: &[&dyn Display]) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        out.push_str(part);
        if let Some(param) = params.get(i) {
            out.push_str(&crate::http::encode_path_segment(&param.to_string()));
        }
    }
    out
}
