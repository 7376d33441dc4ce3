//! Integration tests: the real HTTP stack on a real PostgreSQL.
#![expect(
    clippy::expect_used,
    reason = "a test fails loudly; helpers outside #[test] functions expect too"
)]

mod access;
mod access_matrix;
mod assessment;
mod audit;
mod auth;
mod backup;
mod case_reviews;
mod comparisons;
mod contract;
mod end_to_end;
mod errors;
mod events;
mod export_documents;
mod export_limits;
mod exports;
mod focus_areas;
mod helpers;
mod idempotency;
mod imports;
mod indicators;
mod initiatives;
mod measurements;
mod operations;
mod organizations;
mod outage;
mod pdf_structure;
mod personal_data;
mod plans;
mod progress;
mod progress_notes;
mod receivers;
mod recommendations;
mod reminders;
mod reports;
mod revisions;
mod sample_documents;
mod sections;
mod shutdown;
mod status_reports;
mod task_force_documents;
mod tree;
mod webhooks;
mod workflow;
