//! DOCX renderer. (Filled in by the docx work.)
