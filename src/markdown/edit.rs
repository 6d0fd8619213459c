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
    let order = ordered(text, edits);
    let mut out = Vec::with_capacity(2 * order.len() + 1);
    let mut at = 0;
    for edit in order {
        out.push(&text[at..edit.range.start]);
        out.push(edit.text.as_str());
        at = edit.range.end;
    }
    out.push(&text[at..]);
    out
}

/// Applies `edits` to `text` where it stands: afterwards `text` is what [`apply`] returns, with
/// the same order and panics. For a large text and a few edits this spares the new pages of a
/// second copy, which a short-lived process pays for one page fault at a time (some 2 µs
/// each on a virtual machine); the text after each edit that changes its length moves once.
pub fn apply_in_place(text: &mut String, edits: &[Edit]) {
    let order = ordered(text, edits);
    text.reserve(order.iter().map(|e| e.text.len().saturating_sub(e.range.len())).sum());
    for edit in order.iter().rev() {
        text.replace_range(edit.range.clone(), &edit.text);
    }
}

/// Returns `edits` in the order they apply, checking that they neither overlap nor split a
/// character of `text`.
fn ordered<'e>(text: &str, edits: &'e [Edit]) -> Vec<&'e Edit> {
    let mut order: Vec<&Edit> = edits.iter().collect();
    order.sort_by_key(|e| (e.range.start, e.range.end));
    let mut at = 0;
    for edit in &order {
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
        at = edit.range.end;
    }
    order
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
        let mut in_place = text.to_string();
        apply_in_place(&mut in_place, &edits);
        assert_eq!(in_place, ">aaa\r\nB\nC");
    }

    #[test]
    fn edits_apply_in_place_as_they_apply_to_a_copy() {
        let text = "# Log\n\n- `a1` - one\n\n## Task é\n\n- `b2` - two\nProgress: 9%\n";
        let at = |needle: &str| text.find(needle).expect("the needle is in the text");
        let cases: Vec<Vec<Edit>> = vec![
            vec![],
            vec![Edit::insert(0, "x")],
            vec![Edit::insert(text.len(), "end\n")],
            // Two insertions at one offset keep their order; a longer and a shorter replacement.
            vec![
                Edit::insert(at("- `a1`"), "- `c3` - three\n"),
                Edit::insert(at("- `a1`"), "- `d4` - four\n"),
                Edit::replace(at("9%")..at("9%") + 1, "10"),
                Edit::replace(at("é")..at("é") + "é".len(), "e"),
                Edit::insert(at("- `b2`"), "- `e5` - five\n"),
            ],
            vec![Edit::replace(0..text.len(), "")],
        ];
        for edits in cases {
            let mut in_place = text.to_string();
            apply_in_place(&mut in_place, &edits);
            assert_eq!(in_place, apply(text, &edits), "{edits:?}");
        }
    }

    #[test]
    #[should_panic(expected = "overlapping")]
    fn overlapping_edits_are_a_bug() {
        apply("abcdef", &[Edit::replace(0..3, "x"), Edit::replace(2..4, "y")]);
    }

    #[test]
    #[should_panic(expected = "overlapping")]
    fn overlapping_edits_are_a_bug_in_place_too() {
        apply_in_place(&mut "abcdef".to_string(), &[Edit::replace(0..3, "x"), Edit::replace(2..4, "y")]);
    }
}
