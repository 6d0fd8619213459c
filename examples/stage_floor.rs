//! The least a post-commit hook can do to keep a tracking document up to date in `stage`
//! mode, as a floor for `benches/tracking.sh`: it reads the document, inserts one line, writes
//! it atomically (a temporary file renamed over it, its time set a second back as
//! git-milestone does) while, on a second thread, the new text is hashed, deflated at git's
//! default level and stored as a loose object, then stages that blob with the file's stat data.
//! No settings, no parsing, no history: git-milestone's own hook does all of this and more.
//!
//! The document is `$STAGE_FLOOR_DOC`, by default `docs/milestones/tracking/M7-tracking.md`.

#![cfg_attr(not(unix), allow(unused))]

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use sha1::Digest;

#[cfg(not(unix))]
fn main() {}

#[cfg(unix)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let repo = git2::Repository::open_from_env()?;
    let root = repo.workdir().ok_or("a work tree")?.to_path_buf();
    let path = std::env::var("STAGE_FLOOR_DOC").unwrap_or("docs/milestones/tracking/M7-tracking.md".into());
    let file = root.join(&path);
    let mut text = std::fs::read(&file)?;
    let at = memchr::memmem::find(&text, b"**Commits:**\n").map_or(text.len(), |i| i + 13);
    text.splice(at..at, b"- `0123abc` - feat(api): bench\n".iter().copied());
    let objects = repo.path().join("objects");
    let (written, blob) = std::thread::scope(|s| {
        let writer = s.spawn(|| write_atomic(&file, &text));
        let blob = store(&objects, &text);
        (writer.join().expect("the writer"), blob)
    });
    written?;
    let id = git2::Oid::from_bytes(&blob?)?;
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(&file)?;
    let time = |s: i64, ns: i64| git2::IndexTime::new(s as i32, ns as u32);
    let mut index = repo.index()?;
    index.add(&git2::IndexEntry {
        ctime: time(meta.ctime(), meta.ctime_nsec()),
        mtime: time(meta.mtime(), meta.mtime_nsec()),
        dev: meta.dev() as u32,
        ino: meta.ino() as u32,
        mode: 0o100_644,
        uid: meta.uid(),
        gid: meta.gid(),
        file_size: meta.len() as u32,
        id,
        flags: path.len().min(0xfff) as u16,
        flags_extended: 0,
        path: path.into_bytes(),
    })?;
    index.write()?;
    Ok(())
}

fn write_atomic(file: &Path, text: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::Builder::new().prefix(".floor-").tempfile_in(file.parent().expect("a folder"))?;
    tmp.write_all(text)?;
    let modified = tmp.as_file().metadata()?.modified()?;
    tmp.as_file().set_times(std::fs::FileTimes::new().set_modified(modified - Duration::from_secs(1)))?;
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

/// Stores `text` as a loose blob in `objects`, returning its SHA-1.
fn store(objects: &Path, text: &[u8]) -> std::io::Result<[u8; 20]> {
    let header = format!("blob {}\0", text.len());
    let mut sha = sha1::Sha1::new();
    sha.update(header.as_bytes());
    sha.update(text);
    let id: [u8; 20] = sha.finalize().into();
    let mut z =
        flate2::write::ZlibEncoder::new(Vec::with_capacity(text.len() / 4), flate2::Compression::new(1));
    z.write_all(header.as_bytes())?;
    z.write_all(text)?;
    let deflated = z.finish()?;
    let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let dir = objects.join(&hex[..2]);
    std::fs::create_dir_all(&dir)?;
    let mut tmp = tempfile::Builder::new().prefix("tmp_obj_").tempfile_in(&dir)?;
    tmp.write_all(&deflated)?;
    tmp.persist(dir.join(&hex[2..])).map_err(|e| e.error)?;
    Ok(id)
}
