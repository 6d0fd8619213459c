//! The floor the hook benchmarks compare against: a compiled program that opens the repository
//! with git2 (as git-milestone does) and reads HEAD. Used by `benches/peers.sh`.

fn main() -> std::process::ExitCode {
    match git2::Repository::open_from_env().and_then(|r| r.head().map(|h| h.target())) {
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(_) => std::process::ExitCode::from(2),
    }
}
