//! The stages run end to end for the CLI. (Filled in by the pipeline work.)
