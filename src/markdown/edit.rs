//! Byte-range edits spliced into the original text.
//!
//! An [`Edit`] replaces one byte range of a document with new text. Every change the tool makes
//! to a document is a list of edits applied to the original bytes, so nothing outside the
//! targeted ranges can change. This module never decides *what* to edit.

use std::ops::Range;

/// One replacement of a byte range of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The bytes replaced, as offsets into the original text.
    pub range: Range<usize>,
    /// What replaces them.
    pub text: String,
}

impl Edit {
    /// Returns an edit that replaces `range` with `text`.
    pub fn replace(range: Range<usize>, text: impl Into<String>) -> Self {
        Self { range, text: text.into() }
    }

    /// Returns an edit that inserts `text` at byte offset `at`.
    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Self { range: at..at, text: text.into() }
    }
}

/// Returns `text` with `edits` applied.
///
/// The edits may come in any order; they are sorted by position. Two insertions at the same
/// offset keep their given order.
///
/// # Panics
///
/// Panics when two edits overlap or an edit's range is not on character boundaries of
/// `text`: both are bugs in the code that computed the edits.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let pieces = pieces(text, edits);
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    pieces.iter().for_each(|p| out.push_str(p));
    out
}

/// Returns the pieces that, one after another, make `text` with `edits` applied: the
/// untouched stretches of `text` and the edits' new texts, borrowed, so that a large text can
/// be written out without being copied first. Same order and panics as [`apply`].
pub fn pieces<'t>(text: &'t str, edits: &'t [Edit]) -> Vec<&'t str> {
    let mut order: Vec<&Edit> = edits.iter().collect();
    order.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = Vec::with_capacity(2 * order.len() + 1);
    let mut at = 0;
    for edit in order {
        assert!(
            edit.range.start >= at && edit.range.start <= edit.range.end,
            "overlapping or inverted edit {:?} (previous edit ended at {at})",
            edit.range
        );
        assert!(
            text.is_char_boundary(edit.range.start) && text.is_char_boundary(edit.range.end),
            "edit {:?} is not on character boundaries",
            edit.range
        );
        out.push(&text[at..edit.range.start]);
        out.push(edit.text.as_str());
        at = edit.range.end;
    }
    out.push(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_back_to_front_in_any_order() {
        let text = "aaa\r\nbbb\nccc";
        let edits = [Edit::replace(9..12, "C"), Edit::insert(0, ">"), Edit::replace(5..8, "B")];
        assert_eq!(apply(text, &edits), ">aaa\r\nB\nC");
        assert_eq!(pieces(text, &edits).concat(), ">aaa\r\nB\nC");
    }

    #[test]
    #[should_panic(expected = "overlapping")]
    fn overlapping_edits_are_a_bug() {
        apply("abcdef", &[Edit::replace(0..3, "x"), Edit::replace(2..4, "y")]);
    }
}
