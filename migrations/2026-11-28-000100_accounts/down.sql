DROP TABLE settings;
DROP TABLE login_attempts;
DROP TABLE password_resets;
DROP TABLE invitations;
DROP TABLE sessions;
DROP TABLE users;
