-- Articles, claims anchored in them, assignments, evidence, verdicts and discussion.
-- Text offsets (span_start, span_end) count Unicode scalar values, never bytes.

CREATE TABLE rating_scale (
    key                text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
    label              text NOT NULL CHECK (label <> ''),
    ordinal            integer NOT NULL,
    claim_review_value smallint CHECK (claim_review_value BETWEEN 1 AND 5),
    color              text NOT NULL CHECK (color ~ '^#[0-9a-fA-F]{6}$'),
    description        text NOT NULL DEFAULT ''
);

CREATE TABLE articles (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title         text NOT NULL CHECK (title <> ''),
    url           text,
    outlet        text,
    author        text,
    published_at  timestamptz,
    language      text,
    body          text NOT NULL CHECK (body <> ''),
    body_revision integer NOT NULL DEFAULT 1,
    created_by    uuid NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       integer NOT NULL DEFAULT 1
);
CREATE INDEX articles_created_at_idx ON articles (created_at DESC, id DESC);

CREATE TABLE claims (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    article_id        uuid NOT NULL REFERENCES articles (id),
    quote             text NOT NULL CHECK (quote <> ''),
    span_start        integer NOT NULL CHECK (span_start >= 0),
    span_end          integer NOT NULL,
    anchored_revision integer NOT NULL DEFAULT 1,
    anchor_lost       boolean NOT NULL DEFAULT false,
    statement         text NOT NULL CHECK (statement <> ''),
    claimant          text,
    claimed_at        timestamptz,
    status            text NOT NULL DEFAULT 'draft' CHECK (status IN
                          ('draft', 'assigned', 'in_review', 'submitted', 'approved', 'published', 'dropped')),
    priority          text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    ever_published    boolean NOT NULL DEFAULT false,
    created_by        uuid NOT NULL REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    version           integer NOT NULL DEFAULT 1,
    search            tsvector GENERATED ALWAYS AS
                          (to_tsvector('english', statement || ' ' || quote)) STORED,
    CHECK (span_end > span_start),
    CHECK (NOT (ever_published AND status = 'dropped'))
);
CREATE INDEX claims_article_id_idx ON claims (article_id);
CREATE INDEX claims_status_idx ON claims (status);
CREATE INDEX claims_search_idx ON claims USING gin (search);

CREATE TABLE assignments (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    claim_id    uuid NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    reviewer_id uuid NOT NULL REFERENCES users (id),
    assigned_by uuid NOT NULL REFERENCES users (id),
    assigned_at timestamptz NOT NULL DEFAULT now(),
    due_at      timestamptz NOT NULL,
    note        text NOT NULL DEFAULT '',
    version     integer NOT NULL DEFAULT 1,
    UNIQUE (claim_id, reviewer_id)
);
CREATE INDEX assignments_reviewer_due_idx ON assignments (reviewer_id, due_at);

CREATE TABLE sources (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    claim_id    uuid NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    url         text NOT NULL CHECK (url ~ '^https?://'),
    title       text NOT NULL DEFAULT '',
    publisher   text NOT NULL DEFAULT '',
    kind        text NOT NULL DEFAULT 'other' CHECK (kind IN ('primary', 'official_data', 'expert', 'secondary', 'other')),
    stance      text NOT NULL DEFAULT 'context' CHECK (stance IN ('supports', 'refutes', 'context')),
    excerpt     text NOT NULL DEFAULT '',
    archive_url text CHECK (archive_url ~ '^https?://'),
    accessed_at timestamptz,
    added_by    uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1
);
CREATE INDEX sources_claim_id_idx ON sources (claim_id);

CREATE TABLE verdicts (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    claim_id     uuid NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    rating       text REFERENCES rating_scale (key) ON UPDATE CASCADE,
    summary      text NOT NULL DEFAULT '' CHECK (char_length(summary) <= 280),
    explanation  text NOT NULL DEFAULT '' CHECK (char_length(explanation) <= 20000),
    author_id    uuid NOT NULL REFERENCES users (id),
    state        text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'approved', 'superseded')),
    submitted_at timestamptz,
    approved_by  uuid REFERENCES users (id),
    approved_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      integer NOT NULL DEFAULT 1,
    CHECK (state <> 'approved' OR (approved_by IS NOT NULL AND approved_at IS NOT NULL AND rating IS NOT NULL))
);
-- One draft verdict per claim, shared by its reviewers.
CREATE UNIQUE INDEX verdicts_one_draft_per_claim ON verdicts (claim_id) WHERE state = 'draft';
CREATE INDEX verdicts_claim_id_idx ON verdicts (claim_id, state);

CREATE TABLE comments (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    claim_id   uuid NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    author_id  uuid NOT NULL REFERENCES users (id),
    body       text NOT NULL CHECK (body <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_claim_id_idx ON comments (claim_id, created_at);
