//! Writing output files safely: atomically (temporary file, then rename)
//! and never outside the output folder.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Errors writing outputs.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A relative path would leave the output folder.
    #[error("拒绝写到输出目录之外：{0}")]
    OutsideOutput(String),
    /// The file system refused.
    #[error("无法写入 {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// The output folder; every write goes through it.
#[derive(Debug, Clone)]
pub struct OutputDir {
    root: PathBuf,
}

impl OutputDir {
    /// An output folder (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        OutputDir { root: root.into() }
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Resolves a relative path inside the folder, refusing absolute paths
    /// and `..`.
    pub fn resolve(&self, relative: &Path) -> Result<PathBuf, OutputError> {
        let ok = relative
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        // An empty root would mean the current folder: never a place to write into blindly.
        if !ok || relative.as_os_str().is_empty() || self.root.as_os_str().is_empty() {
            return Err(OutputError::OutsideOutput(relative.display().to_string()));
        }
        Ok(self.root.join(relative))
    }

    /// Writes `bytes` to `relative` atomically: a temporary file in the same
    /// folder, flushed, then renamed over the target.
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> Result<PathBuf, OutputError> {
        let target = self.resolve(relative)?;
        let dir = target.parent().unwrap_or(&self.root).to_path_buf();
        let io = |source| OutputError::Io {
            path: target.clone(),
            source,
        };
        std::fs::create_dir_all(&dir).map_err(io)?;
        let mut tmp = temp_file_builder().tempfile_in(&dir).map_err(io)?;
        tmp.write_all(bytes).map_err(io)?;
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(&target).map_err(|e| io(e.error))?;
        Ok(target)
    }
}

/// Temporary files are private (0600) by default; the documents are not
/// secrets of the user running fucha, so they get the usual 0666 less the
/// umask, like any file the clerk saves.
fn temp_file_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_folder_are_refused() {
        let out = OutputDir::new("/tmp/x");
        assert!(out.resolve(Path::new("../evil.pdf")).is_err());
        assert!(out.resolve(Path::new("/etc/passwd")).is_err());
        assert!(out.resolve(Path::new("通报/复查通报.pdf")).is_ok());
    }

    #[test]
    fn writes_land_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = OutputDir::new(dir.path());
        let p = out.write(Path::new("a/b.txt"), b"hello").unwrap();
        assert_eq!(std::fs::read(p).unwrap(), b"hello");
    }

    #[cfg(unix)]
    #[test]
    fn written_files_are_readable_by_others_as_saved_files_are() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = OutputDir::new(dir.path());
        let p = out.write(Path::new("通报.pdf"), b"%PDF").unwrap();
        let mode = std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        // 0666 less the umask; a private 0600 file would fail this.
        assert_ne!(mode & 0o044, 0, "mode {mode:o}");
    }
}
