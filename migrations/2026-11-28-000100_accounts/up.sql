-- Accounts, sessions, one-time tokens, login throttling and newsroom settings.

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text NOT NULL CHECK (email <> '' AND length(email) <= 320),
    display_name  text NOT NULL CHECK (display_name <> ''),
    role          text NOT NULL CHECK (role IN ('admin', 'editor', 'reviewer')),
    -- argon2id PHC string; NULL until an invited user sets a password.
    password_hash text,
    active        boolean NOT NULL DEFAULT true,
    time_zone     text NOT NULL DEFAULT 'UTC',
    notify        jsonb NOT NULL DEFAULT '{"reminders": true, "digest": true}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    version       integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
CREATE INDEX users_role_active_idx ON users (role) WHERE active;

CREATE TABLE sessions (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    user_agent   text
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE invitations (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX invitations_user_id_idx ON invitations (user_id);

CREATE TABLE password_resets (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);

-- Shared by every instance, so throttling holds behind a load balancer.
CREATE TABLE login_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       text NOT NULL,
    client_ip   text NOT NULL,
    succeeded   boolean NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email_at_idx ON login_attempts (lower(email), at);
CREATE INDEX login_attempts_client_ip_at_idx ON login_attempts (client_ip, at);

-- Exactly one row.
CREATE TABLE settings (
    id                     boolean PRIMARY KEY DEFAULT true CHECK (id),
    newsroom_name          text NOT NULL DEFAULT 'Factdesk newsroom' CHECK (newsroom_name <> ''),
    public_url             text,
    logo_url               text,
    methodology            text NOT NULL DEFAULT '',
    corrections_policy_url text,
    default_time_zone      text NOT NULL DEFAULT 'UTC',
    updated_at             timestamptz NOT NULL DEFAULT now(),
    version                integer NOT NULL DEFAULT 1
);
INSERT INTO settings (id, methodology) VALUES (true,
'Every claim we check is assigned to at least one reviewer, who gathers primary sources and proposes a verdict on our rating scale. An editor reviews the evidence before anything is published. When we get something wrong we correct it openly: the correction is dated and listed on the page.');
