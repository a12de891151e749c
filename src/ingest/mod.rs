//! Reading spreadsheets into rows with their cell positions.
//! Knows nothing of the domain's rules. (Filled in by the ingest work.)
