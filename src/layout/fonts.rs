//! Fonts by role: found once by family name, parsed once, shared by every
//! render (the renderer is `Send + Sync`).
//!
//! Each [`FontRole`] has a chain of family names (`fucha.toml` or the
//! built-in defaults). Every face of the chain that is found is loaded,
//! in chain order: the first is the role's face, the others supply glyphs it
//! lacks. Latin letters and digits go to the Latin chain first.
//!
//! A name is looked up in three places, first match wins: the config's
//! `[fonts] dirs`, the faces shipped with fucha (the `fonts/` folder, found
//! beside the config or the binary), and the system's font folders (unless
//! turned off). The shipped faces therefore win over a system copy of the
//! same family, and a machine without the office's fonts typesets exactly
//! as any other such machine.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::campaign::{FontRole, FontSettings};

use super::text::{FaceId, Glyph, MissingGlyph, Shaper, Style, is_latin, layout_advance};

/// No face at all for one or more roles.
#[derive(Debug, thiserror::Error)]
#[error(
    "找不到字体：{roles}的候选字体都没有找到（已查找：{searched}）。{shipped}也可在 fucha.toml 的 [fonts] dirs 中加入字体所在的文件夹"
)]
pub struct FontError {
    /// The roles without a face.
    pub missing: Vec<FontRole>,
    /// Their Chinese names, joined for the message.
    pub roles: String,
    /// The family names searched, joined for the message.
    pub searched: String,
    /// Where the shipped faces were looked for, or which folder was used.
    pub shipped: String,
}

/// The manifest every shipped `fonts/` folder holds (written by
/// `scripts/prepare-fonts.py`); it tells that folder apart from any other
/// folder called `fonts`.
const SHIPPED_MARKER: &str = "fucha-fonts.sha256";

/// The folder of the faces shipped with fucha: `fonts/` beside the config
/// file or one folder up (the repository's `input/`), else beside the
/// binary or up to four folders above it (`target/release/`), or in
/// `share/fucha/fonts` there (an installed copy). Never an absolute path
/// of our own: a copied or installed fucha finds its fonts the same way.
fn shipped_fonts_dir(config_dir: Option<&Path>) -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(base) = config_dir {
        candidates.push(base.join("fonts"));
        candidates.push(base.join("..").join("fonts"));
    }
    if let Ok(exe) = std::env::current_exe() {
        for dir in exe.ancestors().skip(1).take(5) {
            candidates.push(dir.join("fonts"));
            candidates.push(dir.join("share").join("fucha").join("fonts"));
        }
    }
    candidates
        .into_iter()
        .find(|dir| dir.join(SHIPPED_MARKER).is_file())
}

/// A loaded face: the font file's bytes, what the PDF's font dictionaries
/// say about it, and (built on first use) its character map and advances.
pub struct Face {
    /// The family name it was found under (with `:bold` when asked).
    pub name: String,
    data: Arc<FontData>,
    index: u32,
    units_per_em: f32,
    /// Descriptor values, read once when the face is loaded.
    pub metrics: FaceMetrics,
    glyphs: OnceLock<GlyphTable>,
}

/// What a PDF font descriptor needs, in thousandths of an em.
#[derive(Debug, Clone)]
pub struct FaceMetrics {
    /// The PostScript name (the PDF's `BaseFont` after the subset tag).
    pub postscript_name: String,
    /// Whether outlines are CFF (embedded as `FontFile3`) or TrueType.
    pub cff: bool,
    /// Bounding box of all glyphs: left, bottom, right, top.
    pub bbox: [f32; 4],
    /// Ascender.
    pub ascent: f32,
    /// Descender (negative).
    pub descent: f32,
    /// Height of capital letters.
    pub cap_height: f32,
    /// Italic angle in degrees.
    pub italic_angle: f32,
    /// Weight class (400 regular, 700 bold), for the stem width.
    pub weight: u16,
}

/// A face's character map and advances, read once from the file.
struct GlyphTable {
    cmap: HashMap<char, u16>,
    /// Advance of every glyph, in font units.
    advances: Vec<u16>,
}

impl Face {
    /// Glyph id and advance (thousandths of an em) of a character, if the
    /// face has it.
    fn glyph(&self, ch: char) -> Option<(u16, u16)> {
        let table = self.glyphs.get_or_init(|| self.read_glyph_table());
        let gid = *table.cmap.get(&ch)?;
        if gid == 0 {
            return None;
        }
        let advance = *table.advances.get(gid as usize)? as f32;
        // Truncated to whole thousandths: the PDF's widths array holds
        // exactly this number, so our positions and the viewer's pen agree.
        let natural = (advance * 1000.0 / self.units_per_em) as u16;
        Some((gid, natural))
    }

    /// The advance of a glyph in thousandths of an em, as [`Face::glyph`]
    /// gives it (for glyphs a layout did not place, such as `.notdef`).
    pub fn natural_advance(&self, gid: u16) -> u16 {
        let table = self.glyphs.get_or_init(|| self.read_glyph_table());
        let advance = table.advances.get(gid as usize).copied().unwrap_or(0) as f32;
        (advance * 1000.0 / self.units_per_em) as u16
    }

    /// The font file (all faces of a collection).
    pub fn data(&self) -> &[u8] {
        self.data.bytes()
    }

    /// The face's index in its file (0 unless a `.ttc` collection).
    pub fn index(&self) -> u32 {
        self.index
    }

    /// Reads the Unicode character map and the advances. A CJK face maps
    /// some 30,000-45,000 characters; reading them once (1-8 ms) is cheaper
    /// than a lookup in the file's cmap for every character of every run.
    fn read_glyph_table(&self) -> GlyphTable {
        let Ok(face) = ttf_parser::Face::parse(self.data(), self.index) else {
            return GlyphTable {
                cmap: HashMap::new(),
                advances: Vec::new(),
            };
        };
        let mut cmap = HashMap::new();
        let unicode: Vec<_> = face
            .tables()
            .cmap
            .iter()
            .flat_map(|c| c.subtables)
            .filter(|s| s.is_unicode())
            .collect();
        // A full-Unicode table (format 12) holds everything the BMP one
        // (format 4) does; reading both doubled the cost for CJK faces.
        let full = unicode
            .iter()
            .find(|s| matches!(s.format, ttf_parser::cmap::Format::SegmentedCoverage(_)));
        let subtables = match full {
            Some(full) => vec![*full],
            None => unicode,
        };
        for subtable in subtables {
            subtable.codepoints(|code| {
                if let (Some(ch), Some(gid)) = (char::from_u32(code), subtable.glyph_index(code)) {
                    cmap.entry(ch).or_insert(gid.0);
                }
            });
        }
        let advances = (0..face.number_of_glyphs())
            .map(|g| face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0))
            .collect();
        GlyphTable { cmap, advances }
    }
}

/// Every face the renderer uses, with the chain of each role.
pub struct FontSet {
    faces: Vec<Face>,
    /// Indexed by [`role_index`].
    chains: [Vec<FaceId>; 6],
}

fn role_index(role: FontRole) -> usize {
    match role {
        FontRole::Title => 0,
        FontRole::Body => 1,
        FontRole::Heading1 => 2,
        FontRole::Heading2 => 3,
        FontRole::PageNumber => 4,
        FontRole::Latin => 5,
    }
}

/// The font databases in lookup order: the config's folders, the shipped
/// faces, the system's; and the shipped folder, if found.
fn font_sources(settings: &FontSettings) -> (Vec<fontdb::Database>, Option<PathBuf>) {
    let mut sources = Vec::new();
    if !settings.dirs.is_empty() {
        let mut db = fontdb::Database::new();
        for dir in &settings.dirs {
            db.load_fonts_dir(dir);
        }
        sources.push(db);
    }
    let shipped = shipped_fonts_dir(settings.base.as_deref());
    if let Some(dir) = &shipped {
        let mut db = fontdb::Database::new();
        db.load_fonts_dir(dir);
        sources.push(db);
    }
    if settings.searches_system() {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        sources.push(db);
    }
    (sources, shipped)
}

impl FontError {
    /// The roles no face was found for, the names searched, and where the
    /// shipped faces should be.
    fn new(missing: Vec<FontRole>, searched: &[String], shipped: Option<&Path>) -> FontError {
        let roles = missing
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join("、");
        let shipped = match shipped {
            Some(dir) => format!("fucha 自带的字体在 {} 中，请检查该文件夹是否完整；", dir.display()),
            None => "未找到 fucha 自带的字体文件夹 fonts/（应在 fucha.toml 所在文件夹或其上一级，或在程序所在文件夹旁），请从 fucha 的发布包中把 fonts/ 复制过来；".to_string(),
        };
        FontError {
            missing,
            roles,
            searched: searched.join("、"),
            shipped,
        }
    }
}

impl FontSet {
    /// Finds and parses the faces of every role.
    pub fn load(settings: &FontSettings) -> Result<FontSet, FontError> {
        let (sources, shipped) = font_sources(settings);
        let mut faces: Vec<Face> = Vec::new();
        // One parse per face, however many roles use it.
        let mut by_source: BTreeMap<(PathBuf, u32), FaceId> = BTreeMap::new();
        // One mapping per file, however many of its faces are used.
        let mut files = FontFiles::default();
        let mut chains: [Vec<FaceId>; 6] = Default::default();
        let mut missing = Vec::new();
        let mut searched = Vec::new();
        for role in FontRole::ALL {
            let chain = settings.chain(role);
            for entry in &chain {
                let Some((db, id)) = sources
                    .iter()
                    .find_map(|db| find_face(db, entry).map(|id| (db, id)))
                else {
                    continue;
                };
                let Some((source, index)) = db.face_source(id) else {
                    continue;
                };
                let path = match &source {
                    fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => p.clone(),
                    fontdb::Source::Binary(_) => PathBuf::from(entry),
                };
                let key = (path, index);
                let face_id = match by_source.get(&key) {
                    Some(f) => *f,
                    None => {
                        let Some(face) = parse_face(db, id, entry, &mut files) else {
                            continue;
                        };
                        let f = faces.len() as FaceId;
                        faces.push(face);
                        by_source.insert(key, f);
                        f
                    }
                };
                let roles_chain = &mut chains[role_index(role)];
                if !roles_chain.contains(&face_id) {
                    roles_chain.push(face_id);
                }
            }
            if chains[role_index(role)].is_empty() {
                missing.push(role);
                // Roles share faces (宋体 for title and page numbers): name each once.
                for name in chain {
                    if !searched.contains(&name) {
                        searched.push(name);
                    }
                }
            }
        }
        if !missing.is_empty() {
            return Err(FontError::new(missing, &searched, shipped.as_deref()));
        }
        Ok(FontSet { faces, chains })
    }

    /// All faces; a [`FaceId`] indexes this slice.
    pub fn faces(&self) -> &[Face] {
        &self.faces
    }

    fn find_in_chain(&self, role: FontRole, ch: char) -> Option<(FaceId, u16, u16)> {
        self.chains[role_index(role)].iter().find_map(|&f| {
            self.faces[f as usize]
                .glyph(ch)
                .map(|(gid, adv)| (f, gid, adv))
        })
    }

    fn tried(&self, roles: &[FontRole]) -> Vec<String> {
        roles
            .iter()
            .flat_map(|r| self.chains[role_index(*r)].iter())
            .map(|f| self.faces[*f as usize].name.clone())
            .collect()
    }
}

/// Where a character of a role is drawn from: face, glyph id, advance in
/// thousandths of an em, and whether the face is the Latin one.
type Resolved = (FaceId, u16, u16, bool);

impl FontSet {
    /// Finds the face for a character of a role: Latin characters from the
    /// Latin chain first, everything else from the role's chain.
    fn resolve(&self, role: FontRole, ch: char) -> Option<Resolved> {
        // Page numbers stay in 宋体 (half-width 宋体 digits, 7.5).
        if is_latin(ch)
            && role != FontRole::PageNumber
            && let Some((f, gid, adv)) = self.find_in_chain(FontRole::Latin, ch)
        {
            return Some((f, gid, adv, true));
        }
        self.find_in_chain(role, ch)
            .map(|(f, gid, adv)| (f, gid, adv, false))
    }

    fn missing(&self, role: FontRole, ch: char) -> MissingGlyph {
        let roles: &[FontRole] = if is_latin(ch) && role != FontRole::PageNumber {
            &[FontRole::Latin, role]
        } else {
            &[role]
        };
        MissingGlyph {
            ch,
            role,
            tried: self.tried(roles),
        }
    }
}

/// Characters a shaper skips: line breaks are the layout's business.
fn normalize(ch: char) -> Option<char> {
    match ch {
        '\t' => Some(' '),
        c if c.is_control() => None,
        c => Some(c),
    }
}

fn glyph(ch: char, (face, gid, natural, latin_face): Resolved, size: f32) -> Glyph {
    Glyph {
        ch,
        face,
        gid,
        natural,
        advance: layout_advance(natural, size, latin_face),
    }
}

/// A shaper for one render: remembers each (role, character) lookup, since
/// a document repeats a few thousand characters many times over and the
/// fonts' cmap lookups are not cheap. Not shared between threads.
pub struct CachedShaper<'a> {
    fonts: &'a FontSet,
    cache: RefCell<HashMap<(usize, char), Option<Resolved>>>,
}

impl<'a> CachedShaper<'a> {
    /// An empty cache over `fonts`.
    pub fn new(fonts: &'a FontSet) -> Self {
        CachedShaper {
            fonts,
            cache: RefCell::new(HashMap::with_capacity(1024)),
        }
    }
}

impl Shaper for CachedShaper<'_> {
    fn shape_into(
        &self,
        text: &str,
        style: Style,
        out: &mut Vec<Glyph>,
    ) -> Result<(), MissingGlyph> {
        out.reserve(text.len() / 2);
        let role = role_index(style.role);
        let mut cache = self.cache.borrow_mut();
        for ch in text.chars().filter_map(normalize) {
            let found = *cache
                .entry((role, ch))
                .or_insert_with(|| self.fonts.resolve(style.role, ch));
            let found = found.ok_or_else(|| self.fonts.missing(style.role, ch))?;
            out.push(glyph(ch, found, style.size));
        }
        Ok(())
    }
}

/// Looks up one chain entry: `Family` or `Family:bold`.
fn find_face(db: &fontdb::Database, entry: &str) -> Option<fontdb::ID> {
    let (family, weight) = match entry.rsplit_once(':') {
        Some((f, "bold")) => (f, fontdb::Weight::BOLD),
        _ => (entry, fontdb::Weight::NORMAL),
    };
    let families = [fontdb::Family::Name(family)];
    let id = db.query(&fontdb::Query {
        families: &families,
        weight,
        ..Default::default()
    })?;
    // A bold request that only finds the regular face is not the face the
    // chain asked for; the next entry (usually the regular) covers it.
    let info = db.face(id)?;
    if weight == fontdb::Weight::BOLD && info.weight.0 < 600 {
        return None;
    }
    Some(id)
}

/// Font files mapped into memory, shared by the faces parsed from them.
///
/// A CJK collection (`.ttc`) is 20-30 MB. Mapping it keeps only the pages
/// a run touches (cmap, metrics, the used glyphs) in memory, and the faces
/// and renders share them.
#[derive(Default)]
struct FontFiles {
    mapped: BTreeMap<PathBuf, Arc<FontData>>,
}

/// A font file's bytes: mapped, or read when mapping fails.
enum FontData {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl FontData {
    fn bytes(&self) -> &[u8] {
        match self {
            FontData::Mapped(map) => map,
            FontData::Owned(bytes) => bytes,
        }
    }
}

impl FontFiles {
    fn bytes(&mut self, path: &Path) -> Option<Arc<FontData>> {
        if let Some(bytes) = self.mapped.get(path) {
            return Some(Arc::clone(bytes));
        }
        let bytes = Arc::new(map_file(path)?);
        self.mapped.insert(path.to_path_buf(), Arc::clone(&bytes));
        Some(bytes)
    }
}

fn map_file(path: &Path) -> Option<FontData> {
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: the mapping is read-only and fonts are installed files that
    // are not rewritten while a run lasts; fontdb maps them the same way
    // when it reads face data. A file truncated underneath us would fault,
    // as with any mapped font.
    match unsafe { memmap2::Mmap::map(&file) } {
        Ok(map) => Some(FontData::Mapped(map)),
        Err(_) => std::fs::read(path).ok().map(FontData::Owned),
    }
}

fn parse_face(
    db: &fontdb::Database,
    id: fontdb::ID,
    name: &str,
    files: &mut FontFiles,
) -> Option<Face> {
    let (source, index) = db.face_source(id)?;
    let data = match &source {
        fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => files.bytes(path)?,
        fontdb::Source::Binary(_) => Arc::new(FontData::Owned(
            db.with_face_data(id, |data, _| data.to_vec())?,
        )),
    };
    let face = ttf_parser::Face::parse(data.bytes(), index).ok()?;
    let units_per_em = face.units_per_em() as f32;
    if units_per_em <= 0.0 {
        return None;
    }
    let metrics = face_metrics(&face, name);
    Some(Face {
        name: name.to_string(),
        data,
        index,
        units_per_em,
        metrics,
        glyphs: OnceLock::new(),
    })
}

/// Keeps what a PDF font name may hold: printable ASCII without spaces
/// or delimiters.
fn pdf_name_chars(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c))
        .collect()
}

/// The descriptor values of a face, scaled to thousandths of an em.
fn face_metrics(face: &ttf_parser::Face, name: &str) -> FaceMetrics {
    let scale = 1000.0 / face.units_per_em() as f32;
    let bbox = face.global_bounding_box();
    let postscript_name = face
        .names()
        .into_iter()
        .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .and_then(|n| n.to_string())
        .map(|n| pdf_name_chars(&n))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| pdf_name_chars(name));
    let ascent = face.ascender() as f32 * scale;
    FaceMetrics {
        postscript_name,
        cff: face.tables().cff.is_some(),
        bbox: [
            bbox.x_min as f32 * scale,
            bbox.y_min as f32 * scale,
            bbox.x_max as f32 * scale,
            bbox.y_max as f32 * scale,
        ],
        ascent,
        descent: face.descender() as f32 * scale,
        cap_height: face.capital_height().map_or(ascent, |h| h as f32 * scale),
        italic_angle: face.italic_angle(),
        weight: face.weight().to_number(),
    }
}
