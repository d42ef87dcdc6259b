-- A request for a password-reset email, answered later by the worker: the request
-- itself does the same work whether or not the address has an account, so neither
-- its answer nor its timing tells which emails exist.
CREATE TABLE password_reset_requests (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        text NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now()
);
