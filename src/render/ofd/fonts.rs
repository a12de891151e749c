//! The faces an OFD embeds: each used face cut down to the document's
//! glyphs, as a font file an OFD reader can use on its own.
//!
//! An OFD `TextCode` holds characters, not glyph ids, and a reader finds
//! each glyph through the embedded font's `cmap`; it also reads the face's
//! names and `OS/2` (weight, vertical metrics). The PDF's subsets keep
//! none of these (a PDF addresses glyphs by id), so the OFD makes its own
//! with allsorts, which keeps the `cmap` entries of the glyphs kept.
//!
//! Subsets asked for a second time are kept for the rest of the run, as the
//! PDF does (the page-number face shows the same digits in every document).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use allsorts::tag;

use crate::layout::fonts::{Face, FontSet};
use crate::layout::frame::{Item, Page};
use crate::layout::text::FaceId;

use super::page::Ids;

/// The tables kept besides the outlines (`glyf`/`loca` or `CFF `, which
/// allsorts adds itself): what a reader needs to map, measure and name.
const TABLES: [u32; 8] = [
    tag::CMAP,
    tag::HEAD,
    tag::HHEA,
    tag::HMTX,
    tag::MAXP,
    tag::NAME,
    tag::OS_2,
    tag::POST,
];

/// One face a document uses.
pub(crate) struct UsedFace {
    /// The face in the run's font set.
    pub(crate) face: FaceId,
    /// Its resource ID in the document.
    pub(crate) id: u32,
    /// Glyph ids shown, ascending, `.notdef` first.
    pub(crate) glyphs: Vec<u16>,
}

/// The faces a document shows, in the order it first shows them, each
/// with a fresh resource ID.
pub(crate) fn used_faces(pages: &[Page], face_count: usize, ids: &mut Ids) -> Vec<UsedFace> {
    let mut shown: Vec<Option<BTreeSet<u16>>> = vec![None; face_count];
    let mut order = Vec::new();
    for page in pages {
        for item in &page.items {
            let Item::Text(run) = item else { continue };
            for g in &run.glyphs {
                let glyphs = shown[g.face as usize].get_or_insert_with(|| {
                    order.push(g.face);
                    BTreeSet::new()
                });
                glyphs.insert(g.gid);
            }
        }
    }
    order
        .into_iter()
        .map(|face| {
            let mut glyphs = vec![0];
            let kept = shown[face as usize].take().unwrap_or_default();
            glyphs.extend(kept.into_iter().filter(|&g| g != 0));
            UsedFace {
                face,
                id: ids.next(),
                glyphs,
            }
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

/// A subset by face and glyph list.
type Key = (FaceId, Vec<u16>);

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
        let key = (used.face, used.glyphs.clone());
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(program) = kept.get(&key) {
            return Ok(Arc::clone(program));
        }
        drop(kept);
        let face = &fonts.faces()[used.face as usize];
        let program = Arc::new(subset_face(face, &used.glyphs)?);
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

/// Cuts `face` down to `glyphs` (ascending, `.notdef` first).
fn subset_face(face: &Face, glyphs: &[u16]) -> Result<Vec<u8>, String> {
    let unusable = |why: String| {
        format!(
            "字体“{}”无法嵌入 OFD（{why}），可能已损坏或格式不受支持；请在 fucha.toml 的 [fonts] 中把它从字体列表中去掉或换成其他字体",
            face.name
        )
    };
    let data = ReadScope::new(face.data())
        .read::<FontData<'_>>()
        .map_err(|e| unusable(e.to_string()))?;
    let provider = data
        .table_provider(face.index() as usize)
        .map_err(|e| unusable(e.to_string()))?;
    let profile = SubsetProfile::Custom(TABLES.to_vec());
    subset(&provider, glyphs, &profile, CmapTarget::Unicode).map_err(|e| unusable(format!("{e:?}")))
}
