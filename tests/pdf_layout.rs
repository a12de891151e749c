//! The PDF of a long document, checked on the output itself.

mod pdf_common;

use fucha::render::Renderer;
use pdf_common::*;

#[test]
fn smoke() {
    let bytes = renderer().render(&long_document()).unwrap();
    let path = save("long.pdf", &bytes);
    eprintln!("{} {} bytes", path.display(), bytes.len());
}
