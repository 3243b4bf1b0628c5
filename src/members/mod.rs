//! The members of the wire report ([`report`]) and of the KPI object
//! ([`kpis`]), with the positions and counter names taken from the families'
//! own constants, and the report layout's fingerprint ([`layout`]).
//!
//! The renderer (`crate::render`) and the tests read these tables, and the
//! saved state's version carries their fingerprint; the engine's readers
//! and writers are the families'. They sit beside the
//! schema, not in it, because they build on the families, which build on the
//! schema's event and configuration tables.

pub mod kpis;
pub mod layout;
pub mod report;
