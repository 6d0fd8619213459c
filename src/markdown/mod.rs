//! A byte-offset index of a Markdown document, and edits spliced into its bytes.
//!
//! This module knows Markdown (GFM block structure through pulldown-cmark's offset iterator)
//! but nothing of milestones: it finds headings, list items, task-list checkboxes, code and
//! HTML blocks and tables, each with its byte range. It takes `&str` and returns data; it
//! never reads files.

pub mod edit;
pub mod lines;
pub mod outline;
pub mod simple;

pub use edit::{Edit, apply, apply_in_place};
pub use lines::LineIndex;
pub use outline::Outline;
