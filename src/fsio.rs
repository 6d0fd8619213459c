//! Reading documents with clear errors, and writing them atomically.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Returns the text of the document at `path`, refusing what is not UTF-8 Markdown text.
///
/// `shown` is how the path is named in errors.
///
/// # Errors
///
/// Fails on a missing file, a directory, a binary file or bytes that are not UTF-8.
pub fn read_document(path: &Path, shown: &str) -> Result<String, Error> {
    let bytes = fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound { path: shown.to_string() },
        std::io::ErrorKind::IsADirectory => Error::IsDirectory { path: shown.to_string() },
        _ if path.is_dir() => Error::IsDirectory { path: shown.to_string() },
        _ => Error::Read { path: shown.to_string(), source },
    })?;
    if let Some(nul) = memchr::memchr(0, &bytes) {
        return Err(Error::Binary { path: shown.to_string(), line: line_at(&bytes, nul) });
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line_start = bytes[..at].iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        Error::NotUtf8 { path: shown.to_string(), line: line_at(bytes, at), column: at - line_start + 1 }
    })
}

fn line_at(bytes: &[u8], at: usize) -> usize {
    bytes[..at].iter().filter(|b| **b == b'\n').count() + 1
}

#[cfg(unix)]
fn set_new_file_mode(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_new_file_mode(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Replaces the file at `path` with `contents` atomically: a temporary file in the same folder,
/// given the old file's permissions, then renamed over it. A symbolic link is written
/// through, so the link stays a link.
///
/// # Errors
///
/// Fails when the folder cannot be written; the old file is then unchanged.
pub fn write_atomic(path: &Path, contents: &str, shown: &str) -> Result<(), Error> {
    write_atomic_pieces(path, &[contents], shown)
}

/// Writes `pieces`, one after another, to `path` as [`write_atomic`] does: a large document
/// with an edit is written from its original text and the edit without being copied first.
pub fn write_atomic_pieces(path: &Path, pieces: &[&str], shown: &str) -> Result<(), Error> {
    write(path, pieces, shown, false)
}

/// Writes `text`, which the file at `path` holds, with `edits` applied (see
/// [`crate::markdown::edit::pieces`]). An edit that changes a single byte (a checkbox ticked or
/// unticked) is written in place: one byte cannot be written in part, so readers and a crash
/// see the old file or the new one, as after a rename, without the whole file written again.
/// That is done only where the file is a regular file with one link, of `text`'s length, and
/// still holds the old byte there; anything else is written as [`write_atomic_pieces`] does.
///
/// # Errors
///
/// As [`write_atomic`].
pub fn write_edited(
    path: &Path,
    text: &str,
    edits: &[crate::markdown::Edit],
    shown: &str,
) -> Result<(), Error> {
    if let [edit] = edits
        && let Some((at, byte)) = single_byte(text, edit)
        && replace_byte(path, text.len(), at, text.as_bytes()[at], byte).unwrap_or(false)
    {
        return Ok(());
    }
    write_atomic_pieces(path, &crate::markdown::edit::pieces(text, edits), shown)
}

/// Where and to what `edit` changes one byte of `text`, if that is all it changes.
fn single_byte(text: &str, edit: &crate::markdown::Edit) -> Option<(usize, u8)> {
    let old = text.as_bytes().get(edit.range.clone())?;
    let new = edit.text.as_bytes();
    if old.len() != new.len() {
        return None;
    }
    let mut differ = old.iter().zip(new).enumerate().filter(|(_, (o, n))| o != n);
    let (i, (_, byte)) = differ.next()?;
    differ.next().is_none().then_some((edit.range.start + i, *byte))
}

/// Writes `new` over the byte at `at` of the file at `path`, when it is a regular file with
/// one link, `len` bytes long, whose byte there is `old`; Ok(false) when it is not.
#[cfg(unix)]
fn replace_byte(path: &Path, len: usize, at: usize, old: u8, new: u8) -> std::io::Result<bool> {
    use std::os::unix::fs::{FileExt, MetadataExt};
    let file = fs::OpenOptions::new().read(true).write(true).open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() || meta.nlink() != 1 || meta.len() != len as u64 {
        return Ok(false);
    }
    let mut current = [0];
    file.read_exact_at(&mut current, at as u64)?;
    if current[0] != old {
        return Ok(false);
    }
    file.write_all_at(&[new], at as u64)?;
    Ok(true)
}

#[cfg(not(unix))]
fn replace_byte(_: &Path, _: usize, _: usize, _: u8, _: u8) -> std::io::Result<bool> {
    Ok(false)
}

/// Writes `contents` to `path` as [`write_atomic`] does, for a file whose stat data goes into
/// the index next: its modification time is set one second back before the rename.
///
/// Git trusts an index entry's stat data only when the file's modification time is earlier
/// than the index file's own ("racy git"): a file written in the same second as the index is
/// read and hashed again by every git command until the index is rewritten a second later
/// (a 0.54 MB document: about a millisecond and a half in each commit). A second back puts
/// the recorded time before the index's, and before the time of any later change to the
/// file, which a later write therefore always shows (a change made before the file's stat
/// data is read is recorded with its own time, which is racy again, as git wants).
///
/// # Errors
///
/// As [`write_atomic`].
pub fn write_atomic_for_index(path: &Path, contents: &str, shown: &str) -> Result<(), Error> {
    write(path, &[contents], shown, true)
}

fn write(path: &Path, pieces: &[&str], shown: &str, backdate: bool) -> Result<(), Error> {
    let err = |source| Error::Write { path: shown.to_string(), source };
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(".git-milestone-").tempfile_in(dir).map_err(err)?;
    // No fsync, as git does not fsync work-tree files: the rename still makes the change
    // all-or-nothing for every reader.
    for piece in pieces.iter().filter(|p| !p.is_empty()) {
        tmp.write_all(piece.as_bytes()).map_err(err)?;
    }
    match fs::metadata(&target) {
        Ok(meta) => fs::set_permissions(tmp.path(), meta.permissions()).map_err(err)?,
        // A new file gets a document's usual mode, not the temporary file's 0600.
        Err(_) => set_new_file_mode(tmp.path()).map_err(err)?,
    }
    if backdate {
        let file = tmp.as_file();
        let written = file.metadata().and_then(|m| m.modified()).map_err(err)?;
        let back = written.checked_sub(std::time::Duration::from_secs(1)).unwrap_or(written);
        file.set_times(fs::FileTimes::new().set_modified(back)).map_err(err)?;
    }
    tmp.persist(&target).map_err(|e| err(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::single_byte;
    use crate::markdown::Edit;

    #[test]
    fn a_single_byte_is_found_only_when_it_is_all_an_edit_changes() {
        let text = "- [ ] one\n- [x] two\n";
        assert_eq!(single_byte(text, &Edit::replace(3..4, "x")), Some((3, b'x')));
        assert_eq!(single_byte(text, &Edit::replace(2..5, "[X]")), Some((3, b'X')));
        assert_eq!(single_byte(text, &Edit::replace(13..14, " ")), Some((13, b' ')));
        assert_eq!(single_byte(text, &Edit::replace(3..4, " ")), None, "nothing changes");
        assert_eq!(single_byte(text, &Edit::replace(2..5, "(x)")), None, "three bytes change");
        assert_eq!(single_byte(text, &Edit::replace(3..4, "xx")), None, "the length changes");
        assert_eq!(single_byte(text, &Edit::replace(3..4, "é")), None, "two bytes for one");
        assert_eq!(single_byte(text, &Edit::replace(30..31, "x")), None, "past the end");
    }
}
