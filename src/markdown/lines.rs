//! Line numbers and line endings of a text, by byte offset.

use std::ops::Range;

/// The start offset of every line of a text, for offset-to-line lookups.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    /// Returns the index of `text`'s lines; a line ends after `\n` (so `\r\n` and lone `\n`
    /// both end a line, and a lone `\r` does not).
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 24 + 1);
        starts.push(0);
        // Eight bytes at a time, each `\n` found as a set high bit of `newlines` below. Lines
        // average some twenty bytes: `memchr_iter`, made for long stretches between matches,
        // took 1.7 times as long on a tracking document.
        const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
        const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
        let mut chunks = bytes.chunks_exact(8);
        let mut base = 0;
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes")) ^ (ONES * u64::from(b'\n'));
            // A byte's high bit is set exactly when that byte of `word` is zero.
            let mut newlines = !(((word & LOW7) + LOW7) | word | LOW7);
            while newlines != 0 {
                starts.push(base + newlines.trailing_zeros() as usize / 8 + 1);
                newlines &= newlines - 1;
            }
            base += 8;
        }
        starts.extend(memchr::memchr_iter(b'\n', chunks.remainder()).map(|i| base + i + 1));
        if starts.last() == Some(&text.len()) && !text.is_empty() {
            starts.pop();
        }
        Self { starts, len: text.len() }
    }

    /// Returns how many lines the text has (a final line without a line ending counts).
    pub fn count(&self) -> usize {
        if self.len == 0 { 0 } else { self.starts.len() }
    }

    /// Returns the 1-based line that holds byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|s| *s <= offset)
    }

    /// Returns the 1-based line that holds byte `offset`, looked for from line `near` on (see
    /// [`partition_point_from`]): for offsets asked in document order, pass the last answer.
    pub fn line_of_near(&self, offset: usize, near: usize) -> usize {
        partition_point_from(&self.starts, near, |s| *s <= offset)
    }

    /// Returns the byte offset where 1-based `line` starts.
    pub fn start_of(&self, line: usize) -> Option<usize> {
        line.checked_sub(1).and_then(|i| self.starts.get(i)).copied()
    }

    /// Returns the byte range of 1-based `line`, including its line ending.
    pub fn full_range(&self, line: usize) -> Option<Range<usize>> {
        let start = self.start_of(line)?;
        let end = self.starts.get(line).copied().unwrap_or(self.len);
        Some(start..end)
    }

    /// Returns the byte range of 1-based `line` without its line ending (`\n` or `\r\n`).
    pub fn content_range(&self, text: &str, line: usize) -> Option<Range<usize>> {
        let full = self.full_range(line)?;
        let bytes = &text.as_bytes()[full.clone()];
        let mut end = full.end;
        if bytes.ends_with(b"\r\n") {
            end -= 2;
        } else if bytes.ends_with(b"\n") {
            end -= 1;
        }
        Some(full.start..end)
    }
}

/// Returns `slice.partition_point(pred)`, looked for from index `near` out.
///
/// Lookups that walk a long list in order find their answer a few entries on from the last
/// one: starting there, this reads those few entries, where a binary search of the whole
/// list probes all over it (on lists of megabytes, each probe a cache miss). Correct for any
/// `near`; only slower, never wrong, when the answer lies far from it.
pub fn partition_point_from<T>(slice: &[T], near: usize, pred: impl Fn(&T) -> bool) -> usize {
    let near = near.min(slice.len());
    if near > 0 && !pred(&slice[near - 1]) {
        return slice[..near - 1].partition_point(pred);
    }
    // Every entry before `lo` is in the first part; look 1, 2, 4, ... entries on.
    let mut lo = near;
    let mut step = 1;
    loop {
        let Some(probe) = slice.get(lo + step - 1) else {
            return lo + slice[lo..].partition_point(pred);
        };
        if !pred(probe) {
            return lo + slice[lo..lo + step - 1].partition_point(pred);
        }
        lo += step;
        step *= 2;
    }
}

/// Returns the line ending of the line that holds `offset`: `"\r\n"`, `"\n"`, or `None` for a
/// last line that has none.
pub fn ending_at(text: &str, offset: usize) -> Option<&'static str> {
    let rest = &text.as_bytes()[offset.min(text.len())..];
    let nl = rest.iter().position(|b| *b == b'\n')?;
    if nl > 0 && rest[nl - 1] == b'\r' { Some("\r\n") } else { Some("\n") }
}

/// Returns the line ending most lines of `text` use (`"\n"` when it has none).
pub fn dominant_ending(text: &str) -> &'static str {
    let bytes = text.as_bytes();
    let (mut crlf, mut lf) = (0usize, 0usize);
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            if i > 0 && bytes[i - 1] == b'\r' { crlf += 1 } else { lf += 1 }
        }
    }
    if crlf > lf { "\r\n" } else { "\n" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_found_with_mixed_endings() {
        let text = "a\r\nbb\ncc";
        let idx = LineIndex::new(text);
        assert_eq!(idx.count(), 3);
        assert_eq!(idx.line_of(0), 1);
        assert_eq!(idx.line_of(2), 1);
        assert_eq!(idx.line_of(3), 2);
        assert_eq!(idx.line_of(7), 3);
        assert_eq!(idx.content_range(text, 1), Some(0..1));
        assert_eq!(idx.content_range(text, 2), Some(3..5));
        assert_eq!(idx.content_range(text, 3), Some(6..8));
        assert_eq!(idx.content_range(text, 4), None);
        assert_eq!(ending_at(text, 0), Some("\r\n"));
        assert_eq!(ending_at(text, 4), Some("\n"));
        assert_eq!(ending_at(text, 7), None);
        assert_eq!(dominant_ending(text), "\n");
    }

    #[test]
    fn a_search_from_any_start_finds_what_a_whole_search_finds() {
        let list: Vec<usize> = (0..40).map(|i| i * 3).collect();
        for near in 0..45 {
            for target in 0..125 {
                let whole = list.partition_point(|v| *v < target);
                assert_eq!(partition_point_from(&list, near, |v| *v < target), whole, "{near} {target}");
            }
        }
        assert_eq!(partition_point_from(&[] as &[usize], 3, |v| *v < 1), 0);
        let idx = LineIndex::new("a\nbb\n\nccc");
        for (offset, near) in [(0, 4), (3, 0), (5, 2), (6, 3), (9, 1)] {
            assert_eq!(idx.line_of_near(offset, near), idx.line_of(offset), "{offset} {near}");
        }
    }

    #[test]
    fn every_line_is_found_wherever_it_starts_in_a_word() {
        // Line ends at every position of an eight-byte word, and bytes that differ from `\n`
        // in one bit (`\x0b`, `\x0e`, `\x8a`) or are 0x80 and above.
        let text = "\n\x0b\x0e\u{8a}é\n\n1234567\n12345678\n1\n22\n\u{7f}\u{80}\nlast";
        let naive: Vec<usize> =
            std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let idx = LineIndex::new(text);
        assert_eq!(idx.count(), naive.len());
        for (line, start) in naive.iter().enumerate() {
            assert_eq!(idx.start_of(line + 1), Some(*start), "line {}", line + 1);
        }
    }

    #[test]
    fn a_final_newline_does_not_start_a_line() {
        let idx = LineIndex::new("a\nb\n");
        assert_eq!(idx.count(), 2);
        assert_eq!(LineIndex::new("").count(), 0);
    }
}
