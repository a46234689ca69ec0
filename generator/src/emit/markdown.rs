//! Spec prose as rustdoc Markdown that runs no code.
//!
//! rustdoc compiles and runs every code block of a doc comment as a doctest unless its info string
//! says otherwise: a ```` ```rust ```` or bare fence, a `~~~` fence, ```` ```should_panic ````, and
//! indented code all run. Descriptions in the spec are someone else's data, written for another
//! renderer, so nothing in them may run when the generated crate's tests do. [`spec_markdown`] is
//! the one function through which spec text reaches a doc comment or the crate's README (which
//! is the crate's doc): every code block comes out as a ```` ```text ```` block.
//!
//! How: lines are unindented (as before: spec prose is not written for rustdoc's indentation
//! rules, and an indented line would be code), and so is the run of spaces after a list marker
//! or `>` that would make the rest of the line indented code. Then pulldown-cmark, the parser
//! rustdoc uses, finds every fenced block, and its info string is replaced by `text`; the fence
//! itself (character and length) stays, so every closing fence still closes what it closed
//! before. A fence left open at the end is closed, so text our docs add after the spec's does
//! not end up inside it. Finally the result is parsed again: if any code block is still not
//! `text` (a construct this rewriting does not foresee), the whole text becomes one literal
//! ```` ```text ```` block, fenced with more backticks than it contains, which cannot run.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// `text` from the spec as Markdown in which every code block is a ```` ```text ```` block.
/// Idempotent, so text composed of already converted parts can go through it again.
pub(crate) fn spec_markdown(text: &str) -> String {
    let plain = unindent(text);
    // Before relabelling: showing HTML as text can turn what was an HTML block into prose with
    // fences in it, which relabelling must then see.
    let relabelled = relabel(&plain_prose(&plain));
    if runs_no_code(&relabelled) {
        relabelled
    } else {
        literal(&plain)
    }
}

/// Prose as rustdoc reads it without complaint, and without markup of the spec's own making: a
/// `[word]` that is no link would be an intra-doc link to nothing, so its brackets are escaped; a
/// bare URL becomes an autolink (`<https://…>`); inline HTML is shown as text (`&lt;tag>`), so spec
/// text can neither inject markup into the docs nor trip rustdoc's HTML checks. Code spans, code
/// blocks and real links are left as they are. Idempotent, like [`spec_markdown`].
fn plain_prose(text: &str) -> String {
    // (byte offset, what to insert there, how many bytes to drop), in document order.
    let mut edits: Vec<(usize, &str, usize)> = Vec::new();
    let mut in_link = 0usize;
    let mut in_code = false;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => in_link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => in_link = in_link.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if in_link == 0 && !in_code => {
                let source = &text[range.clone()];
                for (i, c) in source.char_indices() {
                    let at = range.start + i;
                    let escaped = text[..at].ends_with('\\');
                    if matches!(c, '[' | ']') && !escaped {
                        edits.push((at, "\\", 0));
                    }
                }
                let mut from = 0;
                while let Some(found) = source[from..].find("http") {
                    let start = from + found;
                    let rest = &source[start..];
                    let scheme = rest.starts_with("https://") || rest.starts_with("http://");
                    let after_word = source[..start]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric() && c != '<');
                    let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    let url = rest[..len].trim_end_matches(['.', ',', ';', ':', ')', '\'', '"']);
                    if scheme
                        && after_word
                        && url.len() > "https://".len()
                        && !url.contains(['[', ']'])
                    {
                        edits.push((range.start + start, "<", 0));
                        edits.push((range.start + start + url.len(), ">", 0));
                    }
                    from = start + len.max(1);
                }
            }
            Event::InlineHtml(_) | Event::Html(_) if !in_code => {
                for (i, c) in text[range.clone()].char_indices() {
                    if c == '<' {
                        edits.push((range.start + i, "&lt;", 1));
                    }
                }
            }
            _ => {}
        }
    }
    edits.sort_by_key(|(at, _, _)| *at);
    let mut out = String::with_capacity(text.len() + edits.len() * 2);
    let mut from = 0;
    for (at, insert, drop) in edits {
        if at < from {
            continue;
        }
        out.push_str(&text[from..at]);
        out.push_str(insert);
        from = at + drop;
    }
    out.push_str(&text[from..]);
    out
}

/// [`spec_markdown`] on one line, for places that must stay one line (a README table cell, a
/// list item, a sentence of our own).
pub(crate) fn spec_inline(text: &str) -> String {
    spec_markdown(text)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A spec value (a URL template, a server id) as one inline code span that fits in a table cell:
/// on one line, fenced with more backticks than it contains, `|` escaped as GFM tables require.
pub(crate) fn code_span(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut longest = 0;
    let mut run = 0;
    for c in one_line.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if one_line.starts_with('`') || one_line.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", one_line.replace('|', "\\|"))
}

/// The parser options rustdoc turns on that change block structure.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Trims every line, and shortens the whitespace after each leading list marker or `>` to one
/// space when it is longer (four spaces there start indented code inside the list item or quote).
fn unindent(text: &str) -> String {
    // CommonMark ends a line at `\r` too; `str::lines` does not.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.trim().lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut rest = line.trim();
        while let Some(marker) = container_marker(rest) {
            let after = &rest[marker..];
            let content = after.trim_start_matches([' ', '\t']);
            out.push_str(&rest[..marker]);
            if after.len() - content.len() > 1 {
                out.push(' ');
            } else {
                out.push_str(&after[..after.len() - content.len()]);
            }
            rest = content;
        }
        out.push_str(rest);
    }
    out
}

/// The length of the block-quote or list marker at the start of `line`, if there is one: `>`, or
/// `-`, `*`, `+`, `1.`, `1)` followed by whitespace or the end of the line.
fn container_marker(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let len = match bytes.first()? {
        b'>' => return Some(1),
        b'-' | b'*' | b'+' => 1,
        _ => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if !(1..=9).contains(&digits) || !matches!(bytes.get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
    };
    matches!(bytes.get(len), None | Some(b' ' | b'\t')).then_some(len)
}

/// Replaces the info string of every fenced code block with `text`, and closes a fence that the
/// text leaves open.
fn relabel(text: &str) -> String {
    // (byte range, replacement), in document order.
    let mut edits: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    let mut close = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) = event else {
            continue;
        };
        let line_end = text[range.start..]
            .find('\n')
            .map_or(text.len(), |i| range.start + i);
        let line = &text[range.start..line_end];
        let Some(at) = line.find(['`', '~']) else {
            continue;
        };
        let fence_char = if line[at..].starts_with('`') {
            '`'
        } else {
            '~'
        };
        let run = line[at..].chars().take_while(|&c| c == fence_char).count();
        let info = range.start + at + run..line_end;
        if text[info.clone()].trim() != "text" {
            edits.push((info, "text"));
        }
        // A fence at the start of a line (not inside a list item or quote) that reaches the end
        // of the text without a closing line is open.
        let top_level = range.start == 0 || text[..range.start].ends_with('\n');
        if top_level
            && range.end >= text.trim_end().len()
            && !is_closed(&text[range.start..], fence_char, run)
        {
            close = Some(fence_char.to_string().repeat(run));
        }
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut from = 0;
    for (range, with) in edits {
        out.push_str(&text[from..range.start]);
        out.push_str(with);
        from = range.end;
    }
    out.push_str(&text[from..]);
    if let Some(fence) = close {
        out.push('\n');
        out.push_str(&fence);
    }
    out
}

/// Whether a fenced block (its text from the opening fence on) ends with a closing fence.
fn is_closed(block: &str, fence_char: char, run: usize) -> bool {
    block.trim_end().lines().skip(1).last().is_some_and(|last| {
        let last = last.trim();
        last.len() >= run && last.chars().all(|c| c == fence_char)
    })
}

/// Whether every code block in `text` is a ```` ```text ```` block, as rustdoc's parser sees it.
fn runs_no_code(text: &str) -> bool {
    Parser::new_ext(text, options()).all(|event| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => info.trim() == "text",
        Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => false,
        _ => true,
    })
}

/// `text` as one literal ```` ```text ```` block. Its fence is longer than any run of backticks
/// in `text`, so no line of `text` can close it.
fn literal(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}text\n{text}\n{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_any_value() {
        assert_eq!(code_span("https://api.{id}.x"), "`https://api.{id}.x`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`a|b"), "`` `a\\|b ``");
        assert_eq!(code_span("a\nb"), "`a b`");
    }

    #[test]
    fn prose_markup_rustdoc_would_misread_is_made_plain() {
        let cases = [
            ("Collection[APIKeyPair]", "Collection\\[APIKeyPair\\]"),
            (
                "see: https://docs.gr4vy.com/guides/x.",
                "see: <https://docs.gr4vy.com/guides/x>.",
            ),
            ("a <b>bold</b> move", "a &lt;b>bold&lt;/b> move"),
            (
                "<script>alert(1)</script>",
                "&lt;script>alert(1)&lt;/script>",
            ),
            // Left alone: real links, autolinks, code spans and code blocks.
            (
                "[docs](https://x.test/a) and <https://x.test/b>",
                "[docs](https://x.test/a) and <https://x.test/b>",
            ),
            (
                "`Vec[0]` at `https://x.test`",
                "`Vec[0]` at `https://x.test`",
            ),
            (
                "```text\n[a] https://x.test <b>\n```",
                "```text\n[a] https://x.test <b>\n```",
            ),
        ];
        for (input, want) in cases {
            let got = spec_markdown(input);
            assert_eq!(got, want, "{input:?}");
            assert_eq!(spec_markdown(&got), got, "not idempotent on {input:?}");
        }
    }

    /// Every code block pulldown-cmark finds in `text`: (fenced, info string, contents).
    fn code_blocks(text: &str) -> Vec<(bool, String, String)> {
        let mut out = Vec::new();
        let mut current: Option<(bool, String, String)> = None;
        for event in Parser::new_ext(text, options()) {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    current = Some(match kind {
                        CodeBlockKind::Fenced(info) => (true, info.to_string(), String::new()),
                        CodeBlockKind::Indented => (false, String::new(), String::new()),
                    });
                }
                Event::Text(t) => {
                    if let Some(c) = &mut current {
                        c.2.push_str(&t);
                    }
                }
                Event::End(pulldown_cmark::TagEnd::CodeBlock) => out.extend(current.take()),
                _ => {}
            }
        }
        out
    }

    /// `spec_markdown(input)` has only `text` code blocks, holding exactly `contents` in order,
    /// and converting it again changes nothing.
    #[track_caller]
    fn check(input: &str, contents: &[&str]) -> String {
        let out = spec_markdown(input);
        let blocks = code_blocks(&out);
        for (fenced, info, _) in &blocks {
            assert!(*fenced && info == "text", "a runnable block in:\n{out}");
        }
        let found: Vec<&str> = blocks.iter().map(|b| b.2.trim_end()).collect();
        assert_eq!(found, contents, "in:\n{out}");
        assert_eq!(spec_markdown(&out), out, "not idempotent");
        out
    }

    #[test]
    fn every_fence_is_relabelled_text() {
        let out = check("a\n```rust\npanic!()\n```\nb", &["panic!()"]);
        assert_eq!(out, "a\n```text\npanic!()\n```\nb");
        check("```\nx\n```", &["x"]);
        check("```should_panic\nx\n```", &["x"]);
        check("```rust,edition2021 ignore\nx\n```", &["x"]);
        check("``` rust\nx\n```", &["x"]);
        let out = check("~~~\nx\n~~~", &["x"]);
        assert_eq!(out, "~~~text\nx\n~~~");
        check("~~~ rust {.class}\nx\n~~~", &["x"]);
        check("```text\nx\n```", &["x"]);
        check("   ```rust\n   x\n   ```", &["x"]);
    }

    #[test]
    fn longer_fences_keep_their_length_and_contents() {
        let out = check("````\n```rust\nx\n```\n````", &["```rust\nx\n```"]);
        assert_eq!(out, "````text\n```rust\nx\n```\n````");
        check("~~~~\n~~~\nx\n~~~\n~~~~", &["~~~\nx\n~~~"]);
        // A shorter or other fence inside does not close it.
        check("````rust\n```\nx\n~~~~\n````", &["```\nx\n~~~~"]);
        // A closing fence may be longer than the opening one; one with an info string is not a
        // closing fence.
        check("```\nx\n```rust\ny\n`````\nz", &["x\n```rust\ny"]);
    }

    #[test]
    fn an_unterminated_fence_is_closed() {
        let out = check("a\n```rust\npanic!()", &["panic!()"]);
        assert_eq!(out, "a\n```text\npanic!()\n```");
        // So text added after it is not code.
        check(&format!("{out}\n\nDeprecated."), &["panic!()"]);
        check("````\nx\n```", &["x\n```"]);
        check("```", &[""]);
    }

    /// Like [`check`], without saying what the code blocks hold.
    #[track_caller]
    fn check_safe(input: &str) {
        let out = spec_markdown(input);
        for (fenced, info, _) in code_blocks(&out) {
            assert!(fenced && info == "text", "a runnable block in:\n{out}");
        }
        assert_eq!(spec_markdown(&out), out, "not idempotent");
    }

    #[test]
    fn fences_in_lists_and_quotes() {
        // Unindenting moves a list item's fence out of the item.
        check("- item:\n  ```rust\n  panic!()\n  ```", &["panic!()"]);
        check("> ```rust\n> panic!()\n> ```", &["panic!()"]);
        check("> ```rust\n> panic!()", &["panic!()"]);
        // A fence on the marker's line stays in the item; what followed it in the item no
        // longer does. The structure changes, but nothing runs.
        check_safe("- ```\n  panic!()\n  ```");
        check_safe("1. ```rust\n   panic!()\n   ```");
        check_safe("> - > ```rust\n> - > panic!()");
        check_safe("- a\n\n  ~~~\n  panic!()\n  ~~~\n- ```rust\n```");
    }

    #[test]
    fn carriage_returns_end_lines() {
        check("a\r```rust\rpanic!()\r```", &["panic!()"]);
        check("a\r\n```rust\r\npanic!()\r\n```", &["panic!()"]);
    }

    #[test]
    fn indented_code_is_not_code() {
        check("a\n\n    panic!()\n\nb", &[]);
        check("\tpanic!()", &[]);
        check("-     panic!()", &[]);
        check(">     panic!()\n>     more()", &[]);
        check("> >      panic!()", &[]);
        check("1)      panic!()", &[]);
        // Ordinary lists and quotes are left alone.
        let text = "- a\n- b\n\n> c\n\n1. d\n---\n* * *\n-1 e";
        assert_eq!(spec_markdown(text), text);
    }

    #[test]
    fn html_blocks_do_not_confuse_the_fence_tracking() {
        // HTML is shown as text, so the fence inside what was an HTML block is a fence like any
        // other, and relabelled; nothing runs either way.
        check(
            "<div>\n```\n</div>\n\n```\npanic!()\n```",
            &["&lt;/div>", ""],
        );
    }

    #[test]
    fn the_fallback_is_one_literal_block() {
        let out = literal("a\n````rust\nb");
        assert_eq!(out, "`````text\na\n````rust\nb\n`````");
        assert_eq!(
            code_blocks(&out),
            [(true, "text".to_string(), "a\n````rust\nb\n".to_string())]
        );
    }

    #[test]
    fn inline_is_one_line() {
        assert_eq!(
            spec_inline("Gets a note.\n```rust\npanic!()\n```"),
            "Gets a note. ```text panic!() ```"
        );
        assert_eq!(spec_inline(" plain "), "plain");
    }
}
