//! Files below `--mount` directories, for a collector that serves other
//! files than those it was built with.
//!
//! A URL path maps to a file below the longest matching mount; a file
//! reached through a symbolic link must still lie inside its mount. A
//! `NAME.br` beside a file is its brotli version.
//!
//! Not tower-http's `ServeDir` (checked against tower-http 0.7.1): its path
//! check refuses `..`, backslashes and drive prefixes but serves hidden
//! names (`/.env`) and follows symbolic links out of the directory; a
//! directory without its trailing slash gets a 307 (or, with
//! `redirect_to_trailing_slash(false)`, its index at the slash-less URL,
//! where relative links break), where this collector answers 302 for
//! mounted and embedded files alike; and it would add range and conditional
//! requests that the embedded files do not answer. Keeping those refusals
//! would mean checking every path here first, which is all this module does
//! beyond reading the file.

use super::{File, Lookup, segments};
use crate::config::Mount;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The file below `mounts` that a decoded URL path names.
pub(super) async fn find(mounts: &[Mount], path: &str) -> Lookup {
    let Some((mount, file)) = locate(mounts, path) else {
        return Lookup::Missing;
    };
    let file = match tokio::fs::metadata(&file).await {
        Ok(meta) if meta.is_dir() && !path.ends_with('/') => return Lookup::Directory,
        Ok(meta) if meta.is_dir() => file.join("index.html"),
        Ok(_) => file,
        Err(_) => return Lookup::Missing,
    };
    let Some(bytes) = read_inside(&mount.dir, &file).await else {
        return Lookup::Missing;
    };
    let mut compressed = file.clone().into_os_string();
    compressed.push(".br");
    let brotli = read_inside(&mount.dir, Path::new(&compressed)).await.map(Cow::Owned);
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Lookup::File(File { name, bytes: Cow::Owned(bytes), brotli })
}

/// The mount and file a decoded URL path names, if its segments are safe.
fn locate<'m>(mounts: &'m [Mount], path: &str) -> Option<(&'m Mount, PathBuf)> {
    let mount = mounts
        .iter()
        .filter(|m| m.url_path == "/" || path == m.url_path || path.starts_with(&format!("{}/", m.url_path)))
        .max_by_key(|m| m.url_path.len())?;
    let rest = path.get(mount.url_path.len()..)?;
    Some((mount, segments(rest)?.iter().fold(mount.dir.clone(), |file, segment| file.join(segment))))
}

/// The content of `file` when it exists and, symbolic links resolved, lies inside `dir`.
async fn read_inside(dir: &Path, file: &Path) -> Option<Vec<u8>> {
    let (dir, file) = (tokio::fs::canonicalize(dir).await.ok()?, tokio::fs::canonicalize(file).await.ok()?);
    if !file.starts_with(dir) {
        return None;
    }
    tokio::fs::read(&file).await.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_longest_mount_and_refuses_unsafe_segments() {
        let mounts = [Mount::parse("/=www").unwrap(), Mount::parse("/support-kpi=pkg").unwrap()];
        let (mount, file) = locate(&mounts, "/support-kpi/support_kpi.js").unwrap();
        assert_eq!((mount.url_path.as_str(), file), ("/support-kpi", PathBuf::from("pkg/support_kpi.js")));
        assert_eq!(locate(&mounts, "/support-kpi-other/x").unwrap().1, PathBuf::from("www/support-kpi-other/x"));
        assert_eq!(locate(&mounts, "/dashboard/").unwrap().1, PathBuf::from("www/dashboard"));
        for bad in ["/../secret", "/a/../../b", "/.env", "/a\\..\\b", "/./x"] {
            assert!(locate(&mounts, bad).is_none(), "{bad}");
        }
        assert!(locate(&[Mount::parse("/vendor=v").unwrap()], "/other").is_none());
    }
}
