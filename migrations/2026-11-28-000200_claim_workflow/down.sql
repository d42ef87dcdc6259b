DROP TABLE comments;
DROP TABLE verdicts;
DROP TABLE sources;
DROP TABLE assignments;
DROP TABLE claims;
DROP TABLE articles;
DROP TABLE rating_scale;
