//! The staged tracking document's blob, written as a loose object the way git writes one:
//! the id is the SHA-1 of `blob <length>\0` and the text, the file `objects/xx/yyyy…` holds
//! the same bytes deflated in the zlib format. Hashing with the CPU's SHA-1 instructions and
//! compressing with zlib-rs take a fraction of what libgit2's collision-detecting SHA-1 and
//! the system zlib do. Whenever this way is not certainly the one git would take, or fails,
//! libgit2 writes the blob as before: off unix; with `GIT_OBJECT_DIRECTORY` set; with object
//! ids other than SHA-1; with `core.sharedRepository` set; with a compression setting that does
//! not parse or is out of range; when the object is already stored.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use git2::{ErrorCode, Oid, Repository};

/// Stores `data` as a blob in `repo`'s object database and returns its id: written here when
/// the repository's settings allow (see the module's documentation), else, and after any error
/// on the way, by libgit2.
///
/// # Errors
///
/// Fails when libgit2 cannot write the blob either.
pub fn write_blob(repo: &Repository, data: &[u8]) -> Result<Oid, git2::Error> {
    if let Some(settings) = Settings::read(repo)
        && let Ok(odb) = repo.odb()
        && let Ok((id, deflated)) = hash_and_deflate(data, settings.level)
        // An object already stored, loose or packed, is left to libgit2: it freshens the
        // object (as git does, so that a prune spares it), and its collision-detecting SHA-1
        // refuses a text made to collide with a stored object, which `id` would not notice.
        // The packs are the ones libgit2 has loaded: a pack written since then only means a
        // loose copy of one of its objects, as git's own races leave.
        && !odb.exists_ext(id, git2::OdbLookupFlags::NO_REFRESH)
        && store(&settings, id, &deflated).is_ok()
    {
        return Ok(id);
    }
    repo.blob(data)
}

/// What writing a loose object takes from the repository.
#[derive(Debug, PartialEq)]
struct Settings {
    /// The object directory: the common dir's `objects`, which worktrees share.
    objects: PathBuf,
    /// The zlib level, 0 to 9.
    level: u32,
    /// Whether the object file is flushed to disk before it takes its name.
    fsync: bool,
}

impl Settings {
    /// The settings, or None when libgit2 is to write the object: not on unix; the object
    /// directory moved by `GIT_OBJECT_DIRECTORY`; object ids other than SHA-1
    /// (`extensions.objectFormat`, `extensions.compatObjectFormat`); `core.sharedRepository`
    /// set (whatever its value: it changes the files' modes); a compression level out of
    /// range or a setting that does not parse; any of these settings given to git on its
    /// command line (`git -c`), which reaches the hook in the environment, where libgit2 does
    /// not read it. The level is git's: `core.looseCompression`, else `core.compression`, else
    /// 1, with -1 for zlib's default (6). `core.fsyncObjectFiles` true or any `core.fsync`
    /// flushes the object file before it takes its name (more often than git, whose default
    /// `core.fsync` does not cover loose objects, never less).
    fn read(repo: &Repository) -> Option<Settings> {
        if cfg!(not(unix)) || std::env::var_os("GIT_OBJECT_DIRECTORY").is_some() || set_on_command_line() {
            return None;
        }
        let config = repo.config().ok()?;
        if let Some(format) = optional(config.get_string("extensions.objectFormat"))?
            && !format.eq_ignore_ascii_case("sha1")
        {
            return None;
        }
        for unsupported in ["extensions.compatObjectFormat", "core.sharedRepository"] {
            if optional(config.get_string(unsupported))?.is_some() {
                return None;
            }
        }
        let level = match optional(config.get_i32("core.looseCompression"))? {
            Some(level) => level,
            None => optional(config.get_i32("core.compression"))?.unwrap_or(1),
        };
        let level = match level {
            -1 => 6,
            0..=9 => level.unsigned_abs(),
            _ => return None,
        };
        let fsync = optional(config.get_bool("core.fsyncObjectFiles"))?.unwrap_or(false)
            || optional(config.get_string("core.fsync"))?.is_some();
        Some(Settings { objects: repo.commondir().join("objects"), level, fsync })
    }
}

/// Whether `git -c` (passed down in the environment, see [`crate::repo::env_config`], which
/// libgit2 does not read) sets anything that could change how an object is written:
/// compression, fsync (`core.fsync*`), shared repository or a repository extension.
fn set_on_command_line() -> bool {
    const KEYS: [&str; 5] =
        ["core.loosecompression", "core.compression", "core.fsync", "core.sharedrepository", "extensions."];
    crate::repo::env_config().iter().any(|(key, _)| {
        let key = key.to_ascii_lowercase();
        KEYS.iter().any(|k| key.starts_with(k))
    })
}

/// A setting's value, None when it is not set, or (outside) None when it cannot be read.
fn optional<T>(value: Result<T, git2::Error>) -> Option<Option<T>> {
    match value {
        Ok(value) => Some(Some(value)),
        Err(e) if e.code() == ErrorCode::NotFound => Some(None),
        Err(_) => None,
    }
}

/// The id of the blob of `data` and its loose object's bytes at zlib `level`, hashed on a
/// second thread while deflated where there are two cores ([`crate::parallel::join`]).
fn hash_and_deflate(data: &[u8], level: u32) -> io::Result<(Oid, Vec<u8>)> {
    let header = format!("blob {}\0", data.len());
    let (deflated, id) = crate::parallel::join(
        crate::parallel::threads() > 1,
        || deflate(header.as_bytes(), data, level),
        || id(header.as_bytes(), data),
    );
    Ok((id, deflated?))
}

/// Writes object `id`, `deflated`, under `settings.objects`: to a temporary file in its
/// folder (made if missing), then linked to its name without replacing a file there, so that
/// no reader sees a partial object under the object's name. An object written meanwhile by
/// another process is left as it is.
fn store(settings: &Settings, id: Oid, deflated: &[u8]) -> io::Result<()> {
    let (dir, path) = object_path(&settings.objects, id);
    match fs::create_dir(&dir) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
        _ => {}
    }
    let mut tmp = temporary(&dir)?;
    tmp.write_all(deflated)?;
    if settings.fsync {
        tmp.as_file().sync_all()?;
    }
    match tmp.persist_noclobber(&path) {
        Ok(_) => Ok(()),
        // The same bytes, as the name is their hash.
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e.error),
    }
}

/// The id of a blob: the SHA-1 of its `header` and `data`. RustCrypto's `sha1` uses the
/// CPU's SHA instructions when it has them (found at run time); unlike git's and libgit2's
/// SHA-1 it does not look for collision attacks. A text made to collide matters only with
/// the object it collides with stored already, which [`write_blob`] leaves to libgit2.
fn id(header: &[u8], data: &[u8]) -> Oid {
    use sha1::Digest;
    let mut hasher = sha1::Sha1::new();
    hasher.update(header);
    hasher.update(data);
    Oid::from_bytes(&hasher.finalize()).expect("a SHA-1 hash is 20 bytes, an object id's length")
}

/// `header` and `data` deflated at `level` in the zlib format, as git stores a loose object.
fn deflate(header: &[u8], data: &[u8], level: u32) -> io::Result<Vec<u8>> {
    let out = Vec::with_capacity(data.len() / 4 + 64);
    let mut encoder = flate2::write::ZlibEncoder::new(out, flate2::Compression::new(level));
    encoder.write_all(header)?;
    encoder.write_all(data)?;
    encoder.finish()
}

/// The folder `objects/xx` and the file `objects/xx/yyyy…` of object `id`.
fn object_path(objects: &Path, id: Oid) -> (PathBuf, PathBuf) {
    let hex = super::objects::hex(id);
    let dir = objects.join(&hex[..2]);
    let path = dir.join(&hex[2..]);
    (dir, path)
}

/// A new temporary file in `dir`, read-only (0444) as git makes object files, named as git
/// names its own (`tmp_obj_…`) so that `git prune` removes one left by a crash.
#[cfg(unix)]
fn temporary(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    use std::os::unix::fs::PermissionsExt;
    tempfile::Builder::new()
        .prefix("tmp_obj_")
        .permissions(fs::Permissions::from_mode(0o444))
        .tempfile_in(dir)
}

#[cfg(not(unix))]
fn temporary(_: &Path) -> io::Result<tempfile::NamedTempFile> {
    Err(io::Error::other("loose objects are written here on unix only"))
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use git2::ObjectType;

    use super::*;

    /// A new repository in a temporary folder (kept alive by the returned guard).
    fn repo() -> (tempfile::TempDir, Repository) {
        let dir = tempfile::tempdir().expect("a temp dir");
        let repo = Repository::init(dir.path()).expect("a repository");
        (dir, repo)
    }

    /// Writes `data` the fast way, returning its id.
    fn write(settings: &Settings, data: &[u8]) -> io::Result<Oid> {
        let (id, deflated) = hash_and_deflate(data, settings.level)?;
        store(settings, id, &deflated)?;
        Ok(id)
    }

    /// Runs the real `git` in `dir`, returning its output; panics unless it succeeds.
    fn git(dir: &Path, args: &[&str]) -> Vec<u8> {
        let out = Command::new("git").current_dir(dir).args(args).output().expect("runs git");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    }

    /// Text of `n` bytes that compresses like a document, with some noise.
    fn text(n: usize) -> Vec<u8> {
        let mut seed = 0x2545_f491_u32;
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            out.extend_from_slice(format!("- [x] Task {} is done: `{seed:08x}`\n", out.len()).as_bytes());
        }
        out.truncate(n);
        out
    }

    fn settings(repo: &Repository) -> Settings {
        Settings::read(repo).expect("the fast way in a plain repository")
    }

    #[test]
    fn the_id_is_gits_for_empty_small_and_large_blobs() {
        for data in [Vec::new(), b"hello\n".to_vec(), text(1 << 20), text(1_234_567)] {
            let header = format!("blob {}\0", data.len());
            let expected = Oid::hash_object(ObjectType::Blob, &data).expect("libgit2 hashes");
            assert_eq!(id(header.as_bytes(), &data), expected, "{} bytes", data.len());
        }
        let empty = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
        assert_eq!(id(b"blob 0\0", b"").to_string(), empty);
    }

    #[test]
    fn a_written_blob_reads_back_through_git2_and_git() {
        let (dir, repo) = repo();
        let settings = settings(&repo);
        assert_eq!(settings, Settings { objects: repo.path().join("objects"), level: 1, fsync: false });
        for data in [Vec::new(), b"# M7\n\n- [ ] one\n".to_vec(), text(540_000)] {
            let id = write(&settings, &data).expect("writes the object");
            assert_eq!(id, Oid::hash_object(ObjectType::Blob, &data).expect("hashes"));
            assert_eq!(repo.find_blob(id).expect("git2 reads it").content(), &data[..]);
            let hex = id.to_string();
            assert_eq!(git(dir.path(), &["cat-file", "-p", &hex]), data);
            assert_eq!(git(dir.path(), &["cat-file", "-t", &hex]), b"blob\n");
            let (folder, path) = object_path(&settings.objects, id);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = fs::metadata(&path).expect("the object file").permissions().mode();
                assert_eq!(mode & 0o777, 0o444, "read-only, as git makes object files");
            }
            let names: Vec<_> = fs::read_dir(&folder)
                .expect("the folder")
                .map(|e| e.expect("an entry").file_name())
                .collect();
            assert_eq!(names, [path.file_name().expect("a name").to_owned()], "no temporary file is left");
        }
        git(dir.path(), &["fsck", "--strict", "--no-dangling"]);
        let fsck = git(dir.path(), &["fsck", "--strict", "--unreachable", "--no-progress"]);
        assert_eq!(
            String::from_utf8_lossy(&fsck).lines().count(),
            3,
            "three unreachable blobs, nothing else"
        );
    }

    #[test]
    fn an_object_already_there_is_left_to_libgit2_which_freshens_it() {
        let (dir, repo) = repo();
        let settings = settings(&repo);
        let data = text(10_000);
        let id = repo.blob(&data).expect("libgit2 writes it");
        let (_, path) = object_path(&settings.objects, id);
        let before = fs::read(&path).expect("libgit2's object");
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        fs::File::open(&path).and_then(|f| f.set_modified(old)).expect("set an old time");
        assert_eq!(write_blob(&repo, &data).expect("stores"), id);
        assert_eq!(fs::read(&path).expect("the object"), before, "the file is not rewritten");
        let modified = fs::metadata(&path).and_then(|m| m.modified()).expect("a time");
        assert!(modified > old, "freshened");
        // Packed, it is not written again as a loose object.
        git(dir.path(), &["update-index", "--add", "--cacheinfo", &format!("100644,{id},doc.md")]);
        git(
            dir.path(),
            &["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "doc"],
        );
        git(dir.path(), &["gc", "-q", "--prune=now"]);
        assert!(!path.exists(), "packed by gc");
        let repo = Repository::open(dir.path()).expect("the repository again");
        assert_eq!(write_blob(&repo, &data).expect("stores"), id);
        assert!(!path.exists(), "no loose copy of a packed object");
        assert_eq!(repo.find_blob(id).expect("reads it").content(), &data[..]);
        git(dir.path(), &["fsck", "--strict"]);
    }

    #[test]
    fn the_compression_level_is_gits() {
        let (dir, repo) = repo();
        let mut config = repo.config().expect("the config");
        let level = |repo: &Repository| Settings::read(repo).map(|s| s.level);
        config.set_i32("core.compression", 9).expect("set");
        assert_eq!(level(&repo), Some(9));
        config.set_i32("core.looseCompression", 0).expect("set");
        assert_eq!(level(&repo), Some(0), "core.looseCompression comes first");
        config.set_i32("core.looseCompression", -1).expect("set");
        assert_eq!(level(&repo), Some(6), "zlib's default");
        for (loose, size) in [(0, 100_000), (9, 100_000)] {
            config.set_i32("core.looseCompression", loose).expect("set");
            let data = text(size + loose as usize);
            let id = write(&settings(&repo), &data).expect("writes");
            assert_eq!(git(dir.path(), &["cat-file", "-p", &id.to_string()]), data, "level {loose}");
            let (_, path) = object_path(&settings(&repo).objects, id);
            let stored = fs::metadata(&path).expect("the object").len() as usize;
            let deflated = if loose == 0 { stored > data.len() } else { stored < data.len() / 2 };
            assert!(deflated, "{stored} bytes for {} at level {loose}", data.len());
        }
        git(dir.path(), &["fsck", "--strict"]);
        config.set_i32("core.looseCompression", 10).expect("set");
        assert_eq!(level(&repo), None, "out of range: libgit2 writes it");
    }

    #[test]
    fn settings_git_does_not_write_this_way_leave_it_to_libgit2() {
        for (key, value) in [
            ("extensions.objectFormat", "sha256"),
            ("extensions.compatObjectFormat", "sha256"),
            ("core.sharedRepository", "group"),
            ("core.looseCompression", "fast"),
        ] {
            let (dir, repo) = repo();
            repo.config().and_then(|mut c| c.set_str(key, value)).expect("set");
            assert_eq!(Settings::read(&repo), None, "{key} = {value}");
            drop(dir);
        }
        let (_dir, repo) = repo();
        let mut config = repo.config().expect("the config");
        config.set_str("extensions.objectFormat", "sha1").expect("set");
        assert_eq!(Settings::read(&repo).map(|s| s.fsync), Some(false));
        config.set_bool("core.fsyncObjectFiles", true).expect("set");
        assert_eq!(Settings::read(&repo).map(|s| s.fsync), Some(true));
        config.set_bool("core.fsyncObjectFiles", false).expect("set");
        config.set_str("core.fsync", "loose-object").expect("set");
        assert_eq!(Settings::read(&repo).map(|s| s.fsync), Some(true));
    }

    #[test]
    fn write_blob_stores_the_blob_either_way() {
        let (dir, repo) = repo();
        let data = text(200_000);
        let id = write_blob(&repo, &data).expect("writes");
        repo.config().and_then(|mut c| c.set_str("core.sharedRepository", "group")).expect("set");
        let other = write_blob(&repo, &data[1..]).expect("libgit2 writes");
        for (id, data) in [(id, &data[..]), (other, &data[1..])] {
            assert_eq!(id, Oid::hash_object(ObjectType::Blob, data).expect("hashes"));
            assert_eq!(git(dir.path(), &["cat-file", "-p", &id.to_string()]), data);
        }
        git(dir.path(), &["fsck", "--strict"]);
    }

    #[test]
    fn a_worktree_writes_into_the_common_object_directory() {
        let (dir, repo) = repo();
        git(
            dir.path(),
            &[
                "-c",
                "user.name=T",
                "-c",
                "user.email=t@example.com",
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                "init",
            ],
        );
        let other = dir.path().join("other");
        git(dir.path(), &["worktree", "add", "-q", "-b", "side", other.to_str().expect("UTF-8 path")]);
        let worktree = Repository::open(&other).expect("the worktree");
        let settings = settings(&worktree);
        assert_eq!(
            fs::canonicalize(&settings.objects).ok(),
            fs::canonicalize(repo.path().join("objects")).ok()
        );
        let data = text(1000);
        let id = write(&settings, &data).expect("writes");
        assert_eq!(repo.find_blob(id).expect("the main work tree reads it").content(), &data[..]);
        git(&other, &["fsck", "--strict"]);
    }
}
