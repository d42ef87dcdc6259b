-- Every deployment starts with this scale; admins may edit it.
INSERT INTO rating_scale (key, label, ordinal, claim_review_value, color, description) VALUES
    ('true',            'True',            10, 5,    '#1a7f37', 'The claim is accurate and nothing significant is missing.'),
    ('mostly_true',     'Mostly true',     20, 4,    '#4d9a2a', 'The claim is accurate but needs clarification or additional information.'),
    ('half_true',       'Half true',       30, 3,    '#b08800', 'The claim is partially accurate but leaves out important details or takes things out of context.'),
    ('mostly_false',    'Mostly false',    40, 2,    '#d4640b', 'The claim contains an element of truth but ignores critical facts.'),
    ('false',           'False',           50, 1,    '#cf222e', 'The claim is not accurate.'),
    ('misleading',      'Misleading',      60, NULL, '#8250df', 'The claim uses accurate facts in a way that gives a false impression.'),
    ('missing_context', 'Missing context', 70, NULL, '#6e7781', 'The claim may mislead without additional context.'),
    ('unproven',        'Unproven',        80, NULL, '#57606a', 'The evidence available does not allow the claim to be confirmed or refuted.');
