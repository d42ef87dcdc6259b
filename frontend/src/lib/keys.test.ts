import { describe, expect, it } from 'vitest';
import { isTyping, moveSelection } from './keys';

describe('moveSelection', () => {
  it('moves down and up within the list', () => {
    expect(moveSelection(-1, 'j', 3)).toBe(0);
    expect(moveSelection(0, 'j', 3)).toBe(1);
    expect(moveSelection(2, 'j', 3)).toBe(2);
    expect(moveSelection(2, 'k', 3)).toBe(1);
    expect(moveSelection(0, 'k', 3)).toBe(0);
    expect(moveSelection(-1, 'k', 3)).toBe(0);
  });

  it('jumps to the ends and ignores other keys', () => {
    expect(moveSelection(1, 'g', 5)).toBe(0);
    expect(moveSelection(1, 'G', 5)).toBe(4);
    expect(moveSelection(1, 'x', 5)).toBe(1);
  });

  it('selects nothing in an empty list', () => {
    expect(moveSelection(0, 'j', 0)).toBe(-1);
  });
});

describe('isTyping', () => {
  it('recognises text fields', () => {
    expect(isTyping({ tagName: 'INPUT' } as unknown as EventTarget)).toBe(true);
    expect(isTyping({ tagName: 'TEXTAREA' } as unknown as EventTarget)).toBe(true);
    expect(isTyping({ tagName: 'DIV', isContentEditable: true } as unknown as EventTarget)).toBe(true);
    expect(isTyping({ tagName: 'A', isContentEditable: false } as unknown as EventTarget)).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});
