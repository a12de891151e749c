//! Files sent through the workbench. Each is kept in the intake folder,
//! where the CLI's `check` and `build` read a county's files, and entered
//! in the register from there: a table uploaded in the browser and one
//! copied into the folder by hand are the same to every later step.

use super::season::{ReceiveReport, receive};
use super::{Context, PipelineError, received};
use crate::check::{self, is_feedback, is_hidden};
use crate::register::{Register, content_hash};
use std::io::Write;
use std::path::{Path, PathBuf};

/// One file as sent: a clean name of our own (no separators, see the
/// workbench's `safe_name`) and its bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The file name to keep it under.
    pub name: String,
    /// The bytes as sent.
    pub bytes: Vec<u8>,
}

/// What became of an upload.
#[derive(Debug)]
pub enum UploadOutcome {
    /// Kept, checked and entered.
    Received(ReceiveReport),
    /// Refused as a whole, nothing kept: `file` holds the data of
    /// another body (`body`; None when it could not be told).
    Foreign {
        /// The file's name as sent.
        file: String,
        /// The body its data belongs to.
        body: Option<String>,
    },
}

/// Keeps `files` in the intake folder and receives them. For a county
/// (`owner`), the files are first checked where they are staged and the
/// whole upload is refused when one belongs to another body or to none.
pub fn upload(
    ctx: &Context,
    files: &[Upload],
    owner: Option<&str>,
) -> Result<UploadOutcome, PipelineError> {
    if let Some(owner) = owner
        && let Some((file, body)) = foreign_file(ctx, files, owner)?
    {
        return Ok(UploadOutcome::Foreign { file, body });
    }
    let register = Register::open(&ctx.campaign.register)?;
    let year = ctx.campaign.campaign.year;
    let at = received::now();
    let mut paths = Vec::new();
    for file in files {
        paths.push(keep(&ctx.campaign.intake, file, &register, year, at)?);
    }
    drop(register);
    Ok(UploadOutcome::Received(receive(ctx, &paths, Some(at))?))
}

/// The first file (name, body) whose data is not `owner`'s.
fn foreign_file(
    ctx: &Context,
    files: &[Upload],
    owner: &str,
) -> Result<Option<(String, Option<String>)>, PipelineError> {
    let staged = tempfile::tempdir().map_err(PipelineError::Stage)?;
    let mut paths = Vec::new();
    for (i, file) in files.iter().enumerate() {
        // One folder per file: two files of one name are both checked.
        let folder = staged.path().join(i.to_string());
        std::fs::create_dir(&folder).map_err(PipelineError::Stage)?;
        let path = folder.join(&file.name);
        std::fs::write(&path, &file.bytes).map_err(PipelineError::Stage)?;
        paths.push(path);
    }
    let batch = check::check_received(
        &paths,
        &ctx.roster,
        &ctx.campaign,
        &check::Receipts::new(),
        check::Scope::Delivery,
    );
    Ok(batch
        .files
        .iter()
        .zip(files)
        .find(|(f, _)| f.jurisdiction.as_deref() != Some(owner))
        .map(|(f, sent)| (sent.name.clone(), f.jurisdiction.clone())))
}

/// Writes `file` into the intake folder under its name, atomically and
/// never over another file: a different file already there under the name
/// keeps it, and this one gets the time it was received before its
/// extension. Returns the path kept.
fn keep(
    intake: &Path,
    file: &Upload,
    register: &Register,
    year: i32,
    at: chrono::NaiveDateTime,
) -> Result<PathBuf, PipelineError> {
    let name = readable_name(&file.name);
    let keep_err = |source| PipelineError::Keep {
        path: intake.join(&name),
        source,
    };
    // The same bytes already in the folder (the register's copy, or one
    // put there by hand under this name) are not copied twice.
    let known = register
        .by_hash(year, &content_hash(&file.bytes))?
        .map(|s| PathBuf::from(s.path))
        .filter(|p| p.starts_with(intake));
    let plain = intake.join(&name);
    for existing in known.into_iter().chain([plain.clone()]) {
        if std::fs::read(&existing).is_ok_and(|b| b == file.bytes) {
            return Ok(existing);
        }
    }
    std::fs::create_dir_all(intake).map_err(keep_err)?;
    let mut staged = tempfile::Builder::new()
        .prefix(".fucha-upload-")
        .tempfile_in(intake)
        .map_err(keep_err)?;
    staged.write_all(&file.bytes).map_err(keep_err)?;
    staged.as_file().sync_all().map_err(keep_err)?;
    let timed = PathBuf::from(received::received_name(&plain.to_string_lossy(), at));
    let numbered = (2..).map(|n| {
        let (stem, ext) = match name.rsplit_once('.') {
            Some((stem, ext)) => (stem.to_string(), format!(".{ext}")),
            None => (name.clone(), String::new()),
        };
        intake.join(format!("{stem}（{n}）{ext}"))
    });
    for target in [plain, timed].into_iter().chain(numbered) {
        match staged.persist_noclobber(&target) {
            Ok(_) => return Ok(target),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => staged = e.file,
            Err(e) => return Err(keep_err(e.error)),
        }
    }
    unreachable!("the numbered names never run out")
}

/// `name`, changed where the intake folder's walk would pass it over: a
/// lock-file prefix goes, and a feedback workbook a county corrected and
/// sent back becomes its corrected table.
fn readable_name(name: &str) -> String {
    let name = name.trim_start_matches("~$").trim_start_matches('.');
    match name.rsplit_once('.') {
        Some((stem, ext)) if is_feedback(Path::new(name)) => {
            let stem = stem.strip_suffix(check::FEEDBACK_SUFFIX).unwrap_or(stem);
            format!("{stem}（修改后）.{ext}")
        }
        _ if is_hidden(name) || name.is_empty() => format!("上传文件{name}"),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty_register(dir: &Path) -> Register {
        Register::open(&dir.join("r.sqlite")).unwrap()
    }

    #[test]
    fn a_second_file_of_the_same_name_is_kept_beside_the_first_with_its_time() {
        let dir = tempfile::tempdir().unwrap();
        let intake = dir.path().join("报送");
        let register = empty_register(dir.path());
        let at = chrono::NaiveDate::from_ymd_opt(2020, 10, 9)
            .unwrap()
            .and_hms_opt(9, 30, 5)
            .unwrap();
        let first = Upload {
            name: "汨罗市.xlsx".into(),
            bytes: b"first".to_vec(),
        };
        let second = Upload {
            bytes: b"second".to_vec(),
            ..first.clone()
        };
        let a = keep(&intake, &first, &register, 2020, at).unwrap();
        let b = keep(&intake, &second, &register, 2020, at).unwrap();
        let third = Upload {
            bytes: b"third".to_vec(),
            ..first.clone()
        };
        let c = keep(&intake, &third, &register, 2020, at).unwrap();
        assert_eq!(keep(&intake, &first, &register, 2020, at).unwrap(), a);
        assert_eq!(a, intake.join("汨罗市.xlsx"));
        assert_eq!(b, intake.join("汨罗市（2020-10-09 09时30分05秒收到）.xlsx"));
        assert_eq!(c, intake.join("汨罗市（2）.xlsx"));
        assert_eq!(std::fs::read(&a).unwrap(), b"first");
        assert_eq!(std::fs::read(&b).unwrap(), b"second");
        assert_eq!(std::fs::read(&c).unwrap(), b"third");
        // Only the three files: no staging file left behind.
        assert_eq!(std::fs::read_dir(&intake).unwrap().count(), 3);
    }

    #[test]
    fn a_name_the_folder_walk_would_skip_is_kept_under_one_it_reads() {
        assert_eq!(readable_name("~$岳阳县.xlsx"), "岳阳县.xlsx");
        assert_eq!(
            readable_name("岳阳县退回修改意见.xlsx"),
            "岳阳县（修改后）.xlsx"
        );
        assert_eq!(readable_name("岳阳县.xlsx"), "岳阳县.xlsx");
        for name in ["~$岳阳县.xlsx", "岳阳县退回修改意见.xlsx", "..x.csv"] {
            let kept = readable_name(name);
            assert!(
                !is_hidden(&kept) && !is_feedback(Path::new(&kept)),
                "{kept}"
            );
        }
    }
}
