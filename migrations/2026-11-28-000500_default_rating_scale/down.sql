DELETE FROM rating_scale
 WHERE key IN ('true', 'mostly_true', 'half_true', 'mostly_false', 'false', 'misleading', 'missing_context', 'unproven');
