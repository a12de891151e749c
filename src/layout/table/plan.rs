//! Column widths for the tables of both renderers.
//!
//! The PDF and the DOCX must show the same table, so the widths are planned
//! once, here, from text measured by character class (CJK one em, Latin and
//! digits half an em — what FandolFang, 仿宋 and Times New Roman give), not
//! from a particular face. The plan keeps short cells (复查合格, 岳阳县,
//! 2016) whole, then hands the rest of the type width out where it saves
//! the most lines, so the long column (单位名称) gets the room and a label
//! column is not wrapped into 省级文明单/位.

use super::super::geometry::EPS;
use super::super::linebreak::{break_opportunities, count_lines, min_content_width};
use super::super::text::{Glyph, is_latin};

/// Tables of this many columns or more (the county summary's nine, the
/// 整改情况一览表's seven with two date columns) are set in 五号: at 小四
/// their unit names would wrap three characters a line.
const WIDE_TABLE: usize = 7;

/// Cell text size (pt) of a table of `ncol` columns: 小四, or 五号 when wide.
pub fn cell_size(ncol: usize) -> f32 {
    if ncol >= WIDE_TABLE { 10.5 } else { 12.0 }
}

/// Line pitch inside cells (pt): one and a half times the text size
/// (18 pt for 小四), exact in the DOCX.
pub fn cell_pitch(ncol: usize) -> f32 {
    cell_size(ncol) * 1.5
}

/// Cells of at most this many characters are never wrapped.
const SHORT_CELL: usize = 4;
/// Width steps tried when growing a column, in pt.
const STEP: f32 = 3.0;
/// Room kept free in every cell beyond its text, in pt: word processors
/// round widths and glyph advances, and a cell planned to the hair would
/// wrap its last character there.
const SLACK: f32 = 1.5;

/// Text measured by character class at `size` pt.
pub fn estimated_glyphs(text: &str, size: f32) -> Vec<Glyph> {
    text.chars()
        .map(|ch| {
            let latin = is_latin(ch);
            let natural = if latin { 500 } else { 1000 };
            Glyph {
                ch,
                face: 0,
                gid: 0,
                natural,
                advance: natural as f32 / 1000.0 * size,
            }
        })
        .collect()
}

/// Adds a quarter em where Chinese meets digits or Latin. We ask word
/// processors not to space there (`w:autoSpaceDE`), but LibreOffice 7.4
/// spaces anyway, and a cell planned without that room would wrap
/// `2020年9月7日` there and not in the PDF.
fn with_script_gaps(mut glyphs: Vec<Glyph>, size: f32) -> Vec<Glyph> {
    for i in 1..glyphs.len() {
        let (a, b) = (glyphs[i - 1].ch, glyphs[i].ch);
        let cjk = |c: char| !is_latin(c) && !c.is_whitespace();
        let latin = |c: char| c.is_ascii_alphanumeric();
        if (cjk(a) && latin(b)) || (latin(a) && cjk(b)) {
            glyphs[i - 1].advance += size / 4.0;
        }
    }
    glyphs
}

/// A cell's text, measured once: the planner asks how many lines it takes
/// at many widths, on every row of tables of thousands of rows.
struct Cell {
    glyphs: Vec<Glyph>,
    /// Where a line may start ([`break_opportunities`]).
    allowed: Vec<bool>,
    /// Sum of the advances, added in order as the line breaker adds them.
    natural: f32,
}

impl Cell {
    fn new(glyphs: Vec<Glyph>) -> Cell {
        Cell {
            allowed: break_opportunities(&glyphs),
            natural: glyphs.iter().map(|g| g.advance).sum(),
            glyphs,
        }
    }
}

/// Widths (pt) of the columns of a table `total` pt wide whose text is set
/// at `size` pt with `pad` pt of padding on each side of a cell. `columns`
/// holds each column's cells, header first.
pub fn plan_columns(columns: &[Vec<&str>], size: f32, pad: f32, total: f32) -> Vec<f32> {
    let ncol = columns.len();
    if ncol == 0 {
        return Vec::new();
    }
    let cells: Vec<Vec<Cell>> = columns
        .iter()
        .map(|col| {
            col.iter()
                .map(|t| Cell::new(with_script_gaps(estimated_glyphs(t, size), size)))
                .collect()
        })
        .collect();
    let extra = 2.0 * pad + SLACK;
    let minimum: Vec<f32> = cells
        .iter()
        .map(|col| {
            let header = col
                .first()
                .map_or(0.0, |c| least_header_width(&c.glyphs, size));
            col.iter()
                .skip(1)
                .map(|c| least_width(&c.glyphs, size))
                .fold(header.max(2.0 * size), f32::max)
                + extra
        })
        .collect();
    let natural: Vec<f32> = cells
        .iter()
        .zip(&minimum)
        .map(|(col, min)| {
            col.iter()
                .map(|c| c.glyphs.iter().map(|g| g.advance).sum::<f32>() + extra)
                .fold(*min, f32::max)
        })
        .collect();
    let min_sum: f32 = minimum.iter().sum();
    if min_sum >= total {
        return minimum.iter().map(|m| m * total / min_sum).collect();
    }
    let nat_sum: f32 = natural.iter().sum();
    if nat_sum <= total {
        return natural.iter().map(|n| n * total / nat_sum).collect();
    }
    // Two starts, the better kept: from the minimum widths, and from the
    // widths that hold every cell in the fewest equal lines (a table whose
    // rows all wrap the same long 复查方式 text needs the latter, since no
    // single column can lower a row on its own).
    let mut widths = minimum.clone();
    grow_where_lines_are_saved(&cells, &mut widths, &natural, extra, total);
    trade_width_between_columns(&cells, &mut widths, &minimum, &natural, extra, total);
    if let Some(mut even) = even_height_start(&cells, &minimum, &natural, extra, total) {
        grow_where_lines_are_saved(&cells, &mut even, &natural, extra, total);
        trade_width_between_columns(&cells, &mut even, &minimum, &natural, extra, total);
        if table_lines(&cells, &even, extra) < table_lines(&cells, &widths, extra) {
            widths = even;
        }
    }
    // What is left goes to the columns that still wrap, by how much more
    // they would like; a column already at its natural width keeps it.
    let used: f32 = widths.iter().sum();
    let wants: Vec<f32> = natural
        .iter()
        .zip(&widths)
        .map(|(n, w)| (n - w).max(0.0))
        .collect();
    let want_sum: f32 = wants.iter().sum();
    if want_sum > 0.0 {
        for (w, want) in widths.iter_mut().zip(&wants) {
            *w += (total - used) * want / want_sum;
        }
    } else {
        for w in widths.iter_mut() {
            *w *= total / used;
        }
    }
    widths
}

/// The narrowest a cell may be: short cells and unbreakable pieces whole.
fn least_width(glyphs: &[Glyph], size: f32) -> f32 {
    let chars = glyphs.iter().filter(|g| !g.is_space()).count();
    if chars <= SHORT_CELL {
        glyphs.iter().map(|g| g.advance).sum()
    } else {
        min_content_width(glyphs).max(size)
    }
}

/// The narrowest a header may be: two lines of equal length (命名/年度),
/// since a two-line header costs one line a page and a wide label column
/// would cost one on every row.
fn least_header_width(glyphs: &[Glyph], size: f32) -> f32 {
    let total: f32 = glyphs.iter().map(|g| g.advance).sum();
    let half = ((total / 2.0 / size) - 1e-3).ceil() * size;
    half.max(min_content_width(glyphs))
}

/// Lines of a cell in a column `width` wide: what `break_lines` would give.
fn cell_lines(cell: &Cell, width: f32, extra: f32) -> usize {
    if cell.glyphs.is_empty() {
        return 1;
    }
    let available = width - extra;
    // Every running sum of the advances is at most the whole sum, so a cell
    // whose text fits never overflows: one line, as the breaker would find.
    if cell.natural <= available + EPS {
        return 1;
    }
    count_lines(&cell.glyphs, &cell.allowed, available).max(1)
}

/// Greedy: repeatedly widen the column whose next useful step saves the
/// most table lines per point, until the type width is used up or no
/// column can save a line. Every row counts, the header once.
fn grow_where_lines_are_saved(
    cells: &[Vec<Cell>],
    widths: &mut [f32],
    natural: &[f32],
    extra: f32,
    total: f32,
) {
    let ncol = cells.len();
    let nrow = cells.iter().map(Vec::len).max().unwrap_or(0);
    let lines_at = |c: usize, w: f32| -> Vec<usize> {
        (0..nrow)
            .map(|r| cells[c].get(r).map_or(1, |g| cell_lines(g, w, extra)))
            .collect()
    };
    let mut lines: Vec<Vec<usize>> = (0..ncol).map(|c| lines_at(c, widths[c])).collect();
    loop {
        let room = total - widths.iter().sum::<f32>();
        let mut best: Option<(f32, usize, f32, Vec<usize>)> = None;
        for c in 0..ncol {
            let others: Vec<usize> = (0..nrow)
                .map(|r| {
                    (0..ncol)
                        .filter(|&o| o != c)
                        .map(|o| lines[o][r])
                        .max()
                        .unwrap_or(1)
                })
                .collect();
            let now: usize = (0..nrow).map(|r| others[r].max(lines[c][r])).sum();
            let mut w = widths[c];
            while w < natural[c] && w - widths[c] < room {
                w = (w + STEP).min(natural[c]);
                if w - widths[c] > room + 1e-3 {
                    break;
                }
                let trial = lines_at(c, w);
                let after: usize = (0..nrow).map(|r| others[r].max(trial[r])).sum();
                if after < now {
                    let gain = (now - after) as f32 / (w - widths[c]);
                    if best.as_ref().is_none_or(|b| gain > b.0) {
                        best = Some((gain, c, w, trial));
                    }
                    break;
                }
            }
        }
        match best {
            Some((_, c, w, trial)) => {
                widths[c] = w;
                lines[c] = trial;
            }
            None => return,
        }
    }
}

/// The narrowest widths at which no cell takes more than `h` lines, for the
/// smallest `h` whose widths fit in `total`.
fn even_height_start(
    cells: &[Vec<Cell>],
    minimum: &[f32],
    natural: &[f32],
    extra: f32,
    total: f32,
) -> Option<Vec<f32>> {
    let tallest = cells
        .iter()
        .zip(minimum)
        .flat_map(|(col, m)| col.iter().map(move |g| cell_lines(g, *m, extra)))
        .max()
        .unwrap_or(1);
    (1..=tallest).find_map(|h| {
        let widths: Vec<f32> = cells
            .iter()
            .enumerate()
            .map(|(c, col)| {
                // Binary search: lines only fall as the column widens.
                let (mut lo, mut hi) = (minimum[c], natural[c].max(minimum[c]));
                if col.iter().all(|g| cell_lines(g, lo, extra) <= h) {
                    return lo;
                }
                for _ in 0..24 {
                    let mid = (lo + hi) / 2.0;
                    if col.iter().all(|g| cell_lines(g, mid, extra) <= h) {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                hi
            })
            .collect();
        (widths.iter().sum::<f32>() <= total).then_some(widths)
    })
}

/// Total table lines with these widths.
fn table_lines(cells: &[Vec<Cell>], widths: &[f32], extra: f32) -> usize {
    let nrow = cells.iter().map(Vec::len).max().unwrap_or(0);
    (0..nrow)
        .map(|r| {
            cells
                .iter()
                .zip(widths)
                .map(|(col, w)| col.get(r).map_or(1, |g| cell_lines(g, *w, extra)))
                .max()
                .unwrap_or(1)
        })
        .sum()
}

/// The greedy step is short-sighted: the name column saves a line or two
/// with every few points, while 荣誉类别 needs two whole characters before
/// its 省级文明标兵单位 rows stop wrapping. So, with the room given out, try
/// moving width from one column to another (after widening by what is left)
/// and keep any move that saves lines.
fn trade_width_between_columns(
    cells: &[Vec<Cell>],
    widths: &mut [f32],
    minimum: &[f32],
    natural: &[f32],
    extra: f32,
    total: f32,
) {
    let ncol = cells.len();
    let mut best = table_lines(cells, widths, extra);
    for _round in 0..8 {
        let mut improved = false;
        for b in 0..ncol {
            let mut target = widths[b];
            for _ in 0..4 {
                // The next width at which column b saves lines on its own.
                let before: Vec<usize> = cells[b]
                    .iter()
                    .map(|g| cell_lines(g, target, extra))
                    .collect();
                let mut w = target;
                while w < natural[b] {
                    w = (w + STEP).min(natural[b]);
                    if cells[b]
                        .iter()
                        .zip(&before)
                        .any(|(g, n)| cell_lines(g, w, extra) < *n)
                    {
                        break;
                    }
                }
                if w <= target {
                    break;
                }
                target = w;
                let spare = (total - widths.iter().sum::<f32>()).max(0.0);
                let need = (target - widths[b] - spare).max(0.0);
                for a in (0..ncol).filter(|&a| a != b) {
                    if widths[a] - need < minimum[a] - 1e-3 {
                        continue;
                    }
                    let mut trial = widths.to_vec();
                    trial[b] = target;
                    trial[a] -= need;
                    let lines = table_lines(cells, &trial, extra);
                    if lines < best {
                        best = lines;
                        widths.copy_from_slice(&trial);
                        improved = true;
                    }
                }
            }
        }
        if !improved {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result_table() -> Vec<Vec<&'static str>> {
        vec![
            vec!["序号", "1", "2", "111"],
            vec![
                "单位名称",
                "国家税务总局岳阳经济技术开发区税务局",
                "中共岳阳市纪律检查委员会（监察委员会）",
                "岳阳市气象局",
            ],
            vec![
                "荣誉类别",
                "省级文明标兵单位",
                "全国文明单位",
                "省级文明单位",
            ],
            vec!["命名年度", "2016", "2018", "2014"],
            vec!["所属县市区", "岳阳经济技术开发区", "市直", "屈原管理区"],
            vec!["复查结论", "撤销荣誉称号", "复查合格", "限期整改"],
        ]
    }

    #[test]
    fn widths_fill_the_type_width() {
        let w = plan_columns(&result_table(), 12.0, 4.25, 442.2);
        assert!((w.iter().sum::<f32>() - 442.2).abs() < 0.01);
    }

    #[test]
    fn the_name_column_gets_the_room_and_short_labels_stay_whole() {
        let cols = result_table();
        let w = plan_columns(&cols, 12.0, 4.25, 442.2);
        let widest = (0..w.len()).max_by(|&a, &b| w[a].total_cmp(&w[b])).unwrap();
        assert_eq!(widest, 1, "{w:?}");
        // 复查合格 and the years never wrap (a header may: 命名/年度).
        let extra = 2.0 * 4.25 + SLACK;
        for (c, col) in cols.iter().enumerate() {
            let data = col.iter().skip(1);
            for text in data.filter(|t| t.chars().count() <= SHORT_CELL) {
                assert_eq!(
                    cell_lines(&Cell::new(estimated_glyphs(text, 12.0)), w[c], extra),
                    1
                );
            }
        }
        // A unit name takes at most two lines.
        for name in &cols[1] {
            assert!(cell_lines(&Cell::new(estimated_glyphs(name, 12.0)), w[1], extra) <= 2);
        }
    }

    #[test]
    fn a_table_that_fits_is_stretched_in_proportion() {
        let cols = vec![vec!["序号", "1"], vec!["名称", "岳阳市气象局"]];
        let w = plan_columns(&cols, 12.0, 4.25, 442.2);
        assert!(w[1] > w[0]);
        assert!((w.iter().sum::<f32>() - 442.2).abs() < 0.01);
    }
}
