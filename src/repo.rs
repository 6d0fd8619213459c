//! The repository, through libgit2: opening it as git would, refs and branches, commits made
//! without running git, and switching branches as `git switch` does.
//!
//! This is the only module that uses git2. It never runs the `git` binary.

use std::path::{Path, PathBuf};

use git2::{BranchType, ErrorCode, Oid, Repository, RepositoryState, Signature, Time};

/// Why the repository could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not a git repository (or any of the parent directories)")]
    NotARepository,
    #[error("this is a bare repository: it has no work tree to write documents into")]
    Bare,
    #[error("no commit yet: `{branch}` has nothing to branch from")]
    NoCommit { branch: String },
    #[error("a {0} is in progress")]
    Busy(&'static str),
    #[error("base `{name}` does not exist")]
    NoBase { name: String },
    #[error("`{name}` in `{range}` does not name a commit")]
    NoRevision { name: String, range: String },
    #[error("no base branch found: no remote HEAD, no `main`, no `master` and HEAD is detached")]
    NoDefaultBase,
    #[error("branch `{name}` already exists")]
    BranchExists { name: String },
    #[error(
        "branch `{name}` cannot be created while branch `{clash}` exists (git keeps branches as files and folders)"
    )]
    BranchClash { name: String, clash: String },
    #[error("`{name}` is not a valid branch name")]
    BadBranchName { name: String },
    #[error("your local changes to these files would be overwritten by switching to `{branch}`: {}", paths.join(", "))]
    WouldOverwrite { branch: String, paths: Vec<String> },
    #[error("{doing}")]
    Git {
        doing: String,
        #[source]
        source: git2::Error,
    },
}

impl Error {
    /// Returns how to fix it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Error::NotARepository => "run it inside a git work tree, or create one with `git init`".into(),
            Error::Bare => "run it in a clone with a work tree".into(),
            Error::NoCommit { .. } => {
                "make a first commit (e.g. `git commit --allow-empty -m \"chore: start\"`), then try again"
                    .into()
            }
            Error::Busy(what) => format!("finish or abort the {what} first (`git status` says how)"),
            Error::NoBase { .. } => {
                "name an existing branch, tag or commit with `--base`, or fetch it first".into()
            }
            Error::NoRevision { .. } => {
                "give a range of existing commits, e.g. `main..HEAD` (see `git log --oneline`)".into()
            }
            Error::NoDefaultBase => "pass `--base BRANCH` or set `branch.base` in .milestone.yml".into(),
            Error::BranchExists { name } => {
                format!("switch to it with `git switch {name}`, or choose another `--slug`")
            }
            Error::BranchClash { .. } => {
                "choose another `--slug` or `--surface`, or set `branch.pattern` in .milestone.yml".into()
            }
            Error::BadBranchName { .. } => {
                "use letters, digits, `-`, `_`, `.` and `/` in ids, surfaces and slugs".into()
            }
            Error::WouldOverwrite { .. } => {
                "commit or stash those changes (`git stash`), then try again".into()
            }
            Error::Git { .. } => return None,
        })
    }
}

fn git_err(doing: &'static str) -> impl FnOnce(git2::Error) -> Error {
    git(doing)
}

/// Returns the settings `git -c` passes to the commands and hooks it runs: the entries of
/// GIT_CONFIG_PARAMETERS (`'key'='value' ...`, shell-quoted), then GIT_CONFIG_COUNT with
/// GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n.
pub fn env_config() -> Vec<(String, String)> {
    let mut out =
        std::env::var("GIT_CONFIG_PARAMETERS").map(|p| parse_config_parameters(&p)).unwrap_or_default();
    let count = std::env::var("GIT_CONFIG_COUNT").ok().and_then(|c| c.parse::<usize>().ok()).unwrap_or(0);
    for i in 0..count.min(10_000) {
        if let (Ok(k), Ok(v)) =
            (std::env::var(format!("GIT_CONFIG_KEY_{i}")), std::env::var(format!("GIT_CONFIG_VALUE_{i}")))
        {
            out.push((k, v));
        }
    }
    out
}

/// Parses GIT_CONFIG_PARAMETERS: shell single-quoted words, each `'key'='value'` or the older
/// `'key=value'`.
fn parse_config_parameters(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let (mut word, mut split, mut quoted) = (String::new(), None, false);
        while let Some(c) = chars.next() {
            match c {
                '\'' => quoted = !quoted,
                '\\' if !quoted => {
                    if let Some(next) = chars.next() {
                        word.push(next);
                    }
                }
                '=' if !quoted && split.is_none() => split = Some(word.len()),
                c if c.is_whitespace() && !quoted => break,
                c => word.push(c),
            }
        }
        let (key, value) = match split {
            Some(at) => (word[..at].to_string(), word[at..].to_string()),
            None => match word.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (word, "true".to_string()),
            },
        };
        out.push((key, value));
    }
    out
}

/// Compares git config keys as git does: section and name without regard to case, a
/// subsection (between the first and last dot) exactly.
fn same_key(a: &str, b: &str) -> bool {
    let split = |k: &str| -> (String, String, String) {
        let first = k.find('.').unwrap_or(k.len());
        let last = k.rfind('.').unwrap_or(k.len());
        let section = k[..first].to_ascii_lowercase();
        let name = k[last.min(k.len())..].to_ascii_lowercase();
        let sub = if last > first { k[first..last].to_string() } else { String::new() };
        (section, sub, name)
    };
    split(a) == split(b)
}

fn git(doing: impl Into<String>) -> impl FnOnce(git2::Error) -> Error {
    let doing = doing.into();
    move |source| Error::Git { doing, source }
}

/// The git configuration, read once: config files (system, global, repository) and the
/// settings `git -c` passes down in the environment, which libgit2 does not read.
pub struct GitConfig {
    files: Option<git2::Config>,
    env: Vec<(String, String)>,
}

impl GitConfig {
    /// Returns the value of `key`: the last `git -c` setting for it, else the config files'.
    pub fn get(&self, key: &str) -> Option<String> {
        let from_env = self.env.iter().rev().find(|(k, _)| same_key(k, key)).map(|(_, v)| v.clone());
        from_env.or_else(|| self.files.as_ref()?.get_string(key).ok())
    }

    /// Returns the `milestone.*` entries: config files first, then `git -c` settings.
    pub fn milestone_entries(&self) -> Vec<(String, String)> {
        let mut entries = self.files.as_ref().map(crate::config::git_entries).unwrap_or_default();
        entries.extend(
            self.env.iter().filter(|(k, _)| k.to_ascii_lowercase().starts_with("milestone.")).cloned(),
        );
        entries
    }
}

/// An open repository.
pub struct Repo {
    pub git: Repository,
}

/// A file to put into a new commit: its path in the tree and its bytes.
pub struct NewFile<'a> {
    pub path: &'a str,
    pub contents: &'a [u8],
}

/// Adds the object folders that the environment names to `git`'s object database: a
/// server's pre-receive hook sees the pushed objects in a quarantine folder that git names in
/// GIT_OBJECT_DIRECTORY (the repository's own in the alternates).
fn add_object_folders(git: &Repository) -> Result<(), git2::Error> {
    let Ok(odb) = git.odb() else { return Ok(()) };
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut folders: Vec<PathBuf> = std::env::var_os("GIT_OBJECT_DIRECTORY")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .into_iter()
        .collect();
    if let Some(alternates) = std::env::var_os("GIT_ALTERNATE_OBJECT_DIRECTORIES") {
        folders.extend(std::env::split_paths(&alternates).filter(|p| !p.as_os_str().is_empty()));
    }
    for folder in folders {
        let folder = if folder.is_absolute() { folder } else { cwd.join(folder) };
        odb.add_disk_alternate(&folder.to_string_lossy())?;
    }
    Ok(())
}

/// Returns a second handle on the repository whose git dir is `git_dir` (an open
/// repository's `path()`), for work on another thread, with the object folders the
/// environment names (see [`Repo::open`]). None when it cannot be opened.
pub fn reopen(git_dir: &Path) -> Option<Repository> {
    let own = Repository::open(git_dir).ok()?;
    add_object_folders(&own).ok()?;
    Some(own)
}

impl Repo {
    /// Returns the repository git would use here: from GIT_DIR and GIT_WORK_TREE when set,
    /// else found from the current directory upwards.
    ///
    /// # Errors
    ///
    /// Fails when there is no repository.
    pub fn open() -> Result<Repo, Error> {
        let not_found = |e: git2::Error| {
            if e.code() == ErrorCode::NotFound {
                Error::NotARepository
            } else {
                git("could not open the repository")(e)
            }
        };
        // git hands hooks relative GIT_DIR / GIT_WORK_TREE (`.`), meant from the hook's working
        // directory; libgit2 would read GIT_WORK_TREE relative to the git dir.
        let cwd = std::env::current_dir().unwrap_or_default();
        let var = |name: &str| {
            std::env::var_os(name).filter(|v| !v.is_empty()).map(|v| {
                let p = PathBuf::from(v);
                if p.is_absolute() { p } else { cwd.join(p) }
            })
        };
        let Some(dir) = var("GIT_DIR") else {
            return Repository::open_from_env().map(|git| Repo { git }).map_err(not_found);
        };
        let git = Repository::open(&dir).map_err(not_found)?;
        add_object_folders(&git).map_err(git_err("could not read GIT_OBJECT_DIRECTORY"))?;
        if let Some(tree) = var("GIT_WORK_TREE") {
            git.set_workdir(&tree, false).map_err(git_err("could not use GIT_WORK_TREE"))?;
        }
        if let Some(index) = var("GIT_INDEX_FILE") {
            let mut index = git2::Index::open(&index).map_err(git_err("could not read GIT_INDEX_FILE"))?;
            git.set_index(&mut index).map_err(git_err("could not use GIT_INDEX_FILE"))?;
        }
        Ok(Repo { git })
    }

    /// Returns the git configuration as git would see it here, read once: the repository's
    /// config files and the `git -c` settings passed down in the environment.
    pub fn git_config(&self) -> GitConfig {
        GitConfig { files: self.git.config().ok().and_then(|mut c| c.snapshot().ok()), env: env_config() }
    }

    /// Returns the value git would give `key` (see [`GitConfig::get`]).
    pub fn config_string(&self, key: &str) -> Option<String> {
        self.git_config().get(key)
    }

    /// Returns the repository whose work tree (or git dir) is at `path`, ignoring GIT_DIR and
    /// the current directory.
    ///
    /// # Errors
    ///
    /// Fails when there is no repository there.
    pub fn open_at(path: &Path) -> Result<Repo, Error> {
        match Repository::open(path) {
            Ok(git) => Ok(Repo { git }),
            Err(e) if e.code() == ErrorCode::NotFound => Err(Error::NotARepository),
            Err(e) => Err(git("could not open the repository")(e)),
        }
    }

    /// Returns the root of the work tree.
    ///
    /// # Errors
    ///
    /// Fails for a bare repository.
    pub fn workdir(&self) -> Result<&Path, Error> {
        self.git.workdir().ok_or(Error::Bare)
    }

    /// Returns the `milestone.*` entries of git config (see [`GitConfig::milestone_entries`]).
    pub fn config_entries(&self) -> Vec<(String, String)> {
        self.git_config().milestone_entries()
    }

    /// Fails when a rebase, merge, cherry-pick, revert or bisect is in progress.
    ///
    /// # Errors
    ///
    /// Names the operation in progress.
    pub fn ensure_idle(&self) -> Result<(), Error> {
        let busy = match self.git.state() {
            RepositoryState::Clean => None,
            RepositoryState::Merge => Some("merge"),
            RepositoryState::Revert | RepositoryState::RevertSequence => Some("revert"),
            RepositoryState::CherryPick | RepositoryState::CherryPickSequence => Some("cherry-pick"),
            RepositoryState::Bisect => Some("bisect"),
            RepositoryState::Rebase | RepositoryState::RebaseInteractive | RepositoryState::RebaseMerge => {
                Some("rebase")
            }
            RepositoryState::ApplyMailbox | RepositoryState::ApplyMailboxOrRebase => Some("`git am`"),
        };
        // libgit2 does not report bisect when only BISECT_LOG is there.
        let bisect = self.git.path().join("BISECT_LOG").exists();
        match busy.or(bisect.then_some("bisect")) {
            Some(what) => Err(Error::Busy(what)),
            None => Ok(()),
        }
    }

    /// Returns the name of the branch HEAD is on, or None when HEAD is detached.
    pub fn current_branch(&self) -> Option<String> {
        let head = self.git.find_reference("HEAD").ok()?;
        let target = head.symbolic_target().ok()??;
        target.strip_prefix("refs/heads/").map(str::to_string)
    }

    /// Returns the commit HEAD points at.
    ///
    /// # Errors
    ///
    /// Fails when HEAD's branch has no commit yet.
    pub fn head_commit(&self) -> Result<git2::Commit<'_>, Error> {
        match self.git.head() {
            Ok(head) => head.peel_to_commit().map_err(git("could not read HEAD's commit")),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => {
                Err(Error::NoCommit { branch: self.current_branch().unwrap_or_else(|| "HEAD".into()) })
            }
            Err(e) => Err(git("could not read HEAD")(e)),
        }
    }

    /// Returns the default base branch: the remote's HEAD branch when known, else `main`, else
    /// `master`, else the current branch.
    ///
    /// # Errors
    ///
    /// Fails when none of these exists.
    pub fn default_base(&self) -> Result<String, Error> {
        let remotes = self.git.remotes().map_err(git("could not list remotes"))?;
        let mut names: Vec<&str> = remotes.iter().filter_map(|r| r.ok().flatten()).collect();
        // `origin` first, as git does when it has to pick.
        names.sort_by_key(|n| *n != "origin");
        for remote in names {
            let Ok(head) = self.git.find_reference(&format!("refs/remotes/{remote}/HEAD")) else { continue };
            let prefix = format!("refs/remotes/{remote}/");
            if let Some(target) = head.symbolic_target().ok().flatten().and_then(|t| t.strip_prefix(&prefix))
            {
                return Ok(target.to_string());
            }
        }
        for name in ["main", "master"] {
            if self.resolve(name).is_ok() {
                return Ok(name.to_string());
            }
        }
        self.current_branch().ok_or(Error::NoDefaultBase)
    }

    /// Returns the commit a base names: a local branch, else a remote-tracking branch (`main`
    /// finds `origin/main` when there is no local `main`), else any revision.
    ///
    /// # Errors
    ///
    /// Fails when nothing by that name exists.
    pub fn resolve(&self, name: &str) -> Result<Oid, Error> {
        let no_base = || Error::NoBase { name: name.to_string() };
        if let Ok(b) = self.git.find_branch(name, BranchType::Local) {
            return b.get().peel_to_commit().map(|c| c.id()).map_err(|_| no_base());
        }
        if let Ok(b) = self.git.find_branch(name, BranchType::Remote) {
            return b.get().peel_to_commit().map(|c| c.id()).map_err(|_| no_base());
        }
        let remotes = self.git.remotes().map_err(git("could not list remotes"))?;
        for remote in remotes.iter().filter_map(|r| r.ok().flatten()) {
            if let Ok(b) = self.git.find_branch(&format!("{remote}/{name}"), BranchType::Remote) {
                return b.get().peel_to_commit().map(|c| c.id()).map_err(|_| no_base());
            }
        }
        self.git.revparse_single(name).and_then(|o| o.peel_to_commit()).map(|c| c.id()).map_err(|_| no_base())
    }

    /// Returns whether a local branch `name` exists.
    pub fn branch_exists(&self, name: &str) -> bool {
        self.git.find_branch(name, BranchType::Local).is_ok()
    }

    /// Fails unless `name` can be a branch name.
    ///
    /// # Errors
    ///
    /// Names the bad name.
    pub fn check_branch_name(name: &str) -> Result<(), Error> {
        if git2::Branch::name_is_valid(name).unwrap_or(false) && !name.starts_with('-') {
            Ok(())
        } else {
            Err(Error::BadBranchName { name: name.to_string() })
        }
    }

    /// Returns the bytes of `path` in `commit`'s tree, or None when it has no such file.
    pub fn file_at(&self, commit: Oid, path: &str) -> Option<Vec<u8>> {
        let commit = self.git.find_commit(commit).ok()?;
        let entry = commit.tree().ok()?.get_path(Path::new(path)).ok()?;
        let blob = self.git.find_blob(entry.id()).ok()?;
        Some(blob.content().to_vec())
    }

    /// Returns the author and committer git would use: `user.name` and `user.email` from
    /// git config, overridden by GIT_AUTHOR_* and GIT_COMMITTER_* as git does.
    ///
    /// # Errors
    ///
    /// Fails when no name or email is configured.
    pub fn signatures(&self) -> Result<(Signature<'static>, Signature<'static>), Error> {
        let config = self.git.config().map_err(git("could not read git config"))?;
        let name = config.get_string("user.name").ok();
        let email = config.get_string("user.email").ok();
        let now = Time::new(chrono::Utc::now().timestamp(), local_offset_minutes());
        let make = |who: &str| -> Result<Signature<'static>, Error> {
            let var = |what: &str| std::env::var(format!("GIT_{who}_{what}")).ok().filter(|v| !v.is_empty());
            let name = var("NAME").or_else(|| name.clone());
            let email = var("EMAIL").or_else(|| email.clone());
            let (Some(name), Some(email)) = (name, email) else {
                return Err(Error::Git {
                    doing: "author identity unknown: set `git config user.name` and `git config user.email`"
                        .into(),
                    source: git2::Error::from_str("no user.name or user.email"),
                });
            };
            let when = var("DATE").and_then(|d| parse_git_date(&d)).unwrap_or(now);
            Signature::new(&name, &email, &when).map_err(git("could not make a signature"))
        };
        Ok((make("AUTHOR")?, make("COMMITTER")?))
    }

    /// Returns the user's name as git would put it on a commit: GIT_AUTHOR_NAME when set,
    /// else `user.name` from git config.
    pub fn user_name(&self) -> Option<String> {
        std::env::var("GIT_AUTHOR_NAME")
            .ok()
            .or_else(|| self.git.config().ok()?.get_string("user.name").ok())
            .filter(|n| !n.trim().is_empty())
    }

    /// Makes a commit whose tree is `parent`'s with `files` put in (added or replaced), and
    /// returns it; no ref moves.
    ///
    /// # Errors
    ///
    /// Fails when libgit2 cannot write the objects.
    pub fn commit_files(&self, parent: Oid, files: &[NewFile<'_>], message: &str) -> Result<Oid, Error> {
        let parent = self.git.find_commit(parent).map_err(git("could not read the base commit"))?;
        let mut index = git2::Index::new().map_err(git("could not make an index"))?;
        index
            .read_tree(&parent.tree().map_err(git("could not read the base tree"))?)
            .map_err(git("could not read the base tree"))?;
        for file in files {
            let id = self.git.blob(file.contents).map_err(git(format!("could not store `{}`", file.path)))?;
            let entry = git2::IndexEntry {
                ctime: git2::IndexTime::new(0, 0),
                mtime: git2::IndexTime::new(0, 0),
                dev: 0,
                ino: 0,
                mode: 0o100_644,
                uid: 0,
                gid: 0,
                file_size: u32::try_from(file.contents.len()).unwrap_or(u32::MAX),
                id,
                flags: 0,
                flags_extended: 0,
                path: file.path.as_bytes().to_vec(),
            };
            index.add(&entry).map_err(git(format!("could not add `{}`", file.path)))?;
        }
        let tree = index.write_tree_to(&self.git).map_err(git("could not write the tree"))?;
        let tree = self.git.find_tree(tree).map_err(git("could not read the new tree"))?;
        let (author, committer) = self.signatures()?;
        self.git
            .commit(None, &author, &committer, message, &tree, &[&parent])
            .map_err(git("could not write the commit"))
    }

    /// Returns the paths a switch from HEAD to `commit` would have to change but cannot,
    /// because they have local changes (staged or not) or an untracked or ignored file is in
    /// the way, leaving out `own`: files the caller will itself put in place. This is git
    /// switch's rule; it is checked here, before anything is written, because libgit2's
    /// dry-run checkout does not report conflicts.
    ///
    /// # Errors
    ///
    /// Fails when libgit2 cannot compare.
    pub fn switch_conflicts(&self, commit: Oid, own: &[&str]) -> Result<Vec<String>, Error> {
        let mut conflicts = Vec::new();
        for path in self.changed_paths(commit)? {
            if own.contains(&path.as_str()) {
                continue;
            }
            match self.git.status_file(Path::new(&path)) {
                Ok(status) if status.is_empty() => {}
                Ok(_) => conflicts.push(path),
                Err(e) if e.code() == ErrorCode::NotFound => {}
                Err(e) => return Err(git(format!("could not read the status of `{path}`"))(e)),
            }
        }
        Ok(conflicts)
    }

    /// Returns the paths that differ between HEAD's tree and `commit`'s, sorted.
    fn changed_paths(&self, commit: Oid) -> Result<Vec<String>, Error> {
        let target = self
            .git
            .find_commit(commit)
            .and_then(|c| c.tree())
            .map_err(git("could not read the new tree"))?;
        let head = self.head_commit()?.tree().map_err(git("could not read HEAD's tree"))?;
        let diff = self
            .git
            .diff_tree_to_tree(Some(&head), Some(&target), None)
            .map_err(git("could not compare HEAD with the new commit"))?;
        let mut paths: Vec<String> = diff
            .deltas()
            .flat_map(|d| {
                [d.old_file().path().map(Path::to_path_buf), d.new_file().path().map(Path::to_path_buf)]
            })
            .flatten()
            .filter_map(|p| p.to_str().map(|s| s.replace('\\', "/")))
            .collect();
        paths.sort();
        paths.dedup();
        Ok(paths)
    }

    /// Returns an existing local branch whose name clashes with `name` as a path: `a/b` when
    /// `name` is `a/b/c`, or `a/b/c/d` when `name` is `a/b/c` (git stores refs as files).
    pub fn branch_path_clash(&self, name: &str) -> Option<String> {
        let mut prefix = String::new();
        for part in name.split('/') {
            if !prefix.is_empty() {
                if self.branch_exists(&prefix) {
                    return Some(prefix);
                }
                prefix.push('/');
            }
            prefix.push_str(part);
        }
        let below = format!("refs/heads/{name}/*");
        self.git
            .references_glob(&below)
            .ok()?
            .flatten()
            .find_map(|r| r.name().ok().and_then(|n| n.strip_prefix("refs/heads/")).map(str::to_string))
    }

    /// Creates branch `name` at `commit`, refusing to move an existing one.
    ///
    /// # Errors
    ///
    /// Fails when the branch exists or the name is bad.
    pub fn create_branch(&self, name: &str, commit: Oid, log: &str) -> Result<(), Error> {
        Repo::check_branch_name(name)?;
        match self.git.reference(&format!("refs/heads/{name}"), commit, false, log) {
            Ok(_) => Ok(()),
            Err(e) if e.code() == ErrorCode::Exists => Err(Error::BranchExists { name: name.to_string() }),
            Err(e) => Err(git(format!("could not create branch `{name}`"))(e)),
        }
    }

    /// Deletes branch `name` (used to undo a half-done command).
    pub fn delete_branch(&self, name: &str) {
        if let Ok(mut b) = self.git.find_branch(name, BranchType::Local) {
            let _ = b.delete();
        }
    }

    /// Switches HEAD to branch `name` as `git switch` does: the files that differ between
    /// HEAD and the branch are updated in the work tree and index; local changes to other
    /// files, staged or not, stay as they are. `own` files (path, contents, as in the branch's
    /// tree) are written and staged directly: the caller has made sure no local change of them
    /// is lost. Call [`Repo::switch_conflicts`] first.
    ///
    /// # Errors
    ///
    /// Fails when a local change is in the way (nothing is changed then).
    pub fn switch(&self, name: &str, own: &[(&str, &str)]) -> Result<(), Error> {
        let reference = format!("refs/heads/{name}");
        let target = self
            .git
            .find_reference(&reference)
            .and_then(|r| r.peel_to_commit())
            .map_err(git(format!("could not read branch `{name}`")))?;
        let paths: Vec<String> = self
            .changed_paths(target.id())?
            .into_iter()
            .filter(|p| !own.iter().any(|(o, _)| o == p))
            .collect();
        if !paths.is_empty() {
            let mut checkout = git2::build::CheckoutBuilder::new();
            checkout.safe();
            for path in &paths {
                checkout.path(path);
            }
            match self.git.checkout_tree(target.as_object(), Some(&mut checkout)) {
                Ok(()) => {}
                Err(e) if e.code() == ErrorCode::Conflict => {
                    return Err(Error::WouldOverwrite {
                        branch: name.to_string(),
                        paths: vec![e.message().to_string()],
                    });
                }
                Err(e) => return Err(git(format!("could not check out `{name}`"))(e)),
            }
        }
        if !own.is_empty() {
            let root = self.workdir()?.to_path_buf();
            let mut index = self.git.index().map_err(git("could not read the index"))?;
            for (path, contents) in own {
                crate::fsio::write_atomic(&root.join(path), contents, path).map_err(|e| Error::Git {
                    doing: e.to_string(),
                    source: git2::Error::from_str("write failed"),
                })?;
                index.add_path(Path::new(path)).map_err(git(format!("could not stage `{path}`")))?;
            }
            index.write().map_err(git("could not write the index"))?;
        }
        self.git.set_head(&reference).map_err(git(format!("could not point HEAD at `{name}`")))
    }

    /// Returns the commits of a range `A..B` (or `A`, meaning `A..HEAD`), newest first, as
    /// (hex id, message).
    ///
    /// # Errors
    ///
    /// Fails when an end of the range does not exist.
    pub fn range(&self, range: &str) -> Result<Vec<(String, String)>, Error> {
        let (from, to) = range.split_once("..").unwrap_or((range, "HEAD"));
        let to = if to.is_empty() { "HEAD" } else { to };
        let resolve = |name: &str| {
            self.resolve(name)
                .map_err(|_| Error::NoRevision { name: name.to_string(), range: range.to_string() })
        };
        let (from, to) = (resolve(from)?, resolve(to)?);
        let mut walk = self.git.revwalk().map_err(git("could not walk the history"))?;
        walk.push(to).map_err(git("could not walk the history"))?;
        walk.hide(from).map_err(git("could not walk the history"))?;
        let mut out = Vec::new();
        for id in walk {
            let id = id.map_err(git("could not walk the history"))?;
            let commit = self.git.find_commit(id).map_err(git(format!("could not read commit {id}")))?;
            out.push((id.to_string(), String::from_utf8_lossy(commit.message_bytes()).into_owned()));
        }
        Ok(out)
    }

    /// Returns the absolute path of `relative` in the work tree.
    ///
    /// # Errors
    ///
    /// Fails for a bare repository.
    pub fn path_in_workdir(&self, relative: &str) -> Result<PathBuf, Error> {
        Ok(self.workdir()?.join(relative))
    }
}

/// Returns the local time zone's offset from UTC in minutes.
fn local_offset_minutes() -> i32 {
    chrono::Local::now().offset().local_minus_utc() / 60
}

/// Returns the time a GIT_*_DATE value names: `@SECONDS [+HHMM]`, `SECONDS [+HHMM]`, RFC 2822
/// or ISO 8601 (`2026-11-21T10:00:00+01:00`, `2026-11-21 10:00:00 +0100`).
fn parse_git_date(value: &str) -> Option<Time> {
    let value = value.trim();
    let raw = value.strip_prefix('@').unwrap_or(value);
    let mut parts = raw.split_whitespace();
    if let Some(Ok(secs)) = parts.next().map(str::parse::<i64>) {
        let offset = parts.next().map_or(Some(0), parse_offset)?;
        return Some(Time::new(secs, offset));
    }
    let parsed = chrono::DateTime::parse_from_rfc2822(value)
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(value))
        .or_else(|_| chrono::DateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S %z"))
        .or_else(|_| chrono::DateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S %z"))
        .ok()?;
    Some(Time::new(parsed.timestamp(), parsed.offset().local_minus_utc() / 60))
}

/// Returns the minutes of a `+HHMM` / `-HHMM` offset.
fn parse_offset(s: &str) -> Option<i32> {
    let (sign, digits) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => (1, s),
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    Some(sign * (hours * 60 + minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_c_settings_are_read_as_git_passes_them() {
        assert_eq!(
            parse_config_parameters("'core.commentchar'=';' 'user.name'='O'\\''Brien' 'old.form=x y'"),
            [("core.commentchar", ";"), ("user.name", "O'Brien"), ("old.form", "x y")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        assert!(same_key("core.commentChar", "CORE.COMMENTCHAR"));
        assert!(same_key("milestone.commits.headerLength", "milestone.commits.headerlength"));
        assert!(!same_key("milestone.Commits.x", "milestone.commits.x"));
    }

    #[test]
    fn git_dates_in_the_forms_git_accepts() {
        let t = |s: &str| parse_git_date(s).map(|t| (t.seconds(), t.offset_minutes()));
        assert_eq!(t("@1700000000 +0100"), Some((1_700_000_000, 60)));
        assert_eq!(t("1700000000 -0230"), Some((1_700_000_000, -150)));
        assert_eq!(t("2023-11-14T22:13:20+00:00"), Some((1_700_000_000, 0)));
        assert_eq!(t("Tue, 14 Nov 2023 22:13:20 +0000"), Some((1_700_000_000, 0)));
        assert_eq!(t("2023-11-14 23:13:20 +0100"), Some((1_700_000_000, 60)));
        assert_eq!(t("yesterday"), None);
    }
}
