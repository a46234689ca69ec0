//! Issue 17's yardstick: the seven tasks of a first integration (sign with a private key, take a
//! card payment, capture and refund it, paginate, handle a 4XX, switch merchant account, sign an
//! Embed token, verify a webhook) as one Rust program, `templates/pinned/examples/tour.rs`, should
//! take at most 1.3 times the lines of the same program with Gr4vy's Python SDK, `docs/tour.py`.
//!
//! A line counts when it holds code: blank lines and lines that are only a comment (`//`, `///`
//! and `//!` in Rust, `#` in Python) do not. The Rust file is counted as `cargo fmt` leaves it
//! (CI checks that it is formatted), so a long call chain costs the lines rustfmt gives it.

use std::path::Path;

/// The ratio issue 17 asks for.
const GOAL: f64 = 1.3;

/// Lines that hold code: not blank, and not only a comment starting with `comment`.
fn code_lines(text: &str, comment: &str) -> usize {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with(comment))
        .count()
}

fn counts() -> (usize, usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let read = |path: &str| {
        std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let rust = code_lines(&read("templates/pinned/examples/tour.rs"), "//");
    let python = code_lines(&read("docs/tour.py"), "#");
    println!(
        "tour.rs: {rust} lines of code; tour.py: {python}; ratio {:.2}",
        ratio(rust, python)
    );
    (rust, python)
}

fn ratio(rust: usize, python: usize) -> f64 {
    rust as f64 / python as f64
}

#[test]
fn code_lines_skip_blank_and_comment_lines() {
    let rust = "//! doc\n\nuse std::io;\n    // note\n/// item doc\nfn f() {} // trailing\n";
    assert_eq!(code_lines(rust, "//"), 2);
    let python = "# note\nimport os\n\n    # indented note\nprint(1)  # trailing\n";
    assert_eq!(code_lines(python, "#"), 2);
}

#[test]
fn the_tour_is_at_most_1_3_times_the_python_sdk_version() {
    let (rust, python) = counts();
    assert!(
        ratio(rust, python) <= GOAL,
        "tour.rs has {rust} lines of code against {python} in tour.py: {:.2} times, over {GOAL}",
        ratio(rust, python)
    );
}
