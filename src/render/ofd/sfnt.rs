//! The two tables an OFD reader needs that a PDF subset lacks, and the
//! font file put back together with them.
//!
//! subsetter cuts a face down to the glyphs shown (the same code as the
//! PDF's, and most of the work) but keeps no `cmap` and no `OS/2`, which a
//! PDF does not use. An OFD `TextCode` holds characters, so the reader needs
//! the `cmap`; this module writes one from the characters the document
//! shows (every glyph is reached by the character the layout drew it for),
//! copies the face's `OS/2` unchanged, and rebuilds the table directory and
//! checksums (OpenType, "The Table Directory", "head").

/// Appends a big-endian u16.
fn u16be(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

/// Appends a big-endian u32.
fn u32be(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_be_bytes());
}

/// A `cmap` table mapping `chars` (sorted by character, each with its glyph
/// id in the subset): a Windows Unicode BMP subtable (format 4), and a full
/// Unicode one (format 12) when a character lies beyond the BMP.
pub(crate) fn cmap(chars: &[(char, u16)]) -> Vec<u8> {
    let bmp: Vec<(u16, u16)> = chars
        .iter()
        .filter_map(|&(c, g)| {
            u16::try_from(c as u32)
                .ok()
                .filter(|&c| c != 0xFFFF)
                .map(|c| (c, g))
        })
        .collect();
    let beyond = bmp.len() < chars.len();
    let format4 = format4(&bmp);
    let mut out = Vec::new();
    let subtables: u16 = if beyond { 2 } else { 1 };
    u16be(&mut out, 0);
    u16be(&mut out, subtables);
    let first = 4 + 8 * u32::from(subtables);
    u16be(&mut out, 3);
    u16be(&mut out, 1);
    u32be(&mut out, first);
    if beyond {
        u16be(&mut out, 3);
        u16be(&mut out, 10);
        u32be(&mut out, first + format4.len() as u32);
    }
    out.extend_from_slice(&format4);
    if beyond {
        out.extend_from_slice(&format12(chars));
    }
    out
}

/// Format 4: a segment per run of consecutive characters whose glyph ids
/// are consecutive too, then the closing 0xFFFF segment.
fn format4(chars: &[(u16, u16)]) -> Vec<u8> {
    let mut segments: Vec<(u16, u16, u16)> = Vec::new(); // start, end, delta
    for &(c, g) in chars {
        let delta = g.wrapping_sub(c);
        match segments.last_mut() {
            Some((_, end, d)) if *end + 1 == c && *d == delta => *end = c,
            _ => segments.push((c, c, delta)),
        }
    }
    segments.push((0xFFFF, 0xFFFF, 1));
    let count = segments.len() as u16;
    let log = 15 - count.leading_zeros() as u16;
    let search = 2 * (1u16 << log);
    let mut out = Vec::with_capacity(16 + 8 * segments.len());
    u16be(&mut out, 4);
    u16be(&mut out, (16 + 8 * segments.len()) as u16);
    u16be(&mut out, 0);
    u16be(&mut out, count * 2);
    u16be(&mut out, search);
    u16be(&mut out, log);
    u16be(&mut out, count * 2 - search);
    segments.iter().for_each(|s| u16be(&mut out, s.1));
    u16be(&mut out, 0);
    segments.iter().for_each(|s| u16be(&mut out, s.0));
    segments.iter().for_each(|s| u16be(&mut out, s.2));
    segments.iter().for_each(|_| u16be(&mut out, 0));
    out
}

/// Format 12: a group per run of consecutive characters and glyph ids.
fn format12(chars: &[(char, u16)]) -> Vec<u8> {
    let mut groups: Vec<(u32, u32, u32)> = Vec::new(); // start, end, first glyph
    for &(c, g) in chars {
        let (c, g) = (c as u32, u32::from(g));
        match groups.last_mut() {
            Some((start, end, first)) if *end + 1 == c && *first + (c - *start) == g => *end = c,
            _ => groups.push((c, c, g)),
        }
    }
    let mut out = Vec::with_capacity(16 + 12 * groups.len());
    u16be(&mut out, 12);
    u16be(&mut out, 0);
    u32be(&mut out, (16 + 12 * groups.len()) as u32);
    u32be(&mut out, 0);
    u32be(&mut out, groups.len() as u32);
    for (start, end, first) in groups {
        u32be(&mut out, start);
        u32be(&mut out, end);
        u32be(&mut out, first);
    }
    out
}

/// The tables of an sfnt file, by tag, as slices of it.
fn tables(font: &[u8]) -> Option<Vec<([u8; 4], &[u8])>> {
    let count = usize::from(u16::from_be_bytes(font.get(4..6)?.try_into().ok()?));
    (0..count)
        .map(|i| {
            let record = font.get(12 + 16 * i..28 + 16 * i)?;
            let tag: [u8; 4] = record[0..4].try_into().ok()?;
            let offset = u32::from_be_bytes(record[8..12].try_into().ok()?) as usize;
            let length = u32::from_be_bytes(record[12..16].try_into().ok()?) as usize;
            Some((tag, font.get(offset..offset.checked_add(length)?)?))
        })
        .collect()
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// `font` (an sfnt file) with `extra` tables added or replacing its own,
/// its directory sorted by tag and every checksum recomputed.
pub(crate) fn with_tables(font: &[u8], extra: &[([u8; 4], &[u8])]) -> Option<Vec<u8>> {
    let mut all = tables(font)?;
    all.retain(|(tag, _)| !extra.iter().any(|(t, _)| t == tag));
    all.extend_from_slice(extra);
    all.sort_by_key(|(tag, _)| *tag);
    let count = all.len() as u16;
    let log = 15 - count.leading_zeros() as u16;
    let search = 16 * (1u16 << log);
    let mut out =
        Vec::with_capacity(font.len() + extra.iter().map(|t| t.1.len() + 4).sum::<usize>());
    out.extend_from_slice(font.get(0..4)?);
    for v in [count, search, log, count * 16 - search] {
        u16be(&mut out, v);
    }
    let mut offset = 12 + 16 * all.len();
    let mut head_at = None;
    for (tag, data) in &all {
        out.extend_from_slice(tag);
        let sum = if tag == b"head" && data.len() >= 12 {
            head_at = Some(offset);
            let mut head = data.to_vec();
            head[8..12].fill(0);
            checksum(&head)
        } else {
            checksum(data)
        };
        u32be(&mut out, sum);
        u32be(&mut out, offset as u32);
        u32be(&mut out, data.len() as u32);
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &all {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        out[at + 8..at + 12].fill(0);
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_cmap_maps_what_it_was_given() {
        let chars = [
            ('0', 1),
            ('1', 2),
            ('2', 3),
            ('岳', 4),
            ('阳', 7),
            ('𠀀', 9),
        ];
        let table = cmap(&chars);
        let cmap = ttf_parser::cmap::Table::parse(&table).unwrap();
        let lookup = |c: char| {
            cmap.subtables
                .into_iter()
                .find_map(|s| s.glyph_index(c as u32))
                .map(|g| g.0)
        };
        for (c, g) in chars {
            assert_eq!(lookup(c), Some(g), "{c}");
        }
        assert_eq!(lookup('3'), None);
    }
}
