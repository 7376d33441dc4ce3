//! Integration tests: the real HTTP stack on a real PostgreSQL.

mod access;
mod audit;
mod auth;
mod backup;
mod comparisons;
mod contract;
mod end_to_end;
mod errors;
mod focus_areas;
mod helpers;
mod idempotency;
mod indicators;
mod initiatives;
mod measurements;
mod operations;
mod organizations;
mod outage;
mod personal_data;
mod plans;
mod progress;
mod progress_notes;
mod reports;
mod revisions;
mod status_reports;
mod tree;
mod workflow;
