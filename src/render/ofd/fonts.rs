//! The faces an OFD embeds: each used face cut down to the document's
//! glyphs, as a font file an OFD reader can use on its own.
//!
//! An OFD `TextCode` holds characters, not glyph ids, and a reader finds
//! each glyph through the embedded font's `cmap`; it also reads the face's
//! names and `OS/2` (weight, vertical metrics). The glyphs are cut by
//! subsetter, as for the PDF, which keeps the names but neither `cmap` nor
//! `OS/2` (a PDF uses neither); [`super::sfnt`] adds both. allsorts, which
//! keeps a `cmap` itself, was tried first: it made an OFD cost 20-30% more
//! than the PDF of the same document (bench/README.md), mostly in reading
//! the whole face's `cmap` again for every subset.
//!
//! Subsets asked for a second time are kept for the rest of the run, as the
//! PDF does (the page-number face shows the same digits in every document).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use subsetter::GlyphRemapper;

use crate::layout::fonts::{Face, FontSet};
use crate::layout::frame::{Item, Page};
use crate::layout::text::FaceId;

use super::page::Ids;
use super::sfnt;

/// One face a document uses.
pub(crate) struct UsedFace {
    /// The face in the run's font set.
    pub(crate) face: FaceId,
    /// Its resource ID in the document.
    pub(crate) id: u32,
    /// The characters shown, each with the glyph id the layout drew it
    /// with, in character order.
    pub(crate) chars: Vec<(char, u16)>,
}

/// The faces a document shows, in the order it first shows them, each
/// with a fresh resource ID.
pub(crate) fn used_faces(pages: &[Page], face_count: usize, ids: &mut Ids) -> Vec<UsedFace> {
    let mut shown: Vec<Option<BTreeMap<char, u16>>> = vec![None; face_count];
    let mut order = Vec::new();
    for page in pages {
        for item in &page.items {
            let Item::Text(run) = item else { continue };
            for g in &run.glyphs {
                let chars = shown[g.face as usize].get_or_insert_with(|| {
                    order.push(g.face);
                    BTreeMap::new()
                });
                chars.entry(g.ch).or_insert(g.gid);
            }
        }
    }
    order
        .into_iter()
        .map(|face| UsedFace {
            face,
            id: ids.next(),
            chars: shown[face as usize]
                .take()
                .unwrap_or_default()
                .into_iter()
                .collect(),
        })
        .collect()
}

/// The name a reader shows and may look the face up by: the family it was
/// found under (`仿宋_GB2312` where the office's font is installed,
/// `FandolFang` otherwise), without fucha's `:bold` suffix.
pub(crate) fn family_name(face: &Face) -> &str {
    face.name.split(':').next().unwrap_or(&face.name)
}

/// Whether the face is a bold one (the title's 小标宋 stand-in).
pub(crate) fn is_bold(face: &Face) -> bool {
    face.metrics.weight >= 600 || face.name.ends_with(":bold")
}

/// The file extension of a face's subset: `otf` for CFF outlines.
pub(crate) fn extension(face: &Face) -> &'static str {
    if face.metrics.cff { "otf" } else { "ttf" }
}

/// A subset by face and the characters it maps.
type Key = (FaceId, Vec<(char, u16)>);

/// Subsets seen twice, kept for reuse; shared by every render of a run.
#[derive(Default)]
pub(crate) struct SubsetCache {
    kept: Mutex<HashMap<Key, Arc<Vec<u8>>>>,
    kept_bytes: Mutex<usize>,
    seen: Mutex<HashSet<Key>>,
}

/// At most this many bytes of subsets are kept.
const MAX_KEPT_BYTES: usize = 32 << 20;

impl SubsetCache {
    /// The font file of `used`: a subset with its `cmap`, names and `OS/2`.
    pub(crate) fn program(&self, fonts: &FontSet, used: &UsedFace) -> Result<Arc<Vec<u8>>, String> {
        let key = (used.face, used.chars.clone());
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(program) = kept.get(&key) {
            return Ok(Arc::clone(program));
        }
        drop(kept);
        let face = &fonts.faces()[used.face as usize];
        let program = Arc::new(subset_face(face, &used.chars)?);
        let repeated = !self
            .seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.clone());
        if repeated {
            let mut bytes = self
                .kept_bytes
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if *bytes + program.len() <= MAX_KEPT_BYTES {
                *bytes += program.len();
                self.kept
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(key, Arc::clone(&program));
            }
        }
        Ok(program)
    }
}

/// Cuts `face` down to the glyphs of `chars` and maps the characters to
/// them.
fn subset_face(face: &Face, chars: &[(char, u16)]) -> Result<Vec<u8>, String> {
    let unusable = |why: &str| {
        format!(
            "字体“{}”无法嵌入 OFD（{why}），可能已损坏或格式不受支持；请在 fucha.toml 的 [fonts] 中把它从字体列表中去掉或换成其他字体",
            face.name
        )
    };
    let mut glyphs: Vec<u16> = chars.iter().map(|&(_, g)| g).collect();
    glyphs.push(0);
    glyphs.sort_unstable();
    glyphs.dedup();
    let remapper = GlyphRemapper::new_from_glyphs(&glyphs);
    let subset = subsetter::subset(face.data(), face.index(), &remapper)
        .map_err(|e| unusable(&e.to_string()))?;
    let mapped: Vec<(char, u16)> = chars
        .iter()
        .filter_map(|&(c, g)| remapper.get(g).map(|n| (c, n)))
        .collect();
    let cmap = sfnt::cmap(&mapped);
    let raw = ttf_parser::RawFace::parse(face.data(), face.index())
        .map_err(|e| unusable(&e.to_string()))?;
    let mut extra: Vec<([u8; 4], &[u8])> = vec![(*b"cmap", &cmap)];
    if let Some(os2) = raw.table(ttf_parser::Tag::from_bytes(b"OS/2")) {
        extra.push((*b"OS/2", os2));
    }
    sfnt::with_tables(&subset, &extra).ok_or_else(|| unusable("子集的表目录无法读取"))
}
