//! Commits and trees read straight from the object database for the branch walk of
//! [`super::history`]: the usual forms parsed here, anything else left to libgit2.

use git2::{Oid, Repository};

/// Returns the id in hexadecimal, as `Oid`'s `Display` writes it, without the formatter.
pub(super) fn hex(id: Oid) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(id.as_bytes().len() * 2);
    for b in id.as_bytes() {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// What the walk reads of a commit.
#[derive(Debug, PartialEq)]
pub(super) struct ReadCommit {
    pub(super) tree: Oid,
    pub(super) parents: Vec<Oid>,
    /// When the author made it: seconds since the epoch, and the offset from UTC in minutes.
    pub(super) when: (i64, i32),
    /// When it was committed, in seconds since the epoch (None when the `committer` line
    /// does not say so in the usual form).
    pub(super) committed: Option<i64>,
    /// The message as `Commit::message_bytes` gives it, made UTF-8.
    pub(super) message: String,
}

/// Reads commit `id`: from `odb` and [`parse_commit`] when given and the commit is of the
/// usual form, else through libgit2's commit (which reads the object again, parses more of
/// it and keeps it in the object cache).
pub(super) fn read_commit(
    repo: &Repository,
    odb: Option<&git2::Odb>,
    id: Oid,
) -> Result<ReadCommit, git2::Error> {
    if let Some(object) = odb.and_then(|odb| odb.read(id).ok())
        && object.kind() == git2::ObjectType::Commit
        && let Some(read) = parse_commit(object.data())
    {
        return Ok(read);
    }
    let commit = repo.find_commit(id)?;
    let when = commit.author().when();
    Ok(ReadCommit {
        tree: commit.tree_id(),
        parents: commit.parent_ids().collect(),
        when: (when.seconds(), when.offset_minutes()),
        committed: Some(commit.time().seconds()),
        message: String::from_utf8_lossy(commit.message_bytes()).into_owned(),
    })
}

/// The value of a hexadecimal digit (either case, as `Oid::from_str` reads them).
fn digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Parses a commit object of the usual form (`tree`, `parent` lines, one well-formed
/// `author` line, `committer`, other headers, a blank line, the message) as libgit2 does;
/// None for anything else, which libgit2 is left to read.
pub(super) fn parse_commit(data: &[u8]) -> Option<ReadCommit> {
    let mut lines = data.split_inclusive(|b| *b == b'\n');
    let id = |line: &[u8], key: &[u8]| -> Option<Oid> {
        let hex = line.strip_prefix(key)?.strip_suffix(b"\n")?;
        let mut raw = [0u8; 20];
        if hex.len() != 40 {
            return None;
        }
        for (byte, pair) in raw.iter_mut().zip(hex.chunks_exact(2)) {
            *byte = (digit(pair[0])? << 4) | digit(pair[1])?;
        }
        Oid::from_bytes(&raw).ok()
    };
    let tree = id(lines.next()?, b"tree ")?;
    let mut parents = Vec::new();
    let mut line = lines.next()?;
    while line.starts_with(b"parent ") {
        parents.push(id(line, b"parent ")?);
        line = lines.next()?;
    }
    let when = author_time(line.strip_prefix(b"author ")?.strip_suffix(b"\n")?)?;
    let committer = lines.next()?.strip_prefix(b"committer ")?;
    let committed = committer.strip_suffix(b"\n").and_then(author_time).map(|(seconds, _)| seconds);
    // The other headers (continuation lines too) go up to the first empty line.
    let mut read = data.len() - lines.clone().map(<[u8]>::len).sum::<usize>();
    loop {
        let line = lines.next()?;
        read += line.len();
        if line == b"\n" {
            break;
        }
    }
    // libgit2 gives the message from its first line that is not empty, up to a NUL byte.
    let message = &data[read..];
    let start = message.iter().position(|b| *b != b'\n').unwrap_or(message.len());
    let message = &message[start..];
    let message = &message[..memchr::memchr(0, message).unwrap_or(message.len())];
    Some(ReadCommit {
        tree,
        parents,
        when,
        committed,
        message: String::from_utf8_lossy(message).into_owned(),
    })
}

/// Reads the time and offset at the end of an `author` (or `committer`) line (`Name <email>
/// 1700000000 +0100`): None unless both are there and well-formed, and the offset one
/// libgit2 keeps.
pub(super) fn author_time(line: &[u8]) -> Option<(i64, i32)> {
    let email_start = memchr::memrchr(b'<', line)?;
    let email_end = memchr::memrchr(b'>', line)?;
    if email_end <= email_start {
        return None;
    }
    let rest = line[email_end + 1..].strip_prefix(b" ")?;
    let space = memchr::memchr(b' ', rest)?;
    let (seconds, zone) = (&rest[..space], &rest[space + 1..]);
    if seconds.is_empty() || seconds.len() > 18 {
        return None;
    }
    let number = |digits: &[u8]| -> Option<i64> {
        digits.iter().try_fold(0i64, |n, d| d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0')))
    };
    let seconds = number(seconds)?;
    let [sign @ (b'+' | b'-'), digits @ ..] = zone else { return None };
    if digits.len() != 4 {
        return None;
    }
    let zone = i32::try_from(number(digits)?).ok()?;
    let (hours, minutes) = (zone / 100, zone % 100);
    if hours > 14 || minutes > 59 {
        return None;
    }
    let offset = hours * 60 + minutes;
    Some((seconds, if *sign == b'-' { -offset } else { offset }))
}

/// Turns libgit2's object cache off while it lives, and back on (libgit2's default, which
/// nothing else here changes) when dropped.
pub(super) struct Uncached;

impl Uncached {
    pub(super) fn new() -> Self {
        git2::opts::enable_caching(false);
        Uncached
    }
}

impl Drop for Uncached {
    fn drop(&mut self) {
        git2::opts::enable_caching(true);
    }
}

/// A tree object as stored: its entries (`<mode> <name>\0<id>`), in order.
#[derive(Clone)]
pub(super) struct RawTree {
    pub(super) id: Oid,
    pub(super) data: Vec<u8>,
}

impl RawTree {
    /// Reads tree `id` from `odb`, or where that fails (a tree missing or not of the usual
    /// form) from `repo` through libgit2, which says why it cannot.
    pub(super) fn read_or_ask(repo: &Repository, odb: &git2::Odb, id: Oid) -> Result<RawTree, git2::Error> {
        if let Some(tree) = RawTree::read(odb, id) {
            return Ok(tree);
        }
        let tree = repo.find_tree(id)?;
        let mut data = Vec::new();
        for entry in tree.iter() {
            data.extend_from_slice(format!("{:o} ", entry.filemode()).as_bytes());
            data.extend_from_slice(entry.name_bytes());
            data.push(0);
            data.extend_from_slice(entry.id().as_bytes());
        }
        Ok(RawTree { id, data })
    }

    /// Reads tree `id` from `odb`: None when it is missing, not a tree, or not of the usual
    /// form.
    pub(super) fn read(odb: &git2::Odb, id: Oid) -> Option<RawTree> {
        let object = odb.read(id).ok().filter(|o| o.kind() == git2::ObjectType::Tree)?;
        let tree = RawTree { id, data: object.data().to_vec() };
        let mut read = 0;
        for (mode, name, _, len) in tree.parts() {
            if mode.is_empty() || !mode.iter().all(|b| (b'0'..=b'7').contains(b)) || name.is_empty() {
                return None;
            }
            read += len;
        }
        (read == tree.data.len()).then_some(tree)
    }

    /// The entries' modes, names, ids and lengths in bytes, up to the first that is cut short.
    fn parts(&self) -> impl Iterator<Item = (&[u8], &[u8], Oid, usize)> + '_ {
        let mut rest = &self.data[..];
        std::iter::from_fn(move || {
            let space = memchr::memchr(b' ', rest)?;
            let nul = space + memchr::memchr(0, &rest[space..])?;
            let id = Oid::from_bytes(rest.get(nul + 1..nul + 21)?).ok()?;
            let part = (&rest[..space], &rest[space + 1..nul], id, nul + 21);
            rest = &rest[nul + 21..];
            Some(part)
        })
    }

    /// The entries' names and ids.
    pub(super) fn entries(&self) -> impl Iterator<Item = (&[u8], Oid)> + '_ {
        self.parts().map(|(_, name, id, _)| (name, id))
    }

    /// The id of the entry named `name`.
    pub(super) fn get(&self, name: &str) -> Option<Oid> {
        self.entries().find(|(n, _)| *n == name.as_bytes()).map(|(_, id)| id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_of_the_usual_form_are_parsed_as_libgit2_reads_them() {
        let repo_dir = std::env::temp_dir().join(format!("gm-parse-commit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&repo_dir);
        let repo = Repository::init_bare(&repo_dir).expect("a repository");
        let tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
        let parent = "0123456789abcdef0123456789abcdef01234567";
        let texts = [
            format!(
                "tree {tree}\nauthor A <a@x> 1700000000 +0100\ncommitter C <c@x> 1700000001 -0230\n\nfeat: x\n"
            ),
            format!(
                "tree {tree}\nparent {parent}\nparent {parent}\nauthor A B <a@x> 1 -1400\ncommitter C <c@x> 2 +0000\n\
                 gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEz\n -----END PGP SIGNATURE-----\n\n\n\nfix: y\n\nbody\0after\n"
            ),
            format!("tree {tree}\nauthor A <a@x> 5 +0000\ncommitter C <c@x> 5 +0000\nencoding latin1\n\n"),
        ];
        for text in &texts {
            let id =
                repo.odb().expect("odb").write(git2::ObjectType::Commit, text.as_bytes()).expect("write");
            let parsed = parse_commit(text.as_bytes()).expect("the usual form");
            assert_eq!(Some(parsed), {
                let by_libgit2 = read_commit(&repo, None, id).expect("libgit2 reads it");
                Some(by_libgit2)
            });
        }
        // Forms left to libgit2: no time, a malformed zone, an offset it would not keep, two
        // spaces, a second author line, no blank line before the message.
        for author in ["A <a@x>", "A <a@x> 1 0100", "A <a@x> 1 +1500", "A <a@x>  1 +0100", "A <a@x> -1 +0100"]
        {
            let text = format!("tree {tree}\nauthor {author}\ncommitter C <c@x> 1 +0000\n\nx\n");
            assert_eq!(parse_commit(text.as_bytes()), None, "{author}");
        }
        let twice = format!(
            "tree {tree}\nauthor A <a@x> 1 +0000\nauthor B <b@x> 1 +0000\ncommitter C <c@x> 1 +0000\n\nx\n"
        );
        assert_eq!(parse_commit(twice.as_bytes()), None);
        let no_blank = format!("tree {tree}\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1 +0000\n");
        assert_eq!(parse_commit(no_blank.as_bytes()), None);
        let _ = std::fs::remove_dir_all(&repo_dir);
    }

    #[test]
    fn raw_trees_have_the_entries_libgit2_reads() {
        let repo_dir = std::env::temp_dir().join(format!("gm-raw-tree-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&repo_dir);
        let repo = Repository::init_bare(&repo_dir).expect("a repository");
        let blob = repo.blob(b"text").expect("a blob");
        let mut inner = repo.treebuilder(None).expect("a builder");
        inner.insert("M1-tracking.md", blob, 0o100644).expect("insert");
        let inner = inner.write().expect("a tree");
        let mut root = repo.treebuilder(None).expect("a builder");
        root.insert("docs", inner, 0o040000).expect("insert");
        root.insert("run.sh", blob, 0o100755).expect("insert");
        root.insert("a.txt", blob, 0o100644).expect("insert");
        let root = root.write().expect("a tree");
        let odb = repo.odb().expect("odb");
        for id in [root, inner] {
            let raw = RawTree::read(&odb, id).expect("a tree of the usual form");
            let tree = repo.find_tree(id).expect("libgit2 reads it");
            let want: Vec<(Vec<u8>, Oid)> = tree.iter().map(|e| (e.name_bytes().to_vec(), e.id())).collect();
            let got: Vec<(Vec<u8>, Oid)> = raw.entries().map(|(n, id)| (n.to_vec(), id)).collect();
            assert_eq!(got, want);
            let asked = RawTree::read_or_ask(&repo, &odb, id).expect("read");
            assert_eq!(asked.data, raw.data);
        }
        assert_eq!(RawTree::read(&odb, root).and_then(|t| t.get("docs")), Some(inner));
        assert!(RawTree::read(&odb, blob).is_none(), "a blob is no tree");
        assert!(RawTree::read_or_ask(&repo, &odb, blob).is_err(), "libgit2 says why");
        let _ = std::fs::remove_dir_all(&repo_dir);
    }

    #[test]
    fn hex_writes_ids_as_display_does() {
        for text in ["0123456789abcdef0123456789abcdef01234567", "ffffffffffffffffffffffffffffffffffffffff"] {
            let id = Oid::from_str(text).expect("an id");
            assert_eq!(hex(id), id.to_string());
        }
        assert_eq!(hex(Oid::ZERO_SHA1), "0".repeat(40));
    }
}
