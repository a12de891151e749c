//! PDF renderer. (Filled in by the pdf work.)
