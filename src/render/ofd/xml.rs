//! The small pieces of OFD syntax: millimetres written the same way every
//! time and `DeltaX` lists in their shortest form; text is escaped by
//! [`crate::render::xml`], as for DOCX.
//!
//! Lengths are written in whole micrometres (three decimals of a
//! millimetre, trailing zeros dropped): a thousand times finer than any
//! tolerance of GB/T 9704, and the same float always gives the same text.

use crate::layout::geometry::MM;

pub(crate) use crate::render::xml::push_escaped;

/// The OFD namespace, with the literal `ofd:` prefix some readers expect.
pub(crate) const NS: &str = "http://www.ofdspec.org/2016";

/// The XML declaration every part starts with.
pub(crate) const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

/// A length in pt as whole micrometres.
pub(crate) fn micrometres(pt: f32) -> i64 {
    (f64::from(pt) / f64::from(MM) * 1000.0).round() as i64
}

/// Appends the decimal digits of `v`, at least `width` of them (zeros in
/// front). By hand: `write!` costs more than the rest of a text object.
pub(crate) fn push_uint(out: &mut String, mut v: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    while v > 0 || at == digits.len() {
        at -= 1;
        digits[at] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    at = at.min(digits.len() - width.min(digits.len()));
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or("0"));
}

/// Appends whole micrometres as millimetres: `5571` → `5.571`, `210000`
/// → `210`, `-500` → `-0.5`.
pub(crate) fn push_mm(out: &mut String, um: i64) {
    if um < 0 {
        out.push('-');
    }
    let um = um.unsigned_abs();
    let (whole, mut frac) = (um / 1000, um % 1000);
    push_uint(out, whole, 1);
    if frac == 0 {
        return;
    }
    let mut digits = 3;
    while frac % 10 == 0 {
        frac /= 10;
        digits -= 1;
    }
    out.push('.');
    push_uint(out, frac, digits);
}

/// Appends a `DeltaX` list of micrometre steps, writing a run of equal
/// steps as `g n v` wherever that is shorter than repeating the value.
pub(crate) fn push_deltas(out: &mut String, deltas: &[i64]) {
    let mut value = String::new();
    let mut first = true;
    for run in deltas.chunk_by(|a, b| a == b) {
        value.clear();
        push_mm(&mut value, run[0]);
        let n = run.len();
        // Plain: n values and n-1 spaces; grouped: "g", the count, the value.
        let plain = n * (value.len() + 1) - 1;
        let grouped = 2 + digits(n) + 1 + value.len();
        if !first {
            out.push(' ');
        }
        first = false;
        if grouped < plain {
            out.push_str("g ");
            push_uint(out, n as u64, 1);
            out.push(' ');
            out.push_str(&value);
        } else {
            for k in 0..n {
                if k > 0 {
                    out.push(' ');
                }
                out.push_str(&value);
            }
        }
    }
}

fn digits(n: usize) -> usize {
    n.checked_ilog10().unwrap_or(0) as usize + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deltas(d: &[i64]) -> String {
        let mut out = String::new();
        push_deltas(&mut out, d);
        out
    }

    #[test]
    fn millimetres_drop_trailing_zeros() {
        let cases = [
            (5571, "5.571"),
            (210_000, "210"),
            (-500, "-0.5"),
            (50, "0.05"),
            (0, "0"),
        ];
        for (um, text) in cases {
            let mut out = String::new();
            push_mm(&mut out, um);
            assert_eq!(out, text);
        }
        assert_eq!(micrometres(16.0), 5644);
    }

    #[test]
    fn equal_steps_are_grouped_only_where_shorter() {
        assert_eq!(deltas(&[5571, 5571, 5571, 2800]), "g 3 5.571 2.8");
        assert_eq!(deltas(&[5571, 5571]), "g 2 5.571");
        assert_eq!(deltas(&[1000, 1000]), "1 1");
        assert_eq!(deltas(&[1000, 1000, 1000]), "1 1 1");
        assert_eq!(deltas(&[1000, 1000, 1000, 1000]), "g 4 1");
        assert_eq!(deltas(&[2000; 12]), "g 12 2");
        assert_eq!(deltas(&[]), "");
    }

    #[test]
    fn digits_are_padded_to_the_width_asked() {
        let cases = [
            (0, 1, "0"),
            (7, 1, "7"),
            (5, 3, "005"),
            (1234, 2, "1234"),
            (40, 3, "040"),
        ];
        for (v, width, text) in cases {
            let mut out = String::new();
            push_uint(&mut out, v, width);
            assert_eq!(out, text);
        }
    }

    #[test]
    fn markup_is_escaped_and_control_characters_dropped() {
        let mut out = String::new();
        push_escaped(&mut out, "A&B<c>\"'\u{1}岳");
        assert_eq!(out, "A&amp;B&lt;c&gt;&quot;&apos;岳");
    }
}
