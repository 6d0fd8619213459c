//! Milestone statuses: what a piece of hand-written text says the status is, and how to
//! write a new status the way the document already writes them.
//!
//! This module owns the [`Status`] vocabulary, the recognizer for status texts
//! (`**Status:** ⏳ Not Started`, `| NOT_STARTED |`, `🚧 **In Progress**`, …), the repair of
//! emoji that were mis-decoded as Mac Roman or Windows-1252 and saved again
//! ([`demojibake`], [`misdecode`]), and [`StatusStyle`], which learns a document's way of
//! writing statuses so that new ones match it.
//!
//! It must not find status texts in a document (the caller decides which field, cell or
//! line is a status), must not edit or re-render documents (it returns strings, the caller
//! splices them), and does no I/O.

use std::borrow::Cow;
use std::fmt;

/// The state of a milestone, phase or task.
///
/// The order is the order of the variants, so statuses can be sorted and kept in sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Work has not begun (`Not Started`, `NOT_STARTED`, `⏳`, `📋`, `❌`).
    NotStarted,
    /// Scheduled, not begun (`Planned`).
    Planned,
    /// Work is under way (`In Progress`, `WIP`, `🔄`, `🚧`).
    InProgress,
    /// Work cannot go on (`Blocked`, `⛔`, `🛑`, `🚫`).
    Blocked,
    /// Put off to later (`Deferred`, `Postponed`, `⏸️`).
    Deferred,
    /// Finished (`Complete`, `Completed`, `Done`, `✅`).
    Complete,
    /// Undone after the fact (`Rolled Back`, `⏪`, `↩️`).
    RolledBack,
}

impl Status {
    /// Returns every status, in declaration order.
    pub const ALL: [Status; 7] = [
        Status::NotStarted,
        Status::Planned,
        Status::InProgress,
        Status::Blocked,
        Status::Deferred,
        Status::Complete,
        Status::RolledBack,
    ];

    /// Returns the snake_case name used in JSON output and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::Planned => "planned",
            Status::InProgress => "in_progress",
            Status::Blocked => "blocked",
            Status::Deferred => "deferred",
            Status::Complete => "complete",
            Status::RolledBack => "rolled_back",
        }
    }

    /// Returns the status named by command-line input, or None.
    ///
    /// Accepts the words [`recognize`] accepts (`not started`, `planned`, `in progress`, `wip`,
    /// `complete`, `completed`, `done`, `blocked`, `deferred`, `postponed`, `rolled back`) in
    /// any case, with `-`, `_` or spaces between words: `in-progress`, `IN_PROGRESS`, `Done`.
    /// Anything else, including extra words, is None.
    pub fn from_name(s: &str) -> Option<Status> {
        let lower = s.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        PHRASES.iter().find(|(phrase, _)| *phrase == words.as_slice()).map(|&(_, status)| status)
    }

    /// Returns true for [`Status::Complete`] only.
    pub fn is_done(self) -> bool {
        self == Status::Complete
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Status words, longest phrase first so `not started` wins over anything shorter.
const PHRASES: &[(&[&str], Status)] = &[
    (&["not", "yet", "started"], Status::NotStarted),
    (&["not", "started"], Status::NotStarted),
    (&["in", "progress"], Status::InProgress),
    (&["rolled", "back"], Status::RolledBack),
    (&["planned"], Status::Planned),
    (&["wip"], Status::InProgress),
    (&["complete"], Status::Complete),
    (&["completed"], Status::Complete),
    (&["done"], Status::Complete),
    (&["blocked"], Status::Blocked),
    (&["deferred"], Status::Deferred),
    (&["postponed"], Status::Deferred),
];

/// Words that turn the status word after them into "not that status" (`not complete`).
const NEGATIONS: &[&str] = &["not", "never"];

/// Returns the status an emoji stands for; 🟢 🟡 🔴 are risk levels and stand for none.
fn emoji_status(c: char) -> Option<Status> {
    Some(match c {
        '\u{2705}' | '\u{2714}' | '\u{2611}' => Status::Complete, // ✅ ✔ ☑
        '\u{1F504}' | '\u{1F6A7}' | '\u{1F3D7}' | '\u{2699}' => Status::InProgress, // 🔄 🚧 🏗 ⚙
        '\u{23F3}' | '\u{1F4CB}' | '\u{1F550}' | '\u{274C}' => Status::NotStarted, // ⏳ 📋 🕐 ❌
        '\u{26D4}' | '\u{1F6D1}' | '\u{1F6AB}' => Status::Blocked, // ⛔ 🛑 🚫
        '\u{23F8}' => Status::Deferred,                           // ⏸
        '\u{23EA}' | '\u{21A9}' => Status::RolledBack,            // ⏪ ↩
        _ => return None,
    })
}

/// Returns the emoji written before a status when the document has not shown its own.
///
/// ⏳ Not Started, ⏳ Planned, 🔄 In Progress, 🚫 Blocked, ⏸️ Deferred, ✅ Complete,
/// ⏪ Rolled Back.
pub fn emoji_for(status: Status) -> &'static str {
    match status {
        Status::NotStarted | Status::Planned => "\u{23F3}",
        Status::InProgress => "\u{1F504}",
        Status::Blocked => "\u{1F6AB}",
        Status::Deferred => "\u{23F8}\u{FE0F}",
        Status::Complete => "\u{2705}",
        Status::RolledBack => "\u{23EA}",
    }
}

/// Returns the status that `text` states, or None.
///
/// Rules, in order:
/// 1. Mis-decoded emoji are repaired first ([`demojibake`]); matching ignores case.
/// 2. Words count on word boundaries: `not started` → NotStarted, `planned` → Planned,
///    `in progress` / `wip` → InProgress, `complete` / `completed` / `done` → Complete,
///    `blocked` → Blocked, `deferred` / `postponed` → Deferred, `rolled back` → RolledBack.
///    The words of a phrase may be joined by spaces, `_` or `-` (`NOT_STARTED`,
///    `in-progress`). A word is not a status inside a longer word (`Incomplete`, `Undone`)
///    or an identifier (`IN_PROGRESS_TASK_1`, `half-done`), after `not` / `never`
///    (`not complete`), or after a percentage below 100 (`60% complete`, `[X]% Complete`).
///    `Started` alone is not a status.
/// 3. Text in parentheses is a comment: it is read only when nothing is found outside.
/// 4. Choice placeholders are not a status: a bracketed list with `|` or `/` in it
///    (`[Open | Resolved | Deferred]`), two different statuses separated by `/` or `|`
///    (`Complete / In Progress`, `✅ / ❌ / 🚧`), or three or more different statuses in
///    separate comma-separated items (a legend: `✅ Complete, 🚧 In Progress, ❌ Not Started`)
///    give None. Otherwise the leftmost status wins.
/// 5. Emoji count only when no word matched: ✅ ✔️ ☑️ → Complete; 🔄 🚧 🏗 ⚙ → InProgress;
///    ⏳ 📋 🕐 ❌ → NotStarted; ⛔ 🛑 🚫 → Blocked; ⏸️ → Deferred; ⏪ ↩️ → RolledBack, with the
///    same leftmost and placeholder rules. 🟢 🟡 🔴 are risk levels, never statuses.
/// 6. Markdown emphasis and code markers (`*`, `_`, backticks) are ignored.
pub fn recognize(text: &str) -> Option<Status> {
    let text = demojibake(text);
    Scan::new(&text).decide().map(|(status, _)| status)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Emoji,
}

/// One status word or emoji found in a text, as a char index range.
#[derive(Debug, Clone, Copy)]
struct Hit {
    status: Status,
    start: usize,
    end: usize,
    kind: Kind,
}

enum Outcome {
    Nothing,
    Placeholder,
    Found(Status),
}

/// A text cut into chars, with what each char is inside of and every status in it.
struct Scan {
    chars: Vec<char>,
    /// In parentheses (a comment).
    in_parens: Vec<bool>,
    /// In a bracketed choice list such as `[Open | Resolved | Deferred]`.
    in_choice: Vec<bool>,
    hits: Vec<Hit>,
}

impl Scan {
    fn new(text: &str) -> Scan {
        let chars: Vec<char> = text.chars().collect();
        let in_parens = mark_parens(&chars);
        let in_choice = mark_choice_lists(&chars);
        let mut scan = Scan { chars, in_parens, in_choice, hits: Vec::new() };
        scan.find_words();
        scan.find_emoji();
        scan.hits.sort_by_key(|h| h.start);
        scan
    }

    fn find_words(&mut self) {
        let chars = &self.chars;
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_alphanumeric() {
                let start = i;
                while i < chars.len() && chars[i].is_alphanumeric() {
                    i += 1;
                }
                words.push((start, i));
            } else {
                i += 1;
            }
        }
        let lower: Vec<String> =
            words.iter().map(|&(s, e)| chars[s..e].iter().collect::<String>().to_lowercase()).collect();
        let gap = |a: usize, b: usize| &chars[words[a].1..words[b].0];

        let mut w = 0;
        while w < words.len() {
            let found = PHRASES.iter().find(|(phrase, _)| {
                w + phrase.len() <= words.len()
                    && phrase.iter().enumerate().all(|(j, p)| lower[w + j] == *p)
                    && (1..phrase.len()).all(|j| phrase_gap(gap(w + j - 1, w + j)))
            });
            let Some(&(phrase, status)) = found else {
                w += 1;
                continue;
            };
            let last = w + phrase.len() - 1;
            let joined_before = w > 0 && joiner(gap(w - 1, w));
            let joined_after = last + 1 < words.len() && joiner(gap(last, last + 1));
            let negated = status != Status::NotStarted
                && w > 0
                && phrase_gap(gap(w - 1, w))
                && (NEGATIONS.contains(&lower[w - 1].as_str())
                    || (w > 1
                        && lower[w - 1] == "yet"
                        && NEGATIONS.contains(&lower[w - 2].as_str())
                        && phrase_gap(gap(w - 2, w - 1))));
            let start = words[w].0;
            let partial = status == Status::Complete && below_full_percentage(chars, start);
            if !(joined_before || joined_after || negated || partial) {
                self.hits.push(Hit { status, start, end: words[last].1, kind: Kind::Word });
            }
            w = last + 1;
        }
    }

    fn find_emoji(&mut self) {
        for (i, &c) in self.chars.iter().enumerate() {
            if let Some(status) = emoji_status(c) {
                let end = if self.chars.get(i + 1) == Some(&'\u{FE0F}') { i + 2 } else { i + 1 };
                self.hits.push(Hit { status, start: i, end, kind: Kind::Emoji });
            }
        }
    }

    /// Returns the status the text states and whether a word or an emoji said it.
    fn decide(&self) -> Option<(Status, Kind)> {
        for inside in [false, true] {
            for kind in [Kind::Word, Kind::Emoji] {
                match self.evaluate(kind, inside) {
                    Outcome::Found(status) => return Some((status, kind)),
                    Outcome::Placeholder => return None,
                    Outcome::Nothing => {}
                }
            }
        }
        None
    }

    /// Decides what the hits of one kind in one region (outside or inside parentheses) say.
    fn evaluate(&self, kind: Kind, inside: bool) -> Outcome {
        let mut placeholder = false;
        let hits: Vec<Hit> = self
            .hits
            .iter()
            .filter(|h| h.kind == kind && self.in_parens[h.start] == inside)
            .filter(|h| {
                let in_list = self.in_choice[h.start];
                placeholder |= in_list;
                !in_list
            })
            .copied()
            .collect();
        let Some(first) = hits.first() else {
            return if placeholder { Outcome::Placeholder } else { Outcome::Nothing };
        };
        let separated = |a: &Hit, b: &Hit, seps: &[char]| {
            (a.end..b.start).any(|i| self.in_parens[i] == inside && seps.contains(&self.chars[i]))
        };
        for (i, a) in hits.iter().enumerate() {
            for b in &hits[i + 1..] {
                if a.status != b.status && separated(a, b, &['/', '|']) {
                    return Outcome::Placeholder;
                }
            }
        }
        // A legend: three or more comma-separated items, each with a different status.
        let mut items: Vec<Status> = vec![first.status];
        for pair in hits.windows(2) {
            if separated(&pair[0], &pair[1], &[',']) {
                items.push(pair[1].status);
            }
        }
        if items.len() >= 3 {
            let mut distinct = items.clone();
            distinct.sort();
            distinct.dedup();
            if distinct.len() == items.len() {
                return Outcome::Placeholder;
            }
        }
        Outcome::Found(first.status)
    }

    /// Returns the status emoji (with its variation selector) written just before a word hit,
    /// across spaces and emphasis markers, and the char index where it starts.
    fn leading_emoji(&self, hit: &Hit) -> Option<(usize, String)> {
        let mut k = hit.start;
        while k > 0 && matches!(self.chars[k - 1], ' ' | '\t' | '*' | '_' | '`' | '~') {
            k -= 1;
        }
        let end = k;
        if k > 0 && self.chars[k - 1] == '\u{FE0F}' {
            k -= 1;
        }
        if k > 0 && emoji_status(self.chars[k - 1]).is_some() {
            k -= 1;
            return Some((k, self.chars[k..end].iter().collect()));
        }
        None
    }

    /// Returns true when `marker` is written right before `start` and right after `end`.
    fn wrapped(&self, start: usize, end: usize, marker: &str) -> bool {
        let m: Vec<char> = marker.chars().collect();
        start >= m.len()
            && self.chars[start - m.len()..start] == m[..]
            && self.chars.get(end..end + m.len()) == Some(&m[..])
    }
}

/// Returns true for a single `_` or `-` between two words: they form one identifier.
fn joiner(gap: &[char]) -> bool {
    matches!(gap, ['_'] | ['-'])
}

/// Returns true for what may stand between the words of one status phrase.
fn phrase_gap(gap: &[char]) -> bool {
    joiner(gap) || (!gap.is_empty() && gap.iter().all(|&c| c == ' ' || c == '\t'))
}

/// Returns true when the word at `start` follows a percentage below 100 (`60% complete`,
/// `[X]% Complete`): a progress figure, not a status.
fn below_full_percentage(chars: &[char], start: usize) -> bool {
    let mut k = start;
    while k > 0 && chars[k - 1] == ' ' {
        k -= 1;
    }
    if k == 0 || chars[k - 1] != '%' {
        return false;
    }
    k -= 1;
    while k > 0 && chars[k - 1] == ' ' {
        k -= 1;
    }
    let end = k;
    let mut s = end;
    while s > 0 && (chars[s - 1].is_ascii_digit() || chars[s - 1] == '.') {
        s -= 1;
    }
    let number: String = chars[s..end].iter().collect();
    number.parse::<f64>().map_or(true, |n| n < 100.0)
}

fn mark_parens(chars: &[char]) -> Vec<bool> {
    let mut depth = 0usize;
    chars
        .iter()
        .map(|&c| match c {
            '(' => {
                depth += 1;
                true
            }
            ')' if depth > 0 => {
                depth -= 1;
                true
            }
            _ => depth > 0,
        })
        .collect()
}

fn mark_choice_lists(chars: &[char]) -> Vec<bool> {
    let mut marks = vec![false; chars.len()];
    let mut depth = 0usize;
    let mut open = 0usize;
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '[' => {
                if depth == 0 {
                    open = i;
                }
                depth += 1;
            }
            ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 && chars[open..i].iter().any(|&c| c == '|' || c == '/') {
                    marks[open..=i].iter_mut().for_each(|m| *m = true);
                }
            }
            _ => {}
        }
    }
    marks
}

/// A way text was mis-decoded: UTF-8 bytes read as a single-byte encoding and saved again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Mac Roman; byte 0xF0 (the lead byte of 4-byte emoji) became U+F8FF, the Apple logo.
    MacRoman,
    /// Mac Roman with the U+F8FF lost (fonts and converters often drop the private-use char).
    MacRomanNoApple,
    /// Windows-1252; the undefined bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D became U+0081….
    Cp1252,
}

impl Encoding {
    fn table(self) -> &'static [char; 128] {
        match self {
            Encoding::MacRoman | Encoding::MacRomanNoApple => &MAC_ROMAN,
            Encoding::Cp1252 => &CP1252,
        }
    }

    fn is_mac(self) -> bool {
        self != Encoding::Cp1252
    }

    /// Returns the byte (0x80..=0xFF) this encoding shows as `c`.
    fn byte_of(self, c: char) -> Option<u8> {
        if c.is_ascii() {
            return None;
        }
        let i = self.table().iter().position(|&t| t == c)?;
        u8::try_from(0x80 + i).ok()
    }
}

/// Mac Roman, bytes 0x80..=0xFF (Apple's mapping: 0xDB is €, 0xF0 is U+F8FF).
#[rustfmt::skip]
const MAC_ROMAN: [char; 128] = [
    '\u{00C4}', '\u{00C5}', '\u{00C7}', '\u{00C9}', '\u{00D1}', '\u{00D6}', '\u{00DC}', '\u{00E1}', // 0x80
    '\u{00E0}', '\u{00E2}', '\u{00E4}', '\u{00E3}', '\u{00E5}', '\u{00E7}', '\u{00E9}', '\u{00E8}', // 0x88
    '\u{00EA}', '\u{00EB}', '\u{00ED}', '\u{00EC}', '\u{00EE}', '\u{00EF}', '\u{00F1}', '\u{00F3}', // 0x90
    '\u{00F2}', '\u{00F4}', '\u{00F6}', '\u{00F5}', '\u{00FA}', '\u{00F9}', '\u{00FB}', '\u{00FC}', // 0x98
    '\u{2020}', '\u{00B0}', '\u{00A2}', '\u{00A3}', '\u{00A7}', '\u{2022}', '\u{00B6}', '\u{00DF}', // 0xA0
    '\u{00AE}', '\u{00A9}', '\u{2122}', '\u{00B4}', '\u{00A8}', '\u{2260}', '\u{00C6}', '\u{00D8}', // 0xA8
    '\u{221E}', '\u{00B1}', '\u{2264}', '\u{2265}', '\u{00A5}', '\u{00B5}', '\u{2202}', '\u{2211}', // 0xB0
    '\u{220F}', '\u{03C0}', '\u{222B}', '\u{00AA}', '\u{00BA}', '\u{03A9}', '\u{00E6}', '\u{00F8}', // 0xB8
    '\u{00BF}', '\u{00A1}', '\u{00AC}', '\u{221A}', '\u{0192}', '\u{2248}', '\u{2206}', '\u{00AB}', // 0xC0
    '\u{00BB}', '\u{2026}', '\u{00A0}', '\u{00C0}', '\u{00C3}', '\u{00D5}', '\u{0152}', '\u{0153}', // 0xC8
    '\u{2013}', '\u{2014}', '\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}', '\u{00F7}', '\u{25CA}', // 0xD0
    '\u{00FF}', '\u{0178}', '\u{2044}', '\u{20AC}', '\u{2039}', '\u{203A}', '\u{FB01}', '\u{FB02}', // 0xD8
    '\u{2021}', '\u{00B7}', '\u{201A}', '\u{201E}', '\u{2030}', '\u{00C2}', '\u{00CA}', '\u{00C1}', // 0xE0
    '\u{00CB}', '\u{00C8}', '\u{00CD}', '\u{00CE}', '\u{00CF}', '\u{00CC}', '\u{00D3}', '\u{00D4}', // 0xE8
    '\u{F8FF}', '\u{00D2}', '\u{00DA}', '\u{00DB}', '\u{00D9}', '\u{0131}', '\u{02C6}', '\u{02DC}', // 0xF0
    '\u{00AF}', '\u{02D8}', '\u{02D9}', '\u{02DA}', '\u{00B8}', '\u{02DD}', '\u{02DB}', '\u{02C7}', // 0xF8
];

/// Windows-1252, bytes 0x80..=0xFF; the five undefined bytes map to the C1 controls.
#[rustfmt::skip]
const CP1252: [char; 128] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', // 0x80
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}', // 0x88
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', // 0x90
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}', // 0x98
    '\u{00A0}', '\u{00A1}', '\u{00A2}', '\u{00A3}', '\u{00A4}', '\u{00A5}', '\u{00A6}', '\u{00A7}', // 0xA0
    '\u{00A8}', '\u{00A9}', '\u{00AA}', '\u{00AB}', '\u{00AC}', '\u{00AD}', '\u{00AE}', '\u{00AF}', // 0xA8
    '\u{00B0}', '\u{00B1}', '\u{00B2}', '\u{00B3}', '\u{00B4}', '\u{00B5}', '\u{00B6}', '\u{00B7}', // 0xB0
    '\u{00B8}', '\u{00B9}', '\u{00BA}', '\u{00BB}', '\u{00BC}', '\u{00BD}', '\u{00BE}', '\u{00BF}', // 0xB8
    '\u{00C0}', '\u{00C1}', '\u{00C2}', '\u{00C3}', '\u{00C4}', '\u{00C5}', '\u{00C6}', '\u{00C7}', // 0xC0
    '\u{00C8}', '\u{00C9}', '\u{00CA}', '\u{00CB}', '\u{00CC}', '\u{00CD}', '\u{00CE}', '\u{00CF}', // 0xC8
    '\u{00D0}', '\u{00D1}', '\u{00D2}', '\u{00D3}', '\u{00D4}', '\u{00D5}', '\u{00D6}', '\u{00D7}', // 0xD0
    '\u{00D8}', '\u{00D9}', '\u{00DA}', '\u{00DB}', '\u{00DC}', '\u{00DD}', '\u{00DE}', '\u{00DF}', // 0xD8
    '\u{00E0}', '\u{00E1}', '\u{00E2}', '\u{00E3}', '\u{00E4}', '\u{00E5}', '\u{00E6}', '\u{00E7}', // 0xE0
    '\u{00E8}', '\u{00E9}', '\u{00EA}', '\u{00EB}', '\u{00EC}', '\u{00ED}', '\u{00EE}', '\u{00EF}', // 0xE8
    '\u{00F0}', '\u{00F1}', '\u{00F2}', '\u{00F3}', '\u{00F4}', '\u{00F5}', '\u{00F6}', '\u{00F7}', // 0xF0
    '\u{00F8}', '\u{00F9}', '\u{00FA}', '\u{00FB}', '\u{00FC}', '\u{00FD}', '\u{00FE}', '\u{00FF}', // 0xF8
];

/// What one repair pass over a text did.
struct Repair {
    text: String,
    /// Characters put right.
    fixed: usize,
    /// 4-byte characters whose lead byte was still there (as U+F8FF in Mac Roman).
    with_lead: usize,
    /// 4-byte emoji whose Mac Roman U+F8FF lead had been lost.
    lost_lead: usize,
}

/// Returns `text` with mis-decoded UTF-8 (read as Mac Roman or Windows-1252 and saved again)
/// put right; borrowed when there is nothing to repair.
///
/// For each encoding, maximal runs of characters that the encoding shows for a byte
/// 0x80..=0xFF are turned back into those bytes; sub-sequences that form a valid multi-byte
/// UTF-8 character with a lead byte of 0xC2 or more replace the characters they came from,
/// and the rest of the run is left as it was. The encoding that repairs more characters wins.
///
/// Two guards keep real text safe: a 2-byte sequence is repaired only when it gives a
/// Latin-1 or Latin Extended-A letter (U+00A0..=U+017F), so typography beside accented
/// letters (`«École»`, `“Über”`, `—été`) is never turned into Cyrillic or IPA; and a lone
/// accented letter is never a sequence. One more repair is made for Mac Roman: `ü` followed
/// by two continuation characters (`üìã`) is a 4-byte emoji whose U+F8FF lead was lost, and
/// is restored when it gives a character in U+1F000..=U+1FAFF.
pub fn demojibake(text: &str) -> Cow<'_, str> {
    if !text.chars().any(could_be_misdecoded) {
        return Cow::Borrowed(text);
    }
    match best_repair(text) {
        Some((_, repair)) => Cow::Owned(repair.text),
        None => Cow::Borrowed(text),
    }
}

/// Returns whether `c` is in the upper half of the Mac Roman or Windows-1252 table, as every
/// character of mojibake is; those tables hold nothing from U+2600 up but three characters.
fn could_be_misdecoded(c: char) -> bool {
    !c.is_ascii() && (u32::from(c) < 0x2600 || matches!(c, '\u{F8FF}' | '\u{FB01}' | '\u{FB02}'))
}

/// Returns the encoding `text` was mis-decoded with, or None when it has no mojibake.
///
/// Mac Roman text whose only repairs are 2- or 3-byte characters (`‚úÖ`) cannot show
/// whether U+F8FF was kept; it is reported as [`Encoding::MacRoman`].
pub fn detect_encoding(text: &str) -> Option<Encoding> {
    best_repair(text).map(|(enc, _)| enc)
}

fn best_repair(text: &str) -> Option<(Encoding, Repair)> {
    if text.is_ascii() {
        return None;
    }
    let mac = repair(text, Encoding::MacRoman);
    let cp = repair(text, Encoding::Cp1252);
    if mac.fixed == 0 && cp.fixed == 0 {
        None
    } else if cp.fixed > mac.fixed {
        Some((Encoding::Cp1252, cp))
    } else if mac.lost_lead > 0 && mac.with_lead == 0 {
        Some((Encoding::MacRomanNoApple, mac))
    } else {
        Some((Encoding::MacRoman, mac))
    }
}

fn repair(text: &str, enc: Encoding) -> Repair {
    let mut out = Repair { text: String::with_capacity(text.len()), fixed: 0, with_lead: 0, lost_lead: 0 };
    let mut run: Vec<(char, u8)> = Vec::new();
    for c in text.chars() {
        match enc.byte_of(c) {
            Some(b) => run.push((c, b)),
            None => {
                repair_run(&run, enc, &mut out);
                run.clear();
                out.text.push(c);
            }
        }
    }
    repair_run(&run, enc, &mut out);
    out
}

fn repair_run(run: &[(char, u8)], enc: Encoding, out: &mut Repair) {
    let bytes: Vec<u8> = run.iter().map(|&(_, b)| b).collect();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(c) = decode_at(&bytes[i..]) {
            out.text.push(c);
            out.fixed += 1;
            let len = c.len_utf8();
            if len == 4 {
                out.with_lead += 1;
            }
            i += len;
        } else if let Some(c) = enc.is_mac().then(|| decode_without_lead(&bytes[i..])).flatten() {
            out.text.push(c);
            out.fixed += 1;
            out.lost_lead += 1;
            i += 3;
        } else {
            out.text.push(run[i].0);
            i += 1;
        }
    }
}

/// Returns the multi-byte UTF-8 character at the start of `bytes`, if it is one worth repairing.
fn decode_at(bytes: &[u8]) -> Option<char> {
    let len = match bytes.first()? {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let c = std::str::from_utf8(bytes.get(..len)?).ok()?.chars().next()?;
    (len != 2 || ('\u{A0}'..='\u{17F}').contains(&c)).then_some(c)
}

/// Returns the emoji at the start of `bytes` when its 0xF0 lead byte was lost (Mac Roman
/// without U+F8FF): `9F xx xx`.
fn decode_without_lead(bytes: &[u8]) -> Option<char> {
    let [0x9F, b2, b3, ..] = *bytes else {
        return None;
    };
    let seq = [0xF0, 0x9F, b2, b3];
    let c = std::str::from_utf8(&seq).ok()?.chars().next()?;
    ('\u{1F000}'..='\u{1FAFF}').contains(&c).then_some(c)
}

/// Returns `text` mis-decoded the way `enc` does it: the UTF-8 bytes of every non-ASCII
/// character shown as that encoding's characters (the inverse of [`demojibake`]).
///
/// Used to write new emoji into a broken document in its own broken way. With
/// [`Encoding::MacRomanNoApple`] the 0xF0 byte is dropped.
pub fn misdecode(text: &str, enc: Encoding) -> String {
    let table = enc.table();
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            if enc == Encoding::MacRomanNoApple && b == 0xF0 {
                continue;
            }
            out.push(table[usize::from(b) - 0x80]);
        }
    }
    out
}

/// The letter case of status words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Case {
    /// `Not Started`, `In Progress`.
    #[default]
    Title,
    /// `Not started`, `In progress`.
    Sentence,
    /// `not started`, `in-progress`.
    Lower,
    /// `NOT_STARTED`.
    Screaming,
}

/// Markup around the status word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Wrap {
    #[default]
    Plain,
    /// `**In Progress**`, or `**🚧 In Progress**` when it covers the emoji too.
    Bold { with_emoji: bool },
    /// `` `IN_PROGRESS` ``.
    Code,
}

/// The word used for [`Status::Complete`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CompleteWord {
    Complete,
    Completed,
    Done,
}

/// How a document writes statuses, learned from the statuses it already has, so new ones match.
///
/// Learned: whether statuses carry a leading emoji (or are emoji only), which emoji the
/// document uses for each status, whether and how its emoji are mis-decoded, the letter case
/// and word separator, the word for Complete (Complete / Completed / Done), and bold or code
/// markup. [`StatusStyle::default`] is Title Case words without emoji or markup.
#[derive(Debug, Clone, Default)]
pub struct StatusStyle {
    emoji: bool,
    emoji_only: bool,
    emoji_of: [Option<String>; 7],
    encoding: Option<Encoding>,
    case: Case,
    separator: Option<char>,
    complete: Option<CompleteWord>,
    wrap: Wrap,
}

/// Tallies gathered by [`StatusStyle::learn`].
#[derive(Default)]
struct Votes {
    with_emoji: usize,
    without_emoji: usize,
    emoji_only: usize,
    emoji: Vec<(Status, String, usize)>,
    mac_with_lead: usize,
    mac_lost_lead: usize,
    mac_unknown: usize,
    cp1252: usize,
    /// Title (or a single capitalised word), Sentence, Lower, Screaming.
    case: [usize; 4],
    /// Single capitalised words: fit both Title and Sentence.
    capitalised: usize,
    /// Per case: space, `_`, `-`.
    separator: [[usize; 3]; 4],
    complete: [usize; 3],
    /// Plain, bold, bold with emoji, code.
    wrap: [usize; 4],
}

impl Votes {
    fn emoji(&mut self, status: Status, emoji: String) {
        match self.emoji.iter_mut().find(|(s, e, _)| *s == status && *e == emoji) {
            Some(entry) => entry.2 += 1,
            None => self.emoji.push((status, emoji, 1)),
        }
    }

    fn word(&mut self, scan: &Scan, hit: &Hit) {
        let text: String = scan.chars[hit.start..hit.end].iter().collect();
        let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        let upper = |w: &str| w.chars().all(|c| !c.is_lowercase());
        let lower = |w: &str| w.chars().all(|c| !c.is_uppercase());
        let capital = |w: &str| {
            let mut cs = w.chars();
            cs.next().is_some_and(char::is_uppercase) && cs.all(|c| !c.is_uppercase())
        };
        let case = if words.iter().all(|w| lower(w)) {
            Some(Case::Lower)
        } else if text.eq_ignore_ascii_case("wip") {
            None
        } else if words.iter().all(|w| upper(w)) {
            Some(Case::Screaming)
        } else if words.len() == 1 && capital(words[0]) {
            self.capitalised += 1;
            None
        } else if words.iter().all(|w| capital(w)) {
            Some(Case::Title)
        } else if capital(words[0]) && words[1..].iter().all(|w| lower(w)) {
            Some(Case::Sentence)
        } else {
            None
        };
        if let Some(case) = case {
            self.case[case as usize] += 1;
            if let Some(sep) = text.chars().find(|c| !c.is_alphanumeric()) {
                let i = match sep {
                    '_' => 1,
                    '-' => 2,
                    _ => 0,
                };
                self.separator[case as usize][i] += 1;
            }
        }
        if hit.status == Status::Complete {
            let i = match text.to_lowercase().as_str() {
                "completed" => 1,
                "done" => 2,
                _ => 0,
            };
            self.complete[i] += 1;
        }
    }
}

/// Returns the index of the largest count; the first wins a tie.
fn argmax(counts: &[usize]) -> usize {
    let mut best = 0;
    for (i, &c) in counts.iter().enumerate() {
        if c > counts[best] {
            best = i;
        }
    }
    best
}

impl StatusStyle {
    /// Learns from every status text of a document (e.g. all `**Status:**` values and status
    /// cells).
    ///
    /// Every status word counts, in parentheses and legends too: `📋 Not Started (update to
    /// 🔄 In Progress when work begins)` teaches both 📋 and 🔄. Majorities decide; where a
    /// document shows nothing, defaults hold (no emoji, Title Case, `Complete`, or
    /// `COMPLETED` in SCREAMING_SNAKE documents, emoji from [`emoji_for`]).
    pub fn learn<'a>(texts: impl IntoIterator<Item = &'a str>) -> StatusStyle {
        let mut votes = Votes::default();
        for raw in texts {
            if let Some((enc, repair)) = best_repair(raw) {
                match enc {
                    Encoding::Cp1252 => votes.cp1252 += 1,
                    _ if repair.with_lead > 0 => votes.mac_with_lead += 1,
                    _ if repair.lost_lead > 0 => votes.mac_lost_lead += 1,
                    _ => votes.mac_unknown += 1,
                }
            }
            let text = demojibake(raw);
            let scan = Scan::new(&text);
            let words: Vec<&Hit> = scan.hits.iter().filter(|h| h.kind == Kind::Word).collect();
            if words.is_empty() {
                if let Some((status, Kind::Emoji)) = scan.decide() {
                    let hit = scan.hits.iter().find(|h| h.status == status && !scan.in_choice[h.start]);
                    if let Some(hit) = hit {
                        votes.emoji_only += 1;
                        let emoji = scan.chars[hit.start..hit.end].iter().collect();
                        votes.emoji(status, emoji);
                    }
                }
                continue;
            }
            for hit in words {
                votes.word(&scan, hit);
                let leading = scan.leading_emoji(hit);
                let wrap = if scan.wrapped(hit.start, hit.end, "**") {
                    1
                } else if leading.as_ref().is_some_and(|(s, _)| scan.wrapped(*s, hit.end, "**")) {
                    2
                } else if scan.wrapped(hit.start, hit.end, "`") {
                    3
                } else {
                    0
                };
                votes.wrap[wrap] += 1;
                match leading {
                    Some((_, emoji)) => {
                        votes.with_emoji += 1;
                        votes.emoji(hit.status, emoji);
                    }
                    None => votes.without_emoji += 1,
                }
            }
        }
        StatusStyle::from_votes(&votes)
    }

    fn from_votes(v: &Votes) -> StatusStyle {
        let mut style = StatusStyle {
            emoji_only: v.emoji_only > v.with_emoji + v.without_emoji,
            ..StatusStyle::default()
        };
        style.emoji = style.emoji_only || v.with_emoji > v.without_emoji;
        for status in Status::ALL {
            let mut best: Option<&(Status, String, usize)> = None;
            for entry in v.emoji.iter().filter(|e| e.0 == status) {
                if best.is_none_or(|b| entry.2 > b.2) {
                    best = Some(entry);
                }
            }
            style.emoji_of[status.index()] = best.map(|e| e.1.clone());
        }
        let mac = v.mac_with_lead + v.mac_lost_lead + v.mac_unknown;
        style.encoding = if v.cp1252 > mac {
            Some(Encoding::Cp1252)
        } else if mac == 0 {
            None
        } else if v.mac_lost_lead > v.mac_with_lead {
            Some(Encoding::MacRomanNoApple)
        } else {
            Some(Encoding::MacRoman)
        };
        let capital = v.case[Case::Title as usize] + v.case[Case::Sentence as usize] + v.capitalised;
        let lower = v.case[Case::Lower as usize];
        let screaming = v.case[Case::Screaming as usize];
        style.case = if screaming > capital && screaming >= lower {
            Case::Screaming
        } else if lower > capital && lower > screaming {
            Case::Lower
        } else if v.case[Case::Sentence as usize] > v.case[Case::Title as usize] {
            Case::Sentence
        } else {
            Case::Title
        };
        let seps = v.separator[style.case as usize];
        if seps.iter().any(|&n| n > 0) {
            style.separator = Some([' ', '_', '-'][argmax(&seps)]);
        }
        if v.complete.iter().any(|&n| n > 0) {
            style.complete = Some(
                [CompleteWord::Complete, CompleteWord::Completed, CompleteWord::Done][argmax(&v.complete)],
            );
        }
        style.wrap = match argmax(&v.wrap) {
            1 => Wrap::Bold { with_emoji: false },
            2 => Wrap::Bold { with_emoji: true },
            3 => Wrap::Code,
            _ => Wrap::Plain,
        };
        style
    }

    /// Returns how `status` is written in this style, e.g. "✅ Complete", "‚úÖ Complete"
    /// (mojibake kept, the way the document has it), "COMPLETED", "Completed",
    /// "🚧 In Progress", "✅ **Complete**", "Done".
    pub fn render(&self, status: Status) -> String {
        let emoji = self.emoji(status);
        if self.emoji_only {
            return emoji;
        }
        let word = self.word(status);
        match (self.emoji, self.wrap) {
            (false, Wrap::Plain) => word,
            (false, Wrap::Bold { .. }) => format!("**{word}**"),
            (false, Wrap::Code) => format!("`{word}`"),
            (true, Wrap::Plain) => format!("{emoji} {word}"),
            (true, Wrap::Bold { with_emoji: false }) => format!("{emoji} **{word}**"),
            (true, Wrap::Bold { with_emoji: true }) => format!("**{emoji} {word}**"),
            (true, Wrap::Code) => format!("{emoji} `{word}`"),
        }
    }

    /// Returns the emoji this style writes for `status`, mis-decoded like the document's.
    fn emoji(&self, status: Status) -> String {
        let emoji = self.emoji_of[status.index()].as_deref().unwrap_or(emoji_for(status));
        match self.encoding {
            Some(enc) => misdecode(emoji, enc),
            None => emoji.to_string(),
        }
    }

    /// Returns the status words in this style's case and separator.
    fn word(&self, status: Status) -> String {
        let screaming = self.case == Case::Screaming;
        let complete = match self.complete {
            Some(CompleteWord::Complete) => "complete",
            Some(CompleteWord::Completed) => "completed",
            Some(CompleteWord::Done) => "done",
            None if screaming => "completed",
            None => "complete",
        };
        let words: &[&str] = match status {
            Status::NotStarted => &["not", "started"],
            Status::Planned => &["planned"],
            Status::InProgress => &["in", "progress"],
            Status::Blocked => &["blocked"],
            Status::Deferred => &["deferred"],
            Status::Complete => &[complete],
            Status::RolledBack => &["rolled", "back"],
        };
        let separator = self.separator.unwrap_or(if screaming { '_' } else { ' ' }).to_string();
        words
            .iter()
            .enumerate()
            .map(|(i, w)| match self.case {
                Case::Screaming => w.to_uppercase(),
                Case::Lower => (*w).to_string(),
                Case::Sentence if i > 0 => (*w).to_string(),
                Case::Title | Case::Sentence => capitalise(w),
            })
            .collect::<Vec<_>>()
            .join(&separator)
    }
}

fn capitalise(word: &str) -> String {
    let mut cs = word.chars();
    match cs.next() {
        Some(first) => first.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every status-bearing line of the five seed forms, byte-exact (mojibake included).
    #[rustfmt::skip]
    const SEED_LINES: &[(&str, Option<Status>)] = &[
        ("**Status:** \u{F8FF}üìã Not Started (update to \u{F8FF}üîÑ In Progress when work begins)", Some(Status::NotStarted)), // 000:9
        ("- **E2E Tests:** 0 passing / X planned", Some(Status::Planned)), // 000:33
        ("- ‚úÖ [Tests passing]", Some(Status::Complete)), // 000:60
        ("- ‚ùå [Tests failing] (if any)", Some(Status::NotStarted)), // 000:61
        ("**Status:** ‚è≥ Not Started", Some(Status::NotStarted)), // 000:96
        ("**Status:** ‚è≥ Not Started", Some(Status::NotStarted)), // 000:137
        ("**Result:** [‚úÖ Pass | ‚ùå Fail]", None), // 000:150
        ("**Status:** [Open | Resolved | Deferred]", None), // 000:177
        ("**Started:** [YYYY-MM-DD when work branch created]", None), // 000:8
        ("- [ ] All phase tasks complete", Some(Status::Complete)), // 000:184
        ("- [ ] Milestone document updated (status ‚Üí ‚úÖ Complete)", Some(Status::Complete)), // 000:191
        ("- Record test results (‚úÖ Pass or ‚ùå Fail)", Some(Status::Complete)), // 000:268
        ("‚úÖ **Do update:**", Some(Status::Complete)), // 000:284
        ("‚ùå **Don't update:**", Some(Status::NotStarted)), // 000:292
        ("**Milestone:** [MILESTONE-ID] ‚Äî [Milestone Title]", None), // 000:7
        ("> **Status**: In Progress", Some(Status::InProgress)), // 001:5
        ("**Overall Progress**: [X]% Complete", None), // 001:12
        ("- **Tests Written**: ✅ / ❌ / 🚧", None), // 001:15
        ("- **Implementation**: ✅ / ❌ / 🚧", None), // 001:16
        ("- **Test Status**: ✅ Written, 🚧 Passing, ❌ Failing", None), // 001:50
        ("- **Implementation**: ✅ Complete, 🚧 In Progress, ❌ Not Started", None), // 001:51
        ("-- Migration 001: Create feature tables ✅", Some(Status::Complete)), // 001:70
        ("-- Migration 003: Add constraints 🚧", Some(Status::InProgress)), // 001:81
        ("-- [Status: In Progress / Planned]", None), // 001:82
        ("// ✅ GET /api/feature/:id", Some(Status::Complete)), // 001:89
        ("// Implementation in progress", Some(Status::InProgress)), // 001:96
        ("// ❌ PUT /api/feature/:id", Some(Status::NotStarted)), // 001:99
        ("// Not started yet", Some(Status::NotStarted)), // 001:100
        ("// ✅ FeatureDisplay.tsx - Complete", Some(Status::Complete)), // 001:107
        ("// Tests: Passing ✅", Some(Status::Complete)), // 001:108
        ("// 🚧 FeatureEditor.tsx - In Progress", Some(Status::InProgress)), // 001:111
        ("// Tests: Written, some failing 🚧", Some(Status::InProgress)), // 001:112
        ("// Functionality: Basic CRUD 60% complete", None), // 001:113
        ("// ❌ FeatureMetrics.tsx - Not Started", Some(Status::NotStarted)), // 001:115
        ("│   │   ├── routes.ts           ✅ Complete", Some(Status::Complete)), // 001:127
        ("│   │   ├── controller.ts       🚧 In Progress", Some(Status::InProgress)), // 001:128
        ("│   └── featureMetrics.ts       ❌ Not Started", Some(Status::NotStarted)), // 001:133
        ("│       ├── controller.test.ts  🚧 Written, Some Failing", Some(Status::InProgress)), // 001:147
        ("│   └── featureMetrics.test.ts  ❌ Not Written", Some(Status::NotStarted)), // 001:151
        ("└── 003_add_feature_constraints.sql 🚧 Ready to Apply", Some(Status::InProgress)), // 001:164
        ("1. **Test Engineer** ✅ **Complete**", Some(Status::Complete)), // 001:177
        ("3. **Backend Developer** 🚧 **In Progress**", Some(Status::InProgress)), // 001:187
        ("- API endpoints: 70% complete", None), // 001:188
        ("5. **E2E Test Engineer** ❌ **Not Started**", Some(Status::NotStarted)), // 001:197
        ("- **ESLint**: ✅ Passing / ❌ [X] issues", None), // 001:247
        ("- **TypeScript**: ✅ Strict mode / ❌ [X] errors", None), // 001:248
        ("- **Prettier**: ✅ Formatted / ❌ Needs formatting", None), // 001:249
        ("- [ ] Code review completed", Some(Status::Complete)), // 001:260
        ("- Status: `COMPLETED`", Some(Status::Complete)), // 002:50
        ("> - **Status Values**: NOT_STARTED | IN_PROGRESS | BLOCKED | COMPLETED | DEFERRED", None), // 002:91
        ("- `NOT_STARTED` - Task not yet begun", Some(Status::NotStarted)), // 002:94
        ("- `IN_PROGRESS` - Currently being implemented", Some(Status::InProgress)), // 002:95
        ("- `BLOCKED` - Implementation blocked (dependencies or issues)", Some(Status::Blocked)), // 002:96
        ("- `COMPLETED` - Implementation finished and verified", Some(Status::Complete)), // 002:97
        ("- `DEFERRED` - Postponed to later phase or release", Some(Status::Deferred)), // 002:98
        ("| NOT_STARTED | **SETUP-ENV** | **Local Environment** | **P0** | Dev Tools |", Some(Status::NotStarted)), // 002:107
        ("status: NOT_STARTED", Some(Status::NotStarted)), // 002:142
        ("started: null                # YYYY-MM-DDTHH:MM:SS when started", None), // 002:150
        ("status: planned", Some(Status::Planned)), // 003:6
        ("**Risk Level**: \u{F8FF}üü¢ Low / \u{F8FF}üü° Medium / \u{F8FF}üî¥ High", None), // 003:18
        ("**Status**: ‚è≥ Planned", Some(Status::Planned)), // 003:20
        ("- [ ] Documentation complete and accurate", Some(Status::Complete)), // 003:170
        ("npx prisma migrate resolve --rolled-back [migration-name]", Some(Status::RolledBack)), // 003:190
        ("# Update milestone status to \"Rolled Back\"", Some(Status::RolledBack)), // 003:197
        ("| Task 1 | X hours | - | ‚è≥ Planned |", Some(Status::Planned)), // 003:222
        ("- **Question 2**: Description and status", None), // 003:243
        ("**Status**: ‚è≥ Planned", Some(Status::Planned)), // 003:257
        ("**Current Progress**: [COMPLETION_PERCENTAGE]%", None), // 004:12
        ("- [DEPENDENCY_MILESTONE_1] - [Status]", None), // 004:37
        ("**Overall Progress**: [COMPLETION_PERCENTAGE]%", None), // 004:153
        ("### Completed Tasks", Some(Status::Complete)), // 004:155
        ("- [x] [COMPLETED_TASK_1] - [COMPLETION_DATE]", None), // 004:156
        ("### In Progress Tasks", Some(Status::InProgress)), // 004:159
        ("- [ ] [IN_PROGRESS_TASK_1] - [EXPECTED_COMPLETION]", None), // 004:160
        ("- [ ] [UPCOMING_TASK_1] - [PLANNED_START]", None), // 004:164
        ("### Blocked Tasks", Some(Status::Blocked)), // 004:167
        ("- [ ] [BLOCKED_TASK_1] - [BLOCKER_REASON]", None), // 004:168
    ];

    #[test]
    fn seed_lines_state_their_status() {
        for &(text, expected) in SEED_LINES {
            assert_eq!(recognize(text), expected, "{text:?}");
        }
    }

    #[test]
    fn seed_status_values_and_cells_state_their_status() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<Status>)] = &[
            ("\u{F8FF}üìã Not Started (update to \u{F8FF}üîÑ In Progress when work begins)", Some(Status::NotStarted)),
            ("‚è≥ Not Started", Some(Status::NotStarted)),
            ("‚è≥ Planned", Some(Status::Planned)),
            (" ‚è≥ Planned ", Some(Status::Planned)),
            ("[Open | Resolved | Deferred]", None),
            ("[‚úÖ Pass | ‚ùå Fail]", None),
            ("In Progress", Some(Status::InProgress)),
            ("✅ / ❌ / 🚧", None),
            ("✅ **Complete**", Some(Status::Complete)),
            ("🚧 **In Progress**", Some(Status::InProgress)),
            ("❌ **Not Started**", Some(Status::NotStarted)),
            ("NOT_STARTED", Some(Status::NotStarted)),
            ("IN_PROGRESS", Some(Status::InProgress)),
            ("BLOCKED", Some(Status::Blocked)),
            ("COMPLETED", Some(Status::Complete)),
            ("DEFERRED", Some(Status::Deferred)),
            ("planned", Some(Status::Planned)),
            ("\u{F8FF}üü¢ Low / \u{F8FF}üü° Medium / \u{F8FF}üî¥ High", None),
            ("[Status]", None),
        ];
        for &(text, expected) in cases {
            assert_eq!(recognize(text), expected, "{text:?}");
        }
    }

    #[test]
    fn every_word_form_and_case_is_recognized() {
        #[rustfmt::skip]
        let cases: &[(&str, Status)] = &[
            ("Not Started", Status::NotStarted),
            ("not started", Status::NotStarted),
            ("NOT STARTED", Status::NotStarted),
            ("not_started", Status::NotStarted),
            ("not-started", Status::NotStarted),
            ("Not started yet", Status::NotStarted),
            ("not yet started", Status::NotStarted),
            ("Planned", Status::Planned),
            ("PLANNED", Status::Planned),
            ("In Progress", Status::InProgress),
            ("in progress", Status::InProgress),
            ("in_progress", Status::InProgress),
            ("in-progress", Status::InProgress),
            ("In  Progress", Status::InProgress),
            ("WIP", Status::InProgress),
            ("wip", Status::InProgress),
            ("Complete", Status::Complete),
            ("complete", Status::Complete),
            ("Completed", Status::Complete),
            ("COMPLETE", Status::Complete),
            ("Done", Status::Complete),
            ("DONE", Status::Complete),
            ("100% complete", Status::Complete),
            ("100 % Done", Status::Complete),
            ("Blocked", Status::Blocked),
            ("blocked on review", Status::Blocked),
            ("Deferred", Status::Deferred),
            ("Postponed", Status::Deferred),
            ("Rolled Back", Status::RolledBack),
            ("rolled_back", Status::RolledBack),
            ("ROLLED-BACK", Status::RolledBack),
            ("**In Progress**", Status::InProgress),
            ("*Done*", Status::Complete),
            ("_Done_", Status::Complete),
            ("__Blocked__", Status::Blocked),
            ("`IN_PROGRESS`", Status::InProgress),
            ("~~Planned~~", Status::Planned),
            ("Status: Done.", Status::Complete),
        ];
        for &(text, expected) in cases {
            assert_eq!(recognize(text), Some(expected), "{text:?}");
        }
    }

    #[test]
    fn word_boundary_traps_are_not_statuses() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<Status>)] = &[
            ("Started", None),
            ("started 2024-01-05", None),
            ("Incomplete", None),
            ("INCOMPLETE", None),
            ("Undone", None),
            ("undone work", None),
            ("Completion", None),
            ("Doneness", None),
            ("half-done", None),
            ("IN_PROGRESS_TASK_1", None),
            ("[COMPLETED_TASK_1]", None),
            ("BLOCKED_TASK_1", None),
            ("unblocked", None),
            ("Progress", None),
            ("in progression", None),
            ("not complete", None),
            ("Not done yet", None),
            ("never completed", None),
            ("not yet done", None),
            ("60% complete", None),
            ("[X]% Complete", None),
            ("99.5% done", None),
            ("50 % complete", None),
            ("wipe", None),
            ("rolled", None),
            ("", None),
            ("   ", None),
            ("Not Started", Some(Status::NotStarted)),
            ("Incomplete, blocked", Some(Status::Blocked)),
        ];
        for &(text, expected) in cases {
            assert_eq!(recognize(text), expected, "{text:?}");
        }
    }

    #[test]
    fn parentheses_are_comments_read_only_when_nothing_is_outside() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<Status>)] = &[
            ("📋 Not Started (update to 🔄 In Progress when work begins)", Some(Status::NotStarted)),
            ("Blocked (was In Progress)", Some(Status::Blocked)),
            ("✅ (not tested: 🚧)", Some(Status::Complete)),
            ("(Done)", Some(Status::Complete)),
            ("Milestone updated (status → ✅ Complete)", Some(Status::Complete)),
            ("see notes (🚧)", Some(Status::InProgress)),
            ("TBD (Complete / Blocked)", None),
            ("Deferred (to v2 (maybe Done))", Some(Status::Deferred)),
            ("Done (unclosed", Some(Status::Complete)),
            ("unclosed (Done", Some(Status::Complete)),
            ("Planned) stray", Some(Status::Planned)),
        ];
        for &(text, expected) in cases {
            assert_eq!(recognize(text), expected, "{text:?}");
        }
    }

    #[test]
    fn choice_placeholders_are_not_statuses() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<Status>)] = &[
            ("[Open | Resolved | Deferred]", None),
            ("[Done]", Some(Status::Complete)),
            ("[x] Done", Some(Status::Complete)),
            ("✅ / ❌ / 🚧", None),
            ("✅/❌", None),
            ("Complete / In Progress", None),
            ("In Progress | Blocked", None),
            ("NOT_STARTED | IN_PROGRESS | BLOCKED | COMPLETED | DEFERRED", None),
            ("[Planned / In Progress]", None),
            ("Complete / Completed", Some(Status::Complete)),
            ("Blocked / waiting on API", Some(Status::Blocked)),
            ("Done 3/5", Some(Status::Complete)),
            ("✅ Complete, 🚧 In Progress, ❌ Not Started", None),
            ("Complete, In Progress, Blocked", None),
            ("Deferred, blocked by legal", Some(Status::Deferred)),
            ("Blocked, then In Progress, then Blocked", Some(Status::Blocked)),
            ("Done [Open | Resolved]", Some(Status::Complete)),
            ("In Progress → Complete", Some(Status::InProgress)),
        ];
        for &(text, expected) in cases {
            assert_eq!(recognize(text), expected, "{text:?}");
        }
    }

    #[test]
    fn emoji_count_only_when_no_word_matched() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<Status>)] = &[
            ("✅", Some(Status::Complete)),
            ("✔", Some(Status::Complete)),
            ("✔️", Some(Status::Complete)),
            ("☑", Some(Status::Complete)),
            ("☑️ shipped", Some(Status::Complete)),
            ("🔄", Some(Status::InProgress)),
            ("🚧", Some(Status::InProgress)),
            ("🏗", Some(Status::InProgress)),
            ("🏗️", Some(Status::InProgress)),
            ("⚙", Some(Status::InProgress)),
            ("⏳", Some(Status::NotStarted)),
            ("📋", Some(Status::NotStarted)),
            ("🕐", Some(Status::NotStarted)),
            ("❌", Some(Status::NotStarted)),
            ("⛔", Some(Status::Blocked)),
            ("🛑", Some(Status::Blocked)),
            ("🚫", Some(Status::Blocked)),
            ("⏸", Some(Status::Deferred)),
            ("⏸️", Some(Status::Deferred)),
            ("⏪", Some(Status::RolledBack)),
            ("↩", Some(Status::RolledBack)),
            ("↩️", Some(Status::RolledBack)),
            ("🟢", None),
            ("🟡 Medium", None),
            ("🔴 High", None),
            ("🚀", None),
            ("⏳ Planned", Some(Status::Planned)),
            ("❌ Not Started", Some(Status::NotStarted)),
            ("✅ Blocked", Some(Status::Blocked)),
            ("🚧 ✅", Some(Status::InProgress)),
            ("| ✅ |", Some(Status::Complete)),
        ];
        for &(text, expected) in cases {
            assert_eq!(recognize(text), expected, "{text:?}");
        }
    }

    #[test]
    fn from_name_accepts_command_line_spellings() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<Status>)] = &[
            ("not_started", Some(Status::NotStarted)),
            ("not-started", Some(Status::NotStarted)),
            ("Not Started", Some(Status::NotStarted)),
            ("NOT_STARTED", Some(Status::NotStarted)),
            ("planned", Some(Status::Planned)),
            ("in-progress", Some(Status::InProgress)),
            ("IN_PROGRESS", Some(Status::InProgress)),
            ("in progress", Some(Status::InProgress)),
            ("wip", Some(Status::InProgress)),
            ("blocked", Some(Status::Blocked)),
            ("deferred", Some(Status::Deferred)),
            ("postponed", Some(Status::Deferred)),
            ("complete", Some(Status::Complete)),
            ("completed", Some(Status::Complete)),
            ("done", Some(Status::Complete)),
            ("Done", Some(Status::Complete)),
            ("rolled_back", Some(Status::RolledBack)),
            ("rolled-back", Some(Status::RolledBack)),
            ("  Rolled  Back ", Some(Status::RolledBack)),
            ("started", None),
            ("progress", None),
            ("✅", None),
            ("in progress now", None),
            ("", None),
        ];
        for &(text, expected) in cases {
            assert_eq!(Status::from_name(text), expected, "{text:?}");
        }
        for status in Status::ALL {
            assert_eq!(Status::from_name(status.as_str()), Some(status));
            assert_eq!(status.to_string(), status.as_str());
        }
    }

    #[test]
    fn names_and_done() {
        let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            names,
            ["not_started", "planned", "in_progress", "blocked", "deferred", "complete", "rolled_back"]
        );
        let done: Vec<Status> = Status::ALL.into_iter().filter(|s| s.is_done()).collect();
        assert_eq!(done, [Status::Complete]);
    }

    #[test]
    fn seed_mojibake_has_these_code_points() {
        #[rustfmt::skip]
        let cases: &[(&str, &[u32], &str)] = &[
            ("‚è≥", &[0x201A, 0xE8, 0x2265], "⏳"),
            ("‚úÖ", &[0x201A, 0xFA, 0xD6], "✅"),
            ("‚ùå", &[0x201A, 0xF9, 0xE5], "❌"),
            ("‚Äî", &[0x201A, 0xC4, 0xEE], "—"),
            ("‚Üí", &[0x201A, 0xDC, 0xED], "→"),
            ("\u{F8FF}üìã", &[0xF8FF, 0xFC, 0xEC, 0xE3], "📋"),
            ("\u{F8FF}üîÑ", &[0xF8FF, 0xFC, 0xEE, 0xD1], "🔄"),
            ("\u{F8FF}üü¢", &[0xF8FF, 0xFC, 0xFC, 0xA2], "🟢"),
            ("\u{F8FF}üü°", &[0xF8FF, 0xFC, 0xFC, 0xB0], "🟡"),
            ("\u{F8FF}üî¥", &[0xF8FF, 0xFC, 0xEE, 0xA5], "🔴"),
        ];
        for &(broken, points, fixed) in cases {
            let got: Vec<u32> = broken.chars().map(u32::from).collect();
            assert_eq!(got, points, "{broken:?}");
            assert_eq!(demojibake(broken), fixed, "{broken:?}");
            assert_eq!(misdecode(fixed, Encoding::MacRoman), broken, "{fixed:?}");
            assert_eq!(detect_encoding(broken), Some(Encoding::MacRoman), "{broken:?}");
        }
    }

    #[test]
    fn demojibake_repairs_seed_lines() {
        #[rustfmt::skip]
        let cases: &[(&str, &str)] = &[
            ("**Status:** \u{F8FF}üìã Not Started (update to \u{F8FF}üîÑ In Progress when work begins)", "**Status:** 📋 Not Started (update to 🔄 In Progress when work begins)"),
            ("**Status:** ‚è≥ Not Started", "**Status:** ⏳ Not Started"),
            ("**Milestone:** [MILESTONE-ID] ‚Äî [Milestone Title]", "**Milestone:** [MILESTONE-ID] — [Milestone Title]"),
            ("(status ‚Üí ‚úÖ Complete)", "(status → ✅ Complete)"),
            ("**Result:** [‚úÖ Pass | ‚ùå Fail]", "**Result:** [✅ Pass | ❌ Fail]"),
            ("**Risk Level**: \u{F8FF}üü¢ Low / \u{F8FF}üü° Medium / \u{F8FF}üî¥ High", "**Risk Level**: 🟢 Low / 🟡 Medium / 🔴 High"),
            ("| Task 1 | X hours | - | ‚è≥ Planned |", "| Task 1 | X hours | - | ⏳ Planned |"),
            ("Caf√© ‚úÖ", "Café ✅"),
            ("âœ… Complete", "✅ Complete"),
            ("ðŸš€ Deployment Readiness", "🚀 Deployment Readiness"),
            ("CafÃ© done", "Café done"),
            ("â\u{8F}³ Planned", "⏳ Planned"),
            ("üìã Not Started", "📋 Not Started"),
            ("üü¢ Low", "🟢 Low"),
            ("‚úÖüîÑ", "✅🔄"),
            ("‚úÖ real ✅", "✅ real ✅"),
            ("‚ broken tail √", "‚ broken tail √"),
        ];
        for &(broken, fixed) in cases {
            assert_eq!(demojibake(broken), fixed, "{broken:?}");
        }
    }

    #[rustfmt::skip]
    const EMOJI: &[&str] = &[
        "✅", "✔", "✔️", "☑", "☑️", "🔄", "🚧", "🏗", "🏗️", "⚙", "⚙️", "⏳", "📋", "🕐", "❌", "⛔",
        "🛑", "🚫", "⏸", "⏸️", "⏪", "↩", "↩️", "🟢", "🟡", "🔴", "🚀", "📊", "🧪", "—", "→", "é",
    ];
    #[rustfmt::skip]
    const ENCODINGS: [Encoding; 3] = [
        Encoding::MacRoman,
        Encoding::MacRomanNoApple,
        Encoding::Cp1252,
    ];

    #[test]
    fn misdecode_then_demojibake_gives_back_every_emoji() {
        for enc in ENCODINGS {
            for &emoji in EMOJI {
                let broken = misdecode(emoji, enc);
                assert_ne!(broken, emoji, "{emoji} {enc:?}");
                assert_eq!(demojibake(&broken), emoji, "{emoji} {enc:?} {broken:?}");
                let line = format!("**Status:** {broken} Not Started");
                assert_eq!(demojibake(&line), format!("**Status:** {emoji} Not Started"), "{enc:?}");
            }
            for status in Status::ALL {
                let broken = misdecode(emoji_for(status), enc);
                let expected = emoji_status(emoji_for(status).chars().next().unwrap_or(' '));
                assert_eq!(recognize(&broken), expected, "{status:?} {enc:?}");
            }
        }
    }

    #[test]
    fn misdecode_writes_each_encoding_its_own_way() {
        #[rustfmt::skip]
        let cases: &[(&str, Encoding, &str)] = &[
            ("✅ Complete", Encoding::MacRoman, "‚úÖ Complete"),
            ("✅ Complete", Encoding::MacRomanNoApple, "‚úÖ Complete"),
            ("✅ Complete", Encoding::Cp1252, "âœ… Complete"),
            ("📋", Encoding::MacRoman, "\u{F8FF}üìã"),
            ("📋", Encoding::MacRomanNoApple, "üìã"),
            ("📋", Encoding::Cp1252, "ðŸ“‹"),
            ("🚀", Encoding::Cp1252, "ðŸš€"),
            ("⏳", Encoding::Cp1252, "â\u{8F}³"),
            ("plain ascii", Encoding::MacRoman, "plain ascii"),
        ];
        for &(text, enc, expected) in cases {
            assert_eq!(misdecode(text, enc), expected, "{text:?} {enc:?}");
        }
    }

    #[test]
    fn detect_encoding_tells_the_variants_apart() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<Encoding>)] = &[
            ("\u{F8FF}üìã Not Started", Some(Encoding::MacRoman)),
            ("‚è≥ Not Started", Some(Encoding::MacRoman)),
            ("üìã Not Started", Some(Encoding::MacRomanNoApple)),
            ("âœ… Complete", Some(Encoding::Cp1252)),
            ("ðŸš€", Some(Encoding::Cp1252)),
            ("✅ Complete", None),
            ("Café", None),
            ("Done", None),
        ];
        for &(text, expected) in cases {
            assert_eq!(detect_encoding(text), expected, "{text:?}");
        }
    }

    #[test]
    fn real_accented_text_is_left_alone() {
        let texts = [
            "Café",
            "naïve",
            "Zürich",
            "résumé",
            "é",
            "ü",
            "Ü",
            "São Paulo",
            "Ångström",
            "Straße",
            "Crème brûlée",
            "«École»",
            "« École »",
            "“Über”",
            "„Ärger“",
            "—été",
            "Œuvre",
            "El Niño",
            "Ærø",
            "Łódź",
            "Ελληνικά",
            "Русский",
            "日本語",
            "€100",
            "½ done",
            "© 2024",
            "naïveté",
            "Müller’s",
            "fiancée",
            "déjà vu",
            "coöperate",
            "ÀÉÎÕÜ",
            "àéîõü",
            "âêîôû",
            "ça va",
            "Ça marche",
            "±5 °C",
            "≤ 3",
            "π ≈ 3.14",
            "• item",
            "… and more",
            "‘quoted’",
            "Zoë",
            "\u{A0}Éte",
            "a–é",
            "✅ Complete",
            "🚧 **In Progress**",
        ];
        for text in texts {
            let out = demojibake(text);
            assert!(matches!(out, Cow::Borrowed(_)), "{text:?} became {out:?}");
            assert_eq!(detect_encoding(text), None, "{text:?}");
        }
    }

    #[test]
    fn mojibake_is_recognized_in_both_encodings() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<Status>)] = &[
            ("âœ… Complete", Some(Status::Complete)),
            ("âœ…", Some(Status::Complete)),
            ("ðŸš§ WIP", Some(Status::InProgress)),
            ("ðŸš§", Some(Status::InProgress)),
            ("âœ… / â\u{9D}Œ", None),
            ("â\u{9D}Œ Not Started", Some(Status::NotStarted)),
            ("üìã Not Started (update to üîÑ In Progress)", Some(Status::NotStarted)),
            ("üîÑ", Some(Status::InProgress)),
            ("\u{F8FF}üö´", Some(Status::Blocked)),
        ];
        for &(text, expected) in cases {
            assert_eq!(recognize(text), expected, "{text:?}");
        }
    }

    /// The `**Status:**` values of seed 000, byte-exact.
    #[rustfmt::skip]
    const STATUSES_000: &[&str] = &[
        "\u{F8FF}üìã Not Started (update to \u{F8FF}üîÑ In Progress when work begins)",
        "‚è≥ Not Started",
        "‚è≥ Not Started",
        "[Open | Resolved | Deferred]",
    ];

    /// The status values and cells of seed 002.
    #[rustfmt::skip]
    const STATUSES_002: &[&str] = &[
        "NOT_STARTED",
        "NOT_STARTED",
        "NOT_STARTED",
        "NOT_STARTED",
        "NOT_STARTED",
        "COMPLETED",
        "IN_PROGRESS",
        "NOT_STARTED | IN_PROGRESS | BLOCKED | COMPLETED | DEFERRED",
    ];

    #[test]
    fn style_renders_each_status_the_documents_way() {
        #[rustfmt::skip]
        let cases: &[(&[&str], Status, &str)] = &[
            (STATUSES_000, Status::Complete, "‚úÖ Complete"),
            (STATUSES_000, Status::InProgress, "\u{F8FF}üîÑ In Progress"),
            (STATUSES_000, Status::NotStarted, "‚è≥ Not Started"),
            (STATUSES_000, Status::Blocked, "\u{F8FF}üö´ Blocked"),
            (STATUSES_000, Status::Deferred, "‚è∏Ô∏è Deferred"),
            (STATUSES_002, Status::Complete, "COMPLETED"),
            (STATUSES_002, Status::NotStarted, "NOT_STARTED"),
            (STATUSES_002, Status::RolledBack, "ROLLED_BACK"),
            (&["🚧 **In Progress**"], Status::Complete, "✅ **Complete**"),
            (&["🚧 **In Progress**"], Status::InProgress, "🚧 **In Progress**"),
            (&["In Progress", "✅ **Complete**", "🚧 **In Progress**", "❌ **Not Started**"], Status::InProgress, "🚧 **In Progress**"),
            (&["✅ Complete, 🚧 In Progress, ❌ Not Started"], Status::NotStarted, "❌ Not Started"),
            (&["‚è≥ Planned", "‚è≥ Planned"], Status::Complete, "‚úÖ Complete"),
            (&["‚è≥ Planned"], Status::Planned, "‚è≥ Planned"),
            (&[], Status::Complete, "Complete"),
            (&[], Status::NotStarted, "Not Started"),
            (&[], Status::RolledBack, "Rolled Back"),
            (&["In Progress"], Status::Complete, "Complete"),
            (&["Completed"], Status::Complete, "Completed"),
            (&["Done", "Not Started"], Status::Complete, "Done"),
            (&["COMPLETE"], Status::Complete, "COMPLETE"),
            (&["in-progress", "done"], Status::NotStarted, "not-started"),
            (&["in-progress", "done"], Status::Complete, "done"),
            (&["in progress"], Status::RolledBack, "rolled back"),
            (&["Not started", "In progress"], Status::RolledBack, "Rolled back"),
            (&["✅ Done"], Status::InProgress, "🔄 In Progress"),
            (&["🏗️ In Progress"], Status::InProgress, "🏗️ In Progress"),
            (&["âœ… Done"], Status::Complete, "âœ… Done"),
            (&["âœ… Done"], Status::InProgress, "ðŸ”„ In Progress"),
            (&["üìã Not Started"], Status::InProgress, "üîÑ In Progress"),
            (&["üìã Not Started"], Status::Complete, "‚úÖ Complete"),
            (&["✅", "🚧", "❌"], Status::Complete, "✅"),
            (&["✅", "🚧", "❌"], Status::Blocked, "🚫"),
            (&["✅ / ❌ / 🚧", "Done"], Status::InProgress, "In Progress"),
            (&["`IN_PROGRESS`"], Status::Complete, "`COMPLETED`"),
            (&["**✅ Complete**"], Status::InProgress, "**🔄 In Progress**"),
        ];
        for &(texts, status, expected) in cases {
            let style = StatusStyle::learn(texts.iter().copied());
            assert_eq!(style.render(status), expected, "{texts:?} {status:?}");
        }
    }

    #[test]
    fn rendered_statuses_read_back_as_themselves() {
        #[rustfmt::skip]
        let documents: &[&[&str]] = &[
            STATUSES_000,
            STATUSES_002,
            &["🚧 **In Progress**"],
            &[],
            &["âœ… Done"],
            &["in-progress"],
        ];
        for &texts in documents {
            let style = StatusStyle::learn(texts.iter().copied());
            for status in Status::ALL {
                assert_eq!(recognize(&style.render(status)), Some(status), "{texts:?} {status:?}");
            }
        }
    }
}
