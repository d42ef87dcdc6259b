/** Whether a key press belongs to a text field (so page shortcuts must ignore it). */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  const tag = el.tagName.toLowerCase();
  return tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable;
}

/** Moves a row index by a queue shortcut: j/ArrowDown next, k/ArrowUp previous. */
export function moveSelection(index: number, key: string, count: number): number {
  if (count === 0) return -1;
  if (key === 'j') return Math.min(count - 1, index + 1);
  if (key === 'k') return Math.max(0, index < 0 ? 0 : index - 1);
  if (key === 'g') return 0;
  if (key === 'G') return count - 1;
  return index;
}
