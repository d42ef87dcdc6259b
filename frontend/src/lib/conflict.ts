/** Which of `fields` differ between the version the user edited and the current one. */
export function changedFields(mine: unknown, current: unknown, fields: string[]): string[] {
  if (!isRecord(mine) || !isRecord(current)) return [];
  return fields.filter((f) => JSON.stringify(mine[f] ?? null) !== JSON.stringify(current[f] ?? null));
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
