// Mirrors migrations/ (what `diesel print-schema` emits). `claims.search`, a generated
// tsvector, is left out: it is only ever read through SQL fragments.

diesel::table! {
    articles (id) {
        id -> Uuid,
        title -> Text,
        url -> Nullable<Text>,
        outlet -> Nullable<Text>,
        author -> Nullable<Text>,
        published_at -> Nullable<Timestamptz>,
        language -> Nullable<Text>,
        body -> Text,
        body_revision -> Int4,
        created_by -> Uuid,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    assignments (id) {
        id -> Uuid,
        claim_id -> Uuid,
        reviewer_id -> Uuid,
        assigned_by -> Uuid,
        assigned_at -> Timestamptz,
        due_at -> Timestamptz,
        note -> Text,
        version -> Int4,
        claim_status -> Text,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Uuid,
        seq -> Int8,
        actor_id -> Nullable<Uuid>,
        entity -> Text,
        entity_id -> Uuid,
        action -> Text,
        before -> Nullable<Jsonb>,
        after -> Nullable<Jsonb>,
        at -> Timestamptz,
        claim_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    claims (id) {
        id -> Uuid,
        article_id -> Uuid,
        quote -> Text,
        span_start -> Int4,
        span_end -> Int4,
        anchored_revision -> Int4,
        anchor_lost -> Bool,
        statement -> Text,
        claimant -> Nullable<Text>,
        claimed_at -> Nullable<Timestamptz>,
        status -> Text,
        priority -> Text,
        ever_published -> Bool,
        created_by -> Uuid,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
        statement_sketch -> Array<Int8>,
        figure -> Nullable<Jsonb>,
        independent_review -> Bool,
    }
}

diesel::table! {
    claim_replies (id) {
        id -> Uuid,
        claim_id -> Uuid,
        contacted_at -> Timestamptz,
        channel -> Text,
        contacted_by -> Uuid,
        contact -> Nullable<Text>,
        asked -> Text,
        reply -> Nullable<Text>,
        replied_at -> Nullable<Timestamptz>,
        no_reply_by -> Nullable<Timestamptz>,
        publish -> Bool,
        created_by -> Uuid,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    comments (id) {
        id -> Uuid,
        claim_id -> Uuid,
        author_id -> Uuid,
        body -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    corrections (id) {
        id -> Uuid,
        publication_id -> Uuid,
        note -> Text,
        claim_ids -> Array<Uuid>,
        created_by -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    email_outbox (id) {
        id -> Uuid,
        recipient -> Text,
        cc -> Array<Text>,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        kind -> Text,
        dedupe_key -> Nullable<Text>,
        created_at -> Timestamptz,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        failed_at -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        reply_to -> Nullable<Text>,
    }
}

diesel::table! {
    error_reports (id) {
        id -> Uuid,
        publication_id -> Uuid,
        claim_id -> Nullable<Uuid>,
        message -> Text,
        contact -> Nullable<Text>,
        created_at -> Timestamptz,
        handled_at -> Nullable<Timestamptz>,
        client_ip -> Nullable<Text>,
    }
}

diesel::table! {
    invitations (id) {
        id -> Uuid,
        user_id -> Uuid,
        token_hash -> Binary,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    live_events (id) {
        id -> Int8,
        at -> Timestamptz,
        entity -> Text,
        entity_id -> Uuid,
        action -> Text,
        version -> Nullable<Int4>,
        actor_id -> Nullable<Uuid>,
        actor_name -> Nullable<Text>,
        claim_id -> Nullable<Uuid>,
        article_id -> Nullable<Uuid>,
        audience -> Text,
        reviewer_ids -> Array<Uuid>,
        user_id -> Nullable<Uuid>,
        detail -> Nullable<Jsonb>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> Int8,
        email -> Text,
        client_ip -> Text,
        succeeded -> Bool,
        at -> Timestamptz,
    }
}

diesel::table! {
    notifications (id) {
        id -> Uuid,
        user_id -> Uuid,
        kind -> Text,
        actor_id -> Nullable<Uuid>,
        claim_id -> Nullable<Uuid>,
        error_report_id -> Nullable<Uuid>,
        subject -> Text,
        link -> Text,
        dedupe_key -> Nullable<Text>,
        created_at -> Timestamptz,
        read_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    password_resets (id) {
        id -> Uuid,
        user_id -> Uuid,
        token_hash -> Binary,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    password_reset_requests (id) {
        id -> Int8,
        email -> Text,
        requested_at -> Timestamptz,
    }
}

diesel::table! {
    publication_verdicts (publication_id, revision, claim_id) {
        publication_id -> Uuid,
        revision -> Int4,
        claim_id -> Uuid,
        verdict_id -> Uuid,
        snapshot -> Jsonb,
    }
}

diesel::table! {
    publications (id) {
        id -> Uuid,
        article_id -> Uuid,
        slug -> Text,
        headline -> Text,
        summary -> Text,
        revision -> Int4,
        published_by -> Uuid,
        published_at -> Timestamptz,
        unpublished_at -> Nullable<Timestamptz>,
        unpublish_reason -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    rating_scale (key) {
        key -> Text,
        label -> Text,
        ordinal -> Int4,
        claim_review_value -> Nullable<Int2>,
        color -> Text,
        description -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    settings (id) {
        id -> Bool,
        newsroom_name -> Text,
        public_url -> Nullable<Text>,
        logo_url -> Nullable<Text>,
        methodology -> Text,
        corrections_policy_url -> Nullable<Text>,
        default_time_zone -> Text,
        updated_at -> Timestamptz,
        version -> Int4,
        require_reply_attempt -> Bool,
        independent_review_for_high_priority -> Bool,
    }
}

diesel::table! {
    reviews (id) {
        id -> Uuid,
        claim_id -> Uuid,
        reviewer_id -> Uuid,
        rating -> Nullable<Text>,
        summary -> Text,
        explanation -> Text,
        state -> Text,
        submitted_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    sources (id) {
        id -> Uuid,
        claim_id -> Uuid,
        url -> Text,
        title -> Text,
        publisher -> Text,
        kind -> Text,
        stance -> Text,
        excerpt -> Text,
        archive_url -> Nullable<Text>,
        accessed_at -> Nullable<Timestamptz>,
        added_by -> Uuid,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        display_name -> Text,
        role -> Text,
        password_hash -> Nullable<Text>,
        active -> Bool,
        time_zone -> Text,
        notify -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        last_login_at -> Nullable<Timestamptz>,
        version -> Int4,
    }
}

diesel::table! {
    verdicts (id) {
        id -> Uuid,
        claim_id -> Uuid,
        rating -> Nullable<Text>,
        summary -> Text,
        explanation -> Text,
        author_id -> Uuid,
        state -> Text,
        submitted_at -> Nullable<Timestamptz>,
        approved_by -> Nullable<Uuid>,
        approved_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Uuid,
        seq -> Int8,
        endpoint_id -> Uuid,
        event -> Text,
        payload -> Jsonb,
        dedupe_key -> Nullable<Text>,
        created_at -> Timestamptz,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_attempt_at -> Nullable<Timestamptz>,
        last_status -> Nullable<Int2>,
        last_duration_ms -> Nullable<Int4>,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<Timestamptz>,
        failed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Uuid,
        name -> Text,
        url -> Text,
        secret -> Text,
        format -> Text,
        events -> Array<Text>,
        active -> Bool,
        disabled_reason -> Nullable<Text>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::joinable!(assignments -> claims (claim_id));
diesel::joinable!(claim_replies -> claims (claim_id));
diesel::joinable!(reviews -> claims (claim_id));
diesel::joinable!(claims -> articles (article_id));
diesel::joinable!(comments -> claims (claim_id));
diesel::joinable!(corrections -> publications (publication_id));
diesel::joinable!(error_reports -> publications (publication_id));
diesel::joinable!(invitations -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(publication_verdicts -> publications (publication_id));
diesel::joinable!(publication_verdicts -> verdicts (verdict_id));
diesel::joinable!(publications -> articles (article_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(sources -> claims (claim_id));
diesel::joinable!(verdicts -> claims (claim_id));
diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));

diesel::allow_tables_to_appear_in_same_query!(
    articles,
    assignments,
    audit_events,
    claim_replies,
    claims,
    comments,
    corrections,
    email_outbox,
    error_reports,
    invitations,
    live_events,
    login_attempts,
    notifications,
    password_reset_requests,
    password_resets,
    publication_verdicts,
    publications,
    rating_scale,
    reviews,
    sessions,
    settings,
    sources,
    users,
    verdicts,
    webhook_deliveries,
    webhook_endpoints,
);
