-- Public verdict summaries, exactly which verdicts they show, corrections and readers' reports.

CREATE TABLE publications (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    article_id       uuid NOT NULL UNIQUE REFERENCES articles (id),
    slug             text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    headline         text NOT NULL CHECK (headline <> ''),
    summary          text NOT NULL DEFAULT '',
    revision         integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    published_by     uuid NOT NULL REFERENCES users (id),
    published_at     timestamptz NOT NULL DEFAULT now(),
    unpublished_at   timestamptz,
    unpublish_reason text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          integer NOT NULL DEFAULT 1
);

CREATE TABLE publication_verdicts (
    publication_id uuid NOT NULL REFERENCES publications (id),
    revision       integer NOT NULL,
    claim_id       uuid NOT NULL REFERENCES claims (id),
    verdict_id     uuid NOT NULL REFERENCES verdicts (id),
    PRIMARY KEY (publication_id, revision, claim_id)
);
CREATE INDEX publication_verdicts_claim_id_idx ON publication_verdicts (claim_id);

CREATE TABLE corrections (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    publication_id uuid NOT NULL REFERENCES publications (id),
    note           text NOT NULL CHECK (note <> ''),
    claim_ids      uuid[] NOT NULL DEFAULT '{}',
    created_by     uuid NOT NULL REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX corrections_publication_id_idx ON corrections (publication_id, created_at);

CREATE TABLE error_reports (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    publication_id uuid NOT NULL REFERENCES publications (id),
    claim_id       uuid REFERENCES claims (id),
    message        text NOT NULL CHECK (message <> ''),
    contact        text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    handled_at     timestamptz
);
CREATE INDEX error_reports_publication_id_idx ON error_reports (publication_id, created_at);

-- Corrections are a public log: never rewritten.
CREATE FUNCTION reject_modification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER corrections_append_only BEFORE UPDATE OR DELETE ON corrections
    FOR EACH ROW EXECUTE FUNCTION reject_modification();
CREATE TRIGGER corrections_no_truncate BEFORE TRUNCATE ON corrections
    FOR EACH STATEMENT EXECUTE FUNCTION reject_modification();
