//! Diesel's view of the tables created by `migrations/`. Kept by hand in the
//! shape `diesel print-schema` produces; the migration is the source of truth.

diesel::table! {
    organizations (id) {
        id -> Uuid,
        name -> Text,
        kind -> Text,
        municipality_code -> Nullable<Text>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    plans (id) {
        id -> Uuid,
        organization_id -> Uuid,
        title -> Text,
        description -> Text,
        period_start -> Date,
        period_end -> Date,
        status -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        green_threshold -> Float8,
        amber_threshold -> Float8,
        analysis_date -> Nullable<Date>,
        analysis_title -> Nullable<Text>,
        analysis_url -> Nullable<Text>,
    }
}

diesel::table! {
    focus_areas (id) {
        id -> Uuid,
        plan_id -> Uuid,
        position -> Int4,
        title -> Text,
        objective -> Text,
        legal_reference -> Nullable<Text>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    initiatives (id) {
        id -> Uuid,
        focus_area_id -> Uuid,
        plan_id -> Uuid,
        title -> Text,
        description -> Text,
        owner -> Nullable<Text>,
        start_date -> Nullable<Date>,
        due_date -> Nullable<Date>,
        status -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    indicators (id) {
        id -> Uuid,
        plan_id -> Uuid,
        focus_area_id -> Nullable<Uuid>,
        initiative_id -> Nullable<Uuid>,
        name -> Text,
        definition -> Text,
        unit -> Text,
        direction -> Text,
        baseline_value -> Nullable<Float8>,
        baseline_date -> Nullable<Date>,
        target_value -> Nullable<Float8>,
        target_date -> Nullable<Date>,
        frequency -> Text,
        legal_regime -> Nullable<Text>,
        display_unit -> Nullable<Text>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        template_key -> Nullable<Text>,
        owner_id -> Nullable<Uuid>,
        grace_days -> Int4,
    }
}

diesel::table! {
    measurements (id) {
        id -> Uuid,
        indicator_id -> Uuid,
        period_end -> Date,
        value -> Float8,
        note -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        recorded_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    progress_notes (id) {
        id -> Uuid,
        initiative_id -> Uuid,
        body -> Text,
        author -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        author_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    status_reports (id) {
        id -> Uuid,
        plan_id -> Uuid,
        title -> Text,
        as_of -> Date,
        summary -> Text,
        state -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        created_by -> Nullable<Uuid>,
        is_final -> Bool,
        snapshot -> Nullable<Jsonb>,
        published_at -> Nullable<Timestamptz>,
        published_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    status_report_sections (id) {
        id -> Uuid,
        report_id -> Uuid,
        focus_area_id -> Uuid,
        status -> Nullable<Text>,
        status_reason -> Nullable<Text>,
        narrative -> Text,
        highlights -> Text,
        risks -> Text,
        next_steps -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    status_report_errata (id) {
        id -> Uuid,
        report_id -> Uuid,
        body -> Text,
        author_id -> Nullable<Uuid>,
        author_name -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        issuer -> Text,
        subject -> Text,
        display_name -> Text,
        email -> Nullable<Text>,
        is_admin -> Bool,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        language -> Text,
    }
}

diesel::table! {
    memberships (id) {
        id -> Uuid,
        user_id -> Uuid,
        organization_id -> Uuid,
        role -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Uuid,
        occurred_at -> Timestamptz,
        actor_id -> Nullable<Uuid>,
        actor_name -> Text,
        organization_id -> Nullable<Uuid>,
        entity_type -> Text,
        entity_id -> Uuid,
        action -> Text,
        request_id -> Nullable<Text>,
        before -> Nullable<Jsonb>,
        after -> Nullable<Jsonb>,
        feed_txid -> Int8,
        feed_seq -> Int8,
        plan_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    plan_transitions (id) {
        id -> Uuid,
        plan_id -> Uuid,
        from_status -> Text,
        to_status -> Text,
        actor_id -> Nullable<Uuid>,
        actor_name -> Text,
        reason -> Nullable<Text>,
        committee -> Nullable<Text>,
        meeting_date -> Nullable<Date>,
        decision -> Nullable<Text>,
        agenda_url -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    plan_revisions (id) {
        id -> Uuid,
        plan_id -> Uuid,
        number -> Int4,
        reason -> Text,
        actor_id -> Nullable<Uuid>,
        actor_name -> Text,
        structure -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    idempotency_keys (scope, key) {
        scope -> Text,
        key -> Text,
        request_hash -> Text,
        status -> Nullable<Int4>,
        content_type -> Nullable<Text>,
        location -> Nullable<Text>,
        etag -> Nullable<Text>,
        body -> Nullable<Bytea>,
        created_at -> Timestamptz,
        access -> Jsonb,
    }
}

diesel::table! {
    recommendations (id) {
        id -> Uuid,
        plan_id -> Uuid,
        number -> Int4,
        title -> Text,
        body -> Text,
        theme -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    recommendation_focus_areas (recommendation_id, focus_area_id) {
        recommendation_id -> Uuid,
        focus_area_id -> Uuid,
        plan_id -> Uuid,
    }
}

diesel::table! {
    initiative_recommendations (initiative_id, recommendation_id) {
        initiative_id -> Uuid,
        recommendation_id -> Uuid,
        plan_id -> Uuid,
    }
}

diesel::table! {
    indicator_recommendations (indicator_id, recommendation_id) {
        indicator_id -> Uuid,
        recommendation_id -> Uuid,
        plan_id -> Uuid,
    }
}

diesel::table! {
    case_reviews (id) {
        id -> Uuid,
        plan_id -> Uuid,
        kind -> Text,
        phase -> Text,
        reviewed_on -> Date,
        cases_reviewed -> Int4,
        criteria_key -> Text,
        criteria_version -> Int4,
        results -> Jsonb,
        note -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    status_report_assessments (report_id) {
        report_id -> Uuid,
        overall -> Text,
        focus_areas -> Jsonb,
        author_id -> Nullable<Uuid>,
        author_name -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    measurement_imports (id) {
        id -> Uuid,
        plan_id -> Uuid,
        imported_by -> Nullable<Uuid>,
        importer_name -> Text,
        file_name -> Text,
        file_format -> Text,
        checksum -> Text,
        created_count -> Int4,
        updated_count -> Int4,
        unchanged_count -> Int4,
        skipped_count -> Int4,
        rows -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    notifications (id) {
        id -> Uuid,
        kind -> Text,
        dedupe_key -> Text,
        recipient_id -> Nullable<Uuid>,
        recipient_email -> Nullable<Text>,
        organization_id -> Uuid,
        plan_id -> Nullable<Uuid>,
        indicator_id -> Nullable<Uuid>,
        period_end -> Nullable<Date>,
        due_on -> Nullable<Date>,
        language -> Text,
        subject -> Text,
        body -> Text,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Uuid,
        organization_id -> Uuid,
        url -> Text,
        description -> Text,
        event_types -> Array<Text>,
        secret -> Text,
        previous_secret -> Nullable<Text>,
        previous_secret_expires_at -> Nullable<Timestamptz>,
        enabled -> Bool,
        disabled_reason -> Nullable<Text>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_progress (webhook_id) {
        webhook_id -> Uuid,
        cursor_txid -> Int8,
        cursor_seq -> Int8,
        consecutive_failures -> Int4,
        failing_since -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Uuid,
        webhook_id -> Uuid,
        event_id -> Uuid,
        event_type -> Text,
        payload -> Jsonb,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
        last_status_code -> Nullable<Int4>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        delivered_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(plans -> organizations (organization_id));
diesel::joinable!(measurement_imports -> plans (plan_id));
diesel::joinable!(case_reviews -> plans (plan_id));
diesel::joinable!(recommendations -> plans (plan_id));
diesel::joinable!(plan_transitions -> plans (plan_id));
diesel::joinable!(initiatives -> plans (plan_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(memberships -> organizations (organization_id));
diesel::joinable!(focus_areas -> plans (plan_id));
diesel::joinable!(initiatives -> focus_areas (focus_area_id));
diesel::joinable!(indicators -> plans (plan_id));
diesel::joinable!(measurements -> indicators (indicator_id));
diesel::joinable!(progress_notes -> initiatives (initiative_id));
diesel::joinable!(status_reports -> plans (plan_id));
diesel::joinable!(webhooks -> organizations (organization_id));
diesel::joinable!(webhook_progress -> webhooks (webhook_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));

diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    plans,
    focus_areas,
    initiatives,
    indicators,
    measurements,
    progress_notes,
    status_reports,
    users,
    memberships,
    audit_events,
    plan_transitions,
    plan_revisions,
    status_report_sections,
    status_report_errata,
    recommendations,
    recommendation_focus_areas,
    initiative_recommendations,
    indicator_recommendations,
    case_reviews,
    status_report_assessments,
    measurement_imports,
    notifications,
    webhooks,
    webhook_progress,
    webhook_deliveries,
);
