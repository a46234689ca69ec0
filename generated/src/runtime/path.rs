//! Request paths with their parameters filled in.

use std::fmt::{self, Display, Write as _};

use crate::Error;
use crate::http::{encoded_path_segment_len, write_path_segment};

/// Interleaves the literal `parts` of a path template with `params`, each percent-encoded as one
/// path segment: `build(&["/transactions/", "/refunds"], &[&id])`. `parts` has one more element
/// than `params`.
///
/// A parameter that is empty, `.` or `..` is refused: percent-encoding leaves dots alone (and URL
/// parsers decode `%2e` back to a dot), so such a segment would be removed or climb one level when
/// the URL is normalized, and `DELETE /buyers/{buyer_id}/shipping-details/{id}` with `id = ".."`
/// would address another resource than the caller meant.
///
/// Every call of an operation with path parameters goes through here, so the path is written
/// straight into one `String` of the exact length: a first pass only measures the encoded
/// parameters, instead of formatting each into a temporary `String`, encoding that into another
/// and growing the result as it goes.
pub(crate) fn build(parts: &[&str], params: &[&dyn Display]) -> Result<String, Error> {
    let mut length = Length::default();
    for (index, param) in params.iter().enumerate() {
        length.start_segment();
        // `Length` never fails, and neither does a `Display` of the types used as parameters.
        let _ = write!(length, "{param}");
        if length.segment_moves_the_path() {
            return Err(dot_segment(parts, index));
        }
    }
    length.total += parts.iter().map(|part| part.len()).sum::<usize>();
    let mut out = String::with_capacity(length.total);
    for (i, part) in parts.iter().enumerate() {
        out.push_str(part);
        if let Some(param) = params.get(i) {
            let _ = write!(Segment(&mut out), "{param}");
        }
    }
    Ok(out)
}

/// The error for parameter `index`, naming it by its place in the path template.
fn dot_segment(parts: &[&str], index: usize) -> Error {
    let mut template = String::new();
    for (i, part) in parts.iter().enumerate() {
        template.push_str(part);
        if i + 1 < parts.len() {
            template.push_str(if i == index { "{HERE}" } else { "{…}" });
        }
    }
    Error::invalid_request(format!(
        "path parameter {{HERE}} of `{template}` is empty, `.` or `..`, which would address \
         another resource than the one named: nothing was sent"
    ))
}

/// Percent-encodes what is written through it as (part of) one path segment, into the inner
/// writer. The encoding works byte by byte, so it does not matter how `Display` splits its output.
struct Segment<'a, W>(&'a mut W);

impl<W: fmt::Write> fmt::Write for Segment<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        write_path_segment(self.0, s)
    }
}

/// Counts the bytes that [`Segment`] would write for what is written to it, and watches each
/// segment for the values that would move the path (`""`, `.`, `..`).
#[derive(Default)]
struct Length {
    total: usize,
    /// Bytes of the current segment, before encoding.
    segment: usize,
    /// Whether the current segment is only dots so far.
    dots_only: bool,
}

impl Length {
    fn start_segment(&mut self) {
        self.segment = 0;
        self.dots_only = true;
    }

    fn segment_moves_the_path(&self) -> bool {
        self.dots_only && self.segment <= 2
    }
}

impl fmt::Write for Length {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.total += encoded_path_segment_len(s);
        self.segment += s.len();
        self.dots_only &= s.bytes().all(|byte| byte == b'.');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::build;

    #[test]
    fn parameters_are_encoded_segments_and_the_length_is_exact() {
        let path = build(&["/transactions/", "/refunds/", ""], &[&"a b/c", &42]).unwrap();
        assert_eq!(path, "/transactions/a%20b%2Fc/refunds/42");
        assert_eq!(path.capacity(), path.len());
        assert_eq!(build(&["/é/"], &[]).unwrap(), "/é/");
        assert_eq!(build(&["/", ""], &[&"é+"]).unwrap(), "/%C3%A9%2B");
    }

    #[test]
    fn empty_and_dot_segments_are_refused_and_named() {
        for bad in ["", ".", ".."] {
            let error = build(&["/buyers/", "/shipping-details/", ""], &[&"b1", &bad]).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidRequest);
            assert!(
                error
                    .to_string()
                    .contains("`/buyers/{…}/shipping-details/{HERE}`"),
                "{error}"
            );
        }
        // Dots among other characters, or more than two, stay inside one segment.
        for fine in ["...", "a..", ".a", "%2e%2e"] {
            let path = build(&["/t/", ""], &[&fine]).unwrap();
            assert!(!path.ends_with("/t/"), "{path}");
        }
        assert_eq!(build(&["/t/", ""], &[&"%2e%2e"]).unwrap(), "/t/%252e%252e");
    }
}
