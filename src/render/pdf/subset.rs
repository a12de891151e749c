//! Font programs cut down to a document's glyphs, remembered across the
//! documents of a run when they repeat.
//!
//! Subsetting and compressing a face is most of the cost of writing a PDF.
//! Many documents of a run show the same glyphs in some faces (the headings
//! of 717 rectification notices come from one template; page numbers are
//! the same digits), so a subset asked for a second time is kept and reused.
//! Only repeats are kept: the body face's subset differs in every document,
//! and keeping those would hold a province's worth of fonts in memory.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, PoisonError};

use subsetter::GlyphRemapper;

use crate::layout::fonts::Face;
use crate::layout::text::FaceId;

/// A face and the glyph ids kept in its subset.
type SubsetKey = (FaceId, Vec<u16>);

#[derive(Default)]
struct Kept {
    programs: HashMap<SubsetKey, Arc<Vec<u8>>>,
    bytes: usize,
}

/// At most this many bytes of subsets are kept: repeats are mostly small
/// (headings, page numbers), and a run of many near-identical documents
/// must not hold a copy of each body font.
const MAX_KEPT_BYTES: usize = 64 << 20;

/// Subsets seen twice, by face and glyph set; shared by every render.
#[derive(Default)]
pub struct SubsetCache {
    kept: Mutex<Kept>,
    /// Hashes of the subsets made once so far.
    seen: Mutex<HashSet<u64>>,
}

impl SubsetCache {
    /// The compressed font program of `face` holding `glyphs` (sorted old
    /// glyph ids, `.notdef` first, numbered in that order by `remapper`).
    pub fn program(
        &self,
        id: FaceId,
        face: &Face,
        glyphs: &[u16],
        remapper: &GlyphRemapper,
        deflate: impl Fn(&[u8]) -> Result<Vec<u8>, String>,
    ) -> Result<Arc<Vec<u8>>, String> {
        let key = (id, glyphs.to_vec());
        if let Some(kept) = self
            .kept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .programs
            .get(&key)
        {
            return Ok(Arc::clone(kept));
        }
        let program = Arc::new(deflate(&font_program(face, remapper)?)?);
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        let repeated = !self
            .seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(hasher.finish());
        if repeated {
            let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
            if kept.bytes + program.len() <= MAX_KEPT_BYTES {
                kept.bytes += program.len();
                kept.programs.insert(key, Arc::clone(&program));
            }
        }
        Ok(program)
    }
}

/// The subset of a face as the PDF embeds it: the bare CFF table for CFF
/// faces (`FontFile3`, `CIDFontType0C`), the whole TrueType file otherwise.
fn font_program(face: &Face, remapper: &GlyphRemapper) -> Result<Vec<u8>, String> {
    let subset = subsetter::subset(face.data(), face.index(), remapper)
        .map_err(|e| unusable(face, &e.to_string()))?;
    if !face.metrics.cff {
        return Ok(subset);
    }
    let raw = ttf_parser::RawFace::parse(&subset, 0).map_err(|e| unusable(face, &e.to_string()))?;
    raw.table(ttf_parser::Tag::from_bytes(b"CFF "))
        .map(<[u8]>::to_vec)
        .ok_or_else(|| unusable(face, "子集缺少 CFF 表"))
}

/// A face that cannot be embedded, and what the office can do about it.
fn unusable(face: &Face, why: &str) -> String {
    format!(
        "字体“{}”无法嵌入 PDF（{why}），可能已损坏或格式不受支持；请在 fucha.toml 的 [fonts] 中把它从字体列表中去掉或换成其他字体",
        face.name
    )
}
