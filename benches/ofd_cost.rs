//! What an OFD costs against the PDF of the same document (issue #16):
//! every composed document of a campaign rendered once as PDF and once as
//! OFD, one thread, each renderer laying the document out itself, three
//! rounds; process CPU time beside the clock, as the machine is shared.
//!
//! `cargo bench --bench ofd_cost` synthesizes L (seed 1) into a temporary
//! folder; `FUCHA_OFD_BENCH=<folder with fucha.toml>` measures that
//! campaign instead. Figures in `bench/README.md`.

use fucha::compose::Templates;
use fucha::pipeline::{self, Context, NoProgress};
use fucha::render::Formats;
use fucha::synth::{Size, write_campaign};
use std::path::PathBuf;

/// The process's CPU time so far, in seconds.
fn cpu_seconds() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

fn main() -> Result<(), String> {
    let temp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let config = match std::env::var_os("FUCHA_OFD_BENCH") {
        Some(folder) => PathBuf::from(folder).join("fucha.toml"),
        None => {
            let dir = temp.path().join("L");
            write_campaign(&Size::L.spec(1), &dir)
                .map_err(|e| e.to_string())?
                .config
        }
    };
    let (context, batch) =
        Context::load_and_check(&config, None, &[]).map_err(|e| e.to_string())?;
    let templates = Templates::load(None).map_err(|e| e.to_string())?;
    let set =
        pipeline::documents(&context, &batch, &templates, true, 2).map_err(|e| e.to_string())?;
    let formats = Formats::default_set();
    for round in 0..3 {
        for name in ["pdf", "ofd"] {
            let made = formats.renderers(&[name], &context.campaign.fonts);
            let (start, cpu) = (std::time::Instant::now(), cpu_seconds());
            let files = pipeline::render_all(&set.documents, &made.as_refs(), 1, &NoProgress)
                .map_err(|e| e.to_string())?;
            let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
            println!(
                "round {round} {name}: {} documents, {:.2} s CPU, {:.2} s wall, {bytes} bytes",
                files.len(),
                cpu_seconds() - cpu,
                start.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}
