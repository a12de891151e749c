//! The `fucha` command. (Filled in by the CLI work.)
fn main() {}
