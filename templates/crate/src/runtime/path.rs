//! Request paths with their parameters filled in.

use std::fmt::{self, Display, Write as _};

use crate::http::{encoded_path_segment_len, write_path_segment};

/// Interleaves the literal `parts` of a path template with `params`, each percent-encoded as one
/// path segment: `build(&["/transactions/", "/refunds"], &[&id])`. `parts` has one more element
/// than `params`.
///
/// Every call of an operation with path parameters goes through here, so the path is written
/// straight into one `String` of the exact length: a first pass only measures the encoded
/// parameters, instead of formatting each into a temporary `String`, encoding that into another
/// and growing the result as it goes.
pub(crate) fn build(parts: &[&str], params: &[&dyn Display]) -> String {
    let mut length = Length(parts.iter().map(|part| part.len()).sum());
    for param in params {
        // `Length` never fails, and neither does a `Display` of the types used as parameters.
        let _ = write!(length, "{param}");
    }
    let mut out = String::with_capacity(length.0);
    for (i, part) in parts.iter().enumerate() {
        out.push_str(part);
        if let Some(param) = params.get(i) {
            let _ = write!(Segment(&mut out), "{param}");
        }
    }
    out
}

/// Percent-encodes what is written through it as (part of) one path segment, into the inner
/// writer. The encoding works byte by byte, so it does not matter how `Display` splits its output.
struct Segment<'a, W>(&'a mut W);

impl<W: fmt::Write> fmt::Write for Segment<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        write_path_segment(self.0, s)
    }
}

/// Counts the bytes that [`Segment`] would write for what is written to it.
struct Length(usize);

impl fmt::Write for Length {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += encoded_path_segment_len(s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::build;

    #[test]
    fn parameters_are_encoded_segments_and_the_length_is_exact() {
        let path = build(&["/transactions/", "/refunds/", ""], &[&"a b/c", &42]);
        assert_eq!(path, "/transactions/a%20b%2Fc/refunds/42");
        assert_eq!(path.capacity(), path.len());
        assert_eq!(build(&["/é/"], &[]), "/é/");
        assert_eq!(build(&["/", ""], &[&"é+"]), "/%C3%A9%2B");
    }
}
