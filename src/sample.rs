//! The city's spot-check (随机抽查): a reproducible random draw of
//! county-reviewed units, and the 随机抽查名单 document that records how it
//! was drawn so that anyone can repeat it.
//!
//! Why this exact method: the draw must come out the same on every machine
//! and with every future version of the program, and must be checkable with
//! any standard ChaCha20 implementation. So:
//!
//! 1. Candidates are the units with an accepted result whose jurisdiction is
//!    not 市直 (the city reviews those itself), sorted by jurisdiction and then
//!    unit name in Unicode code-point order, numbered from 1.
//! 2. The random stream is ChaCha20 (RFC 8439 block function, 20 rounds)
//!    with the 32-byte key = the seed as 8 little-endian bytes followed by 24
//!    zero bytes, nonce 0, block counter from 0; 64-bit numbers are read as
//!    little-endian from the key stream.
//! 3. A partial Fisher–Yates shuffle: for i = 0, 1, …, k−1, draw r uniform in
//!    [0, n−i) and swap positions i and i+r. A 64-bit number x is used only
//!    when x < 2^64 − (2^64 mod (n−i)), and then r = x mod (n−i); otherwise
//!    the next number is drawn (no modulo bias). Positions 0..k are the draw.

use crate::review::{HonourLevel, Outcome, ReviewResult};
use crate::roster::Roster;
use chacha20::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use serde::Serialize;

/// The jurisdiction whose units the city reviews itself: never drawn.
pub const CITY_LEVEL: &str = "市直";

/// The method, in words, as recorded in the document.
pub const METHOD: &str = "候选单位为除市直以外、已报送复查结果的单位，按所属县市区、单位名称的 Unicode 码位顺序排序并自1起编号；\
以 ChaCha20 算法（RFC 8439，20轮）生成随机数，密钥为种子的8字节小端序表示后补24个零字节，nonce 为0，块计数从0开始，\
每次取密钥流中8个字节按小端序组成一个64位无符号整数；\
按部分 Fisher–Yates 洗牌法依次抽取：第i次（i从0起）在剩余n−i个候选中取随机数x，若x小于2^64减去2^64除以(n−i)的余数则取r = x mod (n−i)，否则舍弃重取，将第i位与第i+r位交换，前k位即为抽中单位。";

/// One drawn unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampledUnit {
    /// 1-based position in the draw.
    pub order: usize,
    /// 1-based position in the sorted candidate list (for verification).
    pub candidate_no: usize,
    /// The roster name.
    pub unit: String,
    /// The reporting body that reviewed it.
    pub jurisdiction: String,
    /// The honour.
    pub level: HonourLevel,
    /// The award year.
    pub award_year: i32,
    /// The county's conclusion.
    pub outcome: Outcome,
}

/// The full record of one draw.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleDraw {
    /// The seed given.
    pub seed: u64,
    /// How many candidates there were.
    pub candidates: usize,
    /// How many were asked for.
    pub requested: usize,
    /// The drawn units, in draw order.
    pub picks: Vec<SampledUnit>,
}

/// The candidates in canonical order: county-reviewed roster units with a result.
pub(crate) fn candidates<'a>(
    roster: &Roster,
    results: &'a [ReviewResult],
) -> Vec<&'a ReviewResult> {
    let mut out: Vec<&ReviewResult> = results
        .iter()
        .filter(|r| r.jurisdiction != CITY_LEVEL)
        .filter(|r| roster.units().iter().any(|u| u.name == r.unit))
        .collect();
    out.sort_by(|a, b| (&a.jurisdiction, &a.unit).cmp(&(&b.jurisdiction, &b.unit)));
    out.dedup_by(|a, b| a.unit == b.unit);
    out
}

/// The random stream of a seed (see the module docs).
fn stream(seed: u64) -> ChaCha20Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    ChaCha20Rng::from_seed(key)
}

/// A uniform number in `[0, bound)` without modulo bias; `bound > 0`.
fn uniform(rng: &mut ChaCha20Rng, bound: u64) -> u64 {
    // 2^64 mod bound, computed without overflow.
    let rejected = (u64::MAX - bound + 1) % bound;
    loop {
        let x = rng.next_u64();
        if rejected == 0 || x < u64::MAX - rejected + 1 {
            return x % bound;
        }
    }
}

/// Draws `count` county-reviewed units (all of them when fewer), the same
/// on every machine for the same roster, results and seed.
pub fn draw(
    roster: &Roster,
    results: &[ReviewResult],
    count: usize,
    seed: u64,
) -> Vec<SampledUnit> {
    draw_record(roster, results, count, seed).picks
}

/// [`draw`] with the record the document needs (seed, candidate count).
pub fn draw_record(
    roster: &Roster,
    results: &[ReviewResult],
    count: usize,
    seed: u64,
) -> SampleDraw {
    let pool = candidates(roster, results);
    let n = pool.len();
    let k = count.min(n);
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = stream(seed);
    for i in 0..k {
        let r = uniform(&mut rng, (n - i) as u64) as usize;
        order.swap(i, i + r);
    }
    let picks = order[..k]
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let r = pool[c];
            SampledUnit {
                order: i + 1,
                candidate_no: c + 1,
                unit: r.unit.clone(),
                jurisdiction: r.jurisdiction.clone(),
                level: r.level,
                award_year: r.award_year,
                outcome: r.outcome,
            }
        })
        .collect();
    SampleDraw {
        seed,
        candidates: n,
        requested: count,
        picks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_standard_chacha20_with_the_seed_as_key() {
        // RFC 8439 / draft-agl test vector: all-zero key and nonce, block 0,
        // key stream starts 76 b8 e0 ad a0 f1 3d 90.
        let mut rng = stream(0);
        assert_eq!(
            rng.next_u64(),
            u64::from_le_bytes([0x76, 0xb8, 0xe0, 0xad, 0xa0, 0xf1, 0x3d, 0x90])
        );
    }

    #[test]
    fn uniform_stays_in_range_including_awkward_bounds() {
        let mut rng = stream(7);
        for bound in [1u64, 2, 3, 7, 1 << 63, u64::MAX] {
            for _ in 0..50 {
                assert!(uniform(&mut rng, bound) < bound);
            }
        }
    }
}
