//! A bare git2 walk over a range `A..B` that reads every message: the baseline for
//! `git milestone lint`. Used by `benches/peers.sh`.

fn main() -> Result<(), git2::Error> {
    let range = std::env::args().nth(1).unwrap_or_else(|| "HEAD".into());
    let repo = git2::Repository::open_from_env()?;
    let mut walk = repo.revwalk()?;
    if range.contains("..") {
        walk.push_range(&range)?;
    } else {
        walk.push(repo.revparse_single(&range)?.peel_to_commit()?.id())?;
    }
    let mut bytes = 0usize;
    for id in walk {
        bytes += repo.find_commit(id?)?.message_bytes().len();
    }
    println!("{bytes}");
    Ok(())
}
