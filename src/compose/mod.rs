//! Templates → document model. (Filled in by the compose work.)
