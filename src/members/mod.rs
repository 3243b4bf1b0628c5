//! The members of the wire report ([`report`]) and of the KPI object
//! ([`kpis`]), with the positions and counter names taken from the families'
//! own constants.
//!
//! Only the renderer (`crate::render`) and the tests read these tables; the
//! engine's readers and writers are the families'. They sit beside the
//! schema, not in it, because they build on the families, which build on the
//! schema's event and configuration tables.

pub mod kpis;
pub mod report;
