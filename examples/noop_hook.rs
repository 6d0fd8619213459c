//! A do-nothing compiled git hook: what a `git commit` with a hook costs at the least. Used by
//! `benches/peers.sh`.

fn main() {}
