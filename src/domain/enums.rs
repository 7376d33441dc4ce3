//! The closed vocabularies of the domain. Each is stored as text and guarded by
//! a CHECK constraint with the same values.

use crate::error::{FieldCode, Refusal};

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:tt),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
                 diesel::expression::AsExpression, diesel::deserialize::FromSqlRow, utoipa::ToSchema)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The value as it appears in JSON and in the database.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok(Self::$variant),)+
                    other => Err(format!("unknown {} `{other}`", stringify!($name))),
                }
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(self.as_str(), out)
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn from_sql(bytes: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = <String as diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg>>::from_sql(bytes)?;
                text.parse().map_err(Into::into)
            }
        }
    };
}

text_enum!(
    /// What kind of organization owns plans or works on them.
    OrganizationKind {
        /// A Danish municipality (kommune); has a three-digit municipality code.
        Municipality = "municipality",
        /// The national Task Force (Socialstyrelsen + Ankestyrelsen).
        TaskForce = "task_force",
    }
);

text_enum!(
    /// Where a development plan is in the Task Force process.
    PlanStatus {
        /// Being written.
        Draft = "draft",
        /// Handed to the Task Force for review.
        Submitted = "submitted",
        /// Approved by a Task Force consultant.
        Approved = "approved",
        /// Adopted by the political committee.
        Adopted = "adopted",
        /// In its development phase.
        Active = "active",
        /// Finished with a final status report.
        Closed = "closed",
    }
);

text_enum!(
    /// Where an initiative stands.
    InitiativeStatus {
        /// Not started.
        Planned = "planned",
        /// Under way.
        InProgress = "in_progress",
        /// Finished.
        Done = "done",
        /// Stopped by something outside the initiative.
        Blocked = "blocked",
        /// Dropped.
        Cancelled = "cancelled",
    }
);

text_enum!(
    /// What an indicator's values count.
    Unit {
        /// A share, 0–100.
        Percent = "percent",
        /// A number of things (cases, children); never negative.
        Count = "count",
        /// A number of days.
        Days = "days",
        /// A ratio such as cases per social worker.
        Ratio = "ratio",
    }
);

text_enum!(
    /// Which way an indicator should move.
    Direction {
        /// Higher values are better.
        Increase = "increase",
        /// Lower values are better.
        Decrease = "decrease",
    }
);

text_enum!(
    /// How often an indicator is measured.
    Frequency {
        /// Every month.
        Monthly = "monthly",
        /// Every quarter.
        Quarterly = "quarterly",
        /// Every year.
        Yearly = "yearly",
        /// When needed.
        AdHoc = "ad_hoc",
    }
);

text_enum!(
    /// The law an indicator's series follows, so series across the 1 January 2024
    /// change from Serviceloven to Barnets Lov are never mixed silently.
    LegalRegime {
        /// Serviceloven (children's chapter, before 2024).
        Serviceloven = "serviceloven",
        /// Barnets Lov (from 1 January 2024).
        BarnetsLov = "barnets_lov",
    }
);

text_enum!(
    /// Whether a status report may still change.
    ReportState {
        /// Being written; may change.
        Draft = "draft",
        /// Shown to politicians; frozen.
        Published = "published",
    }
);

text_enum!(
    /// What a recommendation of the Task Force's analysis is about: the Task
    /// Force's four benchmarks, then the themes of the plans' focus areas.
    Theme {
        /// Professional investigation (faglig udredning).
        FagligUdredning = "faglig_udredning",
        /// Choosing the intervention (valg af indsats).
        ValgAfIndsats = "valg_af_indsats",
        /// Follow-up (opfølgning).
        Opfoelgning = "opfoelgning",
        /// Involving the child and family (inddragelse).
        Inddragelse = "inddragelse",
        /// Professional management and leadership (styring og ledelse).
        StyringOgLedelse = "styring_og_ledelse",
        /// Working across professions (tværfagligt).
        Tvaerfagligt = "tvaerfagligt",
        /// Prevention (forebyggelse).
        Forebyggelse = "forebyggelse",
        /// Notifications (underretning).
        Underretning = "underretning",
    }
);

text_enum!(
    /// How a recommendation is doing: rolled up from what answers it with the
    /// rules of a focus area, or `unaddressed` when no initiative or indicator does.
    RecommendationStatus {
        /// No initiative or indicator answers it.
        Unaddressed = "unaddressed",
        /// Data, but no target to judge it against.
        NoTarget = "no_target",
        /// Nothing measured and nothing due yet.
        NoData = "no_data",
        /// On track.
        Green = "green",
        /// Behind, but within reach.
        Amber = "amber",
        /// A period ended without a value.
        Stale = "stale",
        /// Well behind.
        Red = "red",
    }
);

impl From<Health> for RecommendationStatus {
    fn from(health: Health) -> Self {
        match health {
            Health::NoTarget => Self::NoTarget,
            Health::NoData => Self::NoData,
            Health::Green => Self::Green,
            Health::Amber => Self::Amber,
            Health::Stale => Self::Stale,
            Health::Red => Self::Red,
        }
    }
}

text_enum!(
    /// Who reviewed a sample of cases.
    ReviewKind {
        /// Ankestyrelsen's legal case review, for the Task Force.
        Legal = "legal",
        /// Socialstyrelsen's social-work case review, for the Task Force.
        SocialWork = "social_work",
        /// The municipality's own sample.
        SelfReview = "self_review",
    }
);

impl ReviewKind {
    /// Whether the Task Force makes (and alone records) this kind of review.
    pub fn is_task_force(self) -> bool {
        matches!(self, Self::Legal | Self::SocialWork)
    }
}

text_enum!(
    /// Where in the Task Force process a case review was made.
    ReviewPhase {
        /// At the start, with the analysis.
        Baseline = "baseline",
        /// Along the way.
        FollowUp = "follow_up",
        /// At the end, for the final status report.
        Final = "final",
    }
);

text_enum!(
    /// A user's role in one organization.
    Role {
        /// A Task Force member: reads and writes the plans of the municipalities assigned.
        Consultant = "consultant",
        /// Municipal staff: reads and writes their own municipality's plans.
        Editor = "editor",
        /// A committee member: reads their own municipality's plans and reports.
        Viewer = "viewer",
    }
);

text_enum!(
    /// The language a user reads planspor's e-mails in.
    Language {
        /// Danish, the default.
        Da = "da",
        /// English.
        En = "en",
    }
);

text_enum!(
    /// What a notification in the outbox is about.
    NotificationKind {
        /// An indicator's value is due within the next days.
        DueSoon = "due_soon",
        /// An indicator's value is late.
        Overdue = "overdue",
        /// The week's late values of a plan, for its editors.
        WeeklyDigest = "weekly_digest",
    }
);

text_enum!(
    /// Where a notification in the outbox stands.
    NotificationStatus {
        /// Waiting to be sent (or for an SMTP relay to be configured).
        Pending = "pending",
        /// Accepted by the SMTP relay.
        Sent = "sent",
        /// Cannot be sent: no e-mail address, or the relay refused it for good.
        Undeliverable = "undeliverable",
        /// Not sent, because the value it asked for came in first.
        Cancelled = "cancelled",
    }
);

text_enum!(
    /// Where a webhook delivery stands.
    DeliveryStatus {
        /// Not yet accepted by the receiver; retried with backoff.
        Pending = "pending",
        /// The receiver answered 2xx.
        Delivered = "delivered",
        /// Every attempt failed; no more are made.
        Failed = "failed",
    }
);

text_enum!(
    /// A kind of record whose changes a webhook can receive: the `entity_type`
    /// of the event feed. A delivery's `type` is `<entity_type>.<action>`, e.g.
    /// `measurement.upsert`.
    EventType {
        /// A development plan (and its workflow transitions).
        Plan = "plan",
        /// A focus area.
        FocusArea = "focus_area",
        /// An initiative.
        Initiative = "initiative",
        /// An indicator.
        Indicator = "indicator",
        /// A measured value.
        Measurement = "measurement",
        /// A progress note.
        ProgressNote = "progress_note",
        /// A status report (and its publication).
        StatusReport = "status_report",
        /// A section of a status report.
        StatusReportSection = "status_report_section",
        /// An erratum to a published status report.
        StatusReportErratum = "status_report_erratum",
        /// The Task Force's assessment in a status report.
        StatusReportAssessment = "status_report_assessment",
        /// A recommendation of the analysis.
        Recommendation = "recommendation",
        /// A case-review round.
        CaseReview = "case_review",
        /// An import of measurements.
        MeasurementImport = "measurement_import",
        /// A user's role in the organization.
        Membership = "membership",
    }
);

text_enum!(
    /// What a write did, as recorded in the audit trail.
    AuditAction {
        /// A row was created.
        Create = "create",
        /// A row was changed.
        Update = "update",
        /// A row was deleted.
        Delete = "delete",
        /// A row was created or replaced by an upsert.
        Upsert = "upsert",
        /// A workflow transition.
        Transition = "transition",
    }
);

text_enum!(
    /// How an indicator, focus area or plan is doing (see `progress` for the rules).
    Health {
        /// Data, but no target to judge it against.
        NoTarget = "no_target",
        /// Nothing measured and nothing due yet.
        NoData = "no_data",
        /// On track.
        Green = "green",
        /// Behind, but within reach.
        Amber = "amber",
        /// A period ended without a value.
        Stale = "stale",
        /// Well behind.
        Red = "red",
    }
);

impl Health {
    /// Rank for roll-ups: the worst status wins; `no_data`/`no_target` only when nothing else is known.
    pub fn severity(self) -> u8 {
        match self {
            Self::NoTarget => 0,
            Self::NoData => 1,
            Self::Green => 2,
            Self::Amber => 3,
            Self::Stale => 4,
            Self::Red => 5,
        }
    }

    /// The Danish label used in committee documents.
    pub fn label_da(self) -> &'static str {
        match self {
            Self::NoTarget => "intet mål",
            Self::NoData => "ingen data",
            Self::Green => "grøn",
            Self::Amber => "gul",
            Self::Stale => "mangler data",
            Self::Red => "rød",
        }
    }
}

impl Role {
    /// Whether this role may change the organization's plans.
    pub fn may_write(self) -> bool {
        matches!(self, Role::Consultant | Role::Editor)
    }
}

/// The largest value any indicator records: far above any count, number of
/// days or ratio of one municipality's casework, and far below where a
/// computed progress, a chart axis or a stored snapshot loses precision.
pub const MAX_VALUE: f64 = 1_000_000_000.0;

impl Unit {
    /// Whether `value` is possible for this unit: never negative, at most
    /// [`MAX_VALUE`], percent at most 100.
    pub fn check_value(self, value: f64) -> Result<(), Refusal> {
        if !value.is_finite() {
            return Err(Refusal::new(
                FieldCode::InvalidFormat,
                "must be a finite number",
            ));
        }
        if value < 0.0 {
            return Err(Refusal::new(
                FieldCode::OutOfRange,
                format!("must not be negative for unit `{}`", self.as_str()),
            ));
        }
        if value > MAX_VALUE {
            return Err(Refusal::new(
                FieldCode::TooLong,
                "must be at most 1000000000",
            ));
        }
        if self == Unit::Percent && value > 100.0 {
            return Err(Refusal::new(
                FieldCode::OutOfRange,
                "must be between 0 and 100 for unit `percent`",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_their_text() {
        for status in PlanStatus::ALL {
            assert_eq!(status.as_str().parse::<PlanStatus>(), Ok(*status));
        }
        assert!("finished".parse::<PlanStatus>().is_err());
    }

    #[test]
    fn percent_values_stay_between_0_and_100() {
        assert!(Unit::Percent.check_value(87.5).is_ok());
        assert!(Unit::Percent.check_value(100.0).is_ok());
        assert!(Unit::Percent.check_value(100.5).is_err());
        assert!(Unit::Percent.check_value(-0.1).is_err());
    }

    #[test]
    fn counts_and_days_are_never_negative_but_may_be_large() {
        assert!(Unit::Count.check_value(430.0).is_ok());
        assert!(Unit::Count.check_value(-1.0).is_err());
        assert!(Unit::Days.check_value(f64::NAN).is_err());
        assert!(Unit::Ratio.check_value(31.0).is_ok());
    }
}
