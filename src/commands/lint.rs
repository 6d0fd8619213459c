//! `git milestone lint`: the commit-msg rules over a message file or a range of commits.

use std::path::PathBuf;

use clap::Args;
use git2::Oid;

use super::Failure;
use super::hook::MessageRules;
use crate::conventional::{self, Problem, Rules, Verdict};
use crate::error::Error;
use crate::repo::Repo;
use crate::ui::Ui;

/// Check commit messages against the commit-msg rules: a message file, or every commit of a range
///
/// Without arguments it checks the current branch's own commits: BASE..HEAD, BASE being where
/// the branch left the base branch (setting `branch.base`, else the remote's HEAD branch, else
/// main, else master). Every offending commit is reported; exit 1 when there is one.
///
/// Examples: `git milestone lint`, `git milestone lint main..HEAD`,
/// `git milestone lint --message-file .git/COMMIT_EDITMSG`
#[derive(Debug, Args)]
pub struct LintArgs {
    /// A message file to check, as the commit-msg hook would
    #[arg(long, value_name = "FILE", conflicts_with = "range")]
    pub message_file: Option<PathBuf>,
    /// The commits to check: `A..B`, or `A` for `A..HEAD` [default: BASE..HEAD]
    pub range: Option<String>,
}

/// Runs `lint`.
///
/// # Errors
///
/// Returns [`Failure::Refused`] when a message breaks the rules, an error when the range or
/// file cannot be read.
pub fn run(ui: &mut Ui, repo: &Repo, args: LintArgs) -> Result<(), Failure> {
    let rules = MessageRules::of(repo)?;
    if let Some(file) = &args.message_file {
        let shown = file.display().to_string();
        let raw = std::fs::read(file).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound { path: shown.clone() },
            _ => Error::Read { path: shown.clone(), source },
        })?;
        let message = rules.clean(&String::from_utf8_lossy(&raw));
        return match conventional::check(&message, &rules.rules) {
            Verdict::Problems(problems) => {
                let mut out = format!("{shown}:\n");
                for p in &problems {
                    out.push_str(&conventional::render(&message, p));
                    out.push('\n');
                }
                ui.out(&out)?;
                Err(Failure::Refused)
            }
            _ => {
                ui.out(&format!("{shown}: ok\n"))?;
                Ok(())
            }
        };
    }
    let range = match &args.range {
        Some(range) => range.clone(),
        None => {
            let base = repo.default_base()?;
            format!("{base}..HEAD")
        }
    };
    let commits = walk(repo, &range)?;
    let bad = check_all(&commits, &rules.rules);
    let mut out = String::new();
    for (index, problems) in &bad {
        let message = String::from_utf8_lossy(commits.message(*index));
        let header = message.lines().next().unwrap_or_default();
        let id = commits.ids[*index].to_string();
        out.push_str(&format!("{} {header}\n", &id[..7]));
        for p in problems {
            out.push_str(&format!("  {} [{}] (line {})\n", p.message, p.rule, p.line));
        }
    }
    let count = commits.ids.len();
    if bad.is_empty() {
        out.push_str(&format!("{range}: {count} commits, all follow the rules\n"));
        ui.out(&out)?;
        Ok(())
    } else {
        out.push_str(&format!("{range}: {} of {count} commits do not follow the rules\n", bad.len()));
        ui.out(&out)?;
        Err(Failure::Refused)
    }
}

/// The commits of a range in the order git's walk gives them (newest first), with their
/// messages in one buffer.
struct Commits {
    ids: Vec<Oid>,
    text: Vec<u8>,
    /// Where each message ends in `text`; it starts where the one before ends.
    ends: Vec<usize>,
}

impl Commits {
    /// Returns the message of the commit at `index`.
    fn message(&self, index: usize) -> &[u8] {
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        &self.text[start..self.ends[index]]
    }
}

/// Returns the commits of `range` (`A..B`, `A` for `A..HEAD`) with their messages.
///
/// The walk reads every commit to find its parents, and keeps the raw objects in libgit2's
/// cache; the messages are then taken from those raw objects rather than parsed again.
fn walk(repo: &Repo, range: &str) -> Result<Commits, crate::repo::Error> {
    use crate::repo::Error as RepoError;
    let (from, to) = range.split_once("..").unwrap_or((range, "HEAD"));
    let to = if to.is_empty() { "HEAD" } else { to };
    let resolve = |name: &str| {
        repo.resolve(name)
            .map_err(|_| RepoError::NoRevision { name: name.to_string(), range: range.to_string() })
    };
    let (from, to) = (resolve(from)?, resolve(to)?);
    let _reading_as_git_does = NoHashCheck::new();
    let walking = |source| RepoError::Git { doing: "could not walk the history".into(), source };
    let mut walk = repo.git.revwalk().map_err(walking)?;
    walk.push(to).map_err(walking)?;
    walk.hide(from).map_err(walking)?;
    let ids = walk.collect::<Result<Vec<Oid>, _>>().map_err(walking)?;
    let odb = repo.git.odb().map_err(walking)?;
    let mut text = Vec::with_capacity(ids.len() * 64);
    let mut ends = Vec::with_capacity(ids.len());
    for id in &ids {
        let object = odb
            .read(*id)
            .map_err(|source| RepoError::Git { doing: format!("could not read commit {id}"), source })?;
        text.extend_from_slice(message_of(object.data()));
        ends.push(text.len());
    }
    Ok(Commits { ids, text, ends })
}

/// While it lives, libgit2 does not hash every object it reads again to check it. git does not
/// either (`git fsck` does); over a long history the check costs a tenth of the walk.
struct NoHashCheck;

impl NoHashCheck {
    fn new() -> NoHashCheck {
        git2::opts::strict_hash_verification(false);
        NoHashCheck
    }
}

impl Drop for NoHashCheck {
    fn drop(&mut self) {
        // libgit2's default.
        git2::opts::strict_hash_verification(true);
    }
}

/// Returns the message of a raw commit object, as libgit2's `git_commit_message` gives it:
/// what follows the header's end (its first empty line: a continuation line of a multi-line
/// header such as `gpgsig` or `mergetag` starts with a space, even when blank), up to a NUL
/// byte, without leading newlines. The bytes are as stored: an `encoding` header is not
/// applied, as `Commit::message_bytes` does not apply it either.
fn message_of(raw: &[u8]) -> &[u8] {
    let Some(end) = memchr::memmem::find(raw, b"\n\n") else { return &[] };
    let message = &raw[end + 2..];
    let message = memchr::memchr(0, message).map_or(message, |nul| &message[..nul]);
    let start = message.iter().position(|b| *b != b'\n').unwrap_or(message.len());
    &message[start..]
}

/// From this many commits on, the messages are checked on every core.
const PARALLEL_FROM: usize = 2_048;

/// Returns the index and the problems of every commit that breaks the rules, in walk order.
fn check_all(commits: &Commits, rules: &Rules) -> Vec<(usize, Vec<Problem>)> {
    let count = commits.ids.len();
    let threads = if count < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, usize::from).min(8)
    };
    if threads == 1 {
        return check_some(commits, rules, 0..count);
    }
    let chunk = count.div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let part = t * chunk..((t + 1) * chunk).min(count);
                scope.spawn(move || check_some(commits, rules, part))
            })
            .collect();
        // Joined in order: the chunks are consecutive, so the report keeps the walk's order.
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

fn check_some(commits: &Commits, rules: &Rules, part: std::ops::Range<usize>) -> Vec<(usize, Vec<Problem>)> {
    part.filter_map(|index| {
        match conventional::check(&String::from_utf8_lossy(commits.message(index)), rules) {
            Verdict::Problems(problems) => Some((index, problems)),
            _ => None,
        }
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes raw commit objects and checks that the message read from the raw object is, byte
    /// for byte, the one git2's `Commit::message_bytes` parses.
    #[test]
    fn messages_from_raw_objects_are_what_git2_reads() {
        let dir = tempfile::tempdir().expect("temp dir");
        let git = git2::Repository::init_bare(dir.path()).expect("init");
        let odb = git.odb().expect("odb");
        let head = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\
                    author A U Thor <a@example.com> 1700000000 +0000\n\
                    committer C O Mitter <c@example.com> 1700000000 +0000\n";
        let signature = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n =abcd\n -----END PGP SIGNATURE-----\n";
        let mergetag = "mergetag object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n type commit\n tag v1\n \n signed tag\n";
        let cases: Vec<Vec<u8>> = vec![
            format!("{head}\nfeat: plain\n\nbody\n").into(),
            format!("{head}{signature}\nfeat: signed\n\nbody\n").into(),
            format!("{head}{mergetag}{signature}\nMerge tag 'v1'\n").into(),
            [format!("{head}encoding ISO-8859-1\n\nfix: caf").as_bytes(), b"\xe9\n"].concat(),
            format!("{head}\n\n\nfeat: after blank lines\n").into(),
            format!("{head}\nfeat: a NUL\0 and after\n").into(),
            format!("{head}\n").into(),
            head.into(),
            format!("{head}x-custom value\n\n\n").into(),
        ];
        for raw in cases {
            let id = odb.write(git2::ObjectType::Commit, &raw).expect("write");
            let commit = git.find_commit(id).expect("a commit");
            assert_eq!(
                String::from_utf8_lossy(message_of(&raw)),
                String::from_utf8_lossy(commit.message_bytes()),
                "{}",
                String::from_utf8_lossy(&raw)
            );
        }
    }
}
