/**
 * The article's text with every anchored claim highlighted, and text selection turned
 * into a character span for a new claim. The container's text content is exactly the
 * article body, so DOM offsets map straight onto it.
 */
import { useMemo, useRef } from 'react';
import type { Claim } from '../../api/client';
import { runs, trimSelection } from '../../lib/highlights';
import { charSpanToUtf16, selectionToCharSpan, type CharSpan } from '../../lib/textOffsets';

export interface TextSelection extends CharSpan {
  quote: string;
}

interface Props {
  body: string;
  claims: Claim[];
  onSelect: (selection: TextSelection | null) => void;
}

export function ArticleText({ body, claims, onSelect }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const byId = useMemo(() => new Map(claims.map((c) => [c.id, c])), [claims]);
  const parts = useMemo(() => {
    const spans = claims
      .filter((c) => !c.anchor_lost)
      .map((c) => ({ id: c.id, ...charSpanToUtf16(body, c) }));
    return runs(body.length, spans);
  }, [body, claims]);

  function readSelection() {
    const container = ref.current;
    const selection = window.getSelection();
    if (!container || !selection || selection.rangeCount === 0 || selection.isCollapsed) {
      onSelect(null);
      return;
    }
    const range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) {
      onSelect(null);
      return;
    }
    const offset = (node: Node, at: number) => {
      const before = document.createRange();
      before.selectNodeContents(container);
      before.setEnd(node, at);
      return before.toString().length;
    };
    const { start, end } = trimSelection(
      body,
      offset(range.startContainer, range.startOffset),
      offset(range.endContainer, range.endOffset),
    );
    if (end <= start) {
      onSelect(null);
      return;
    }
    const span = selectionToCharSpan(body, start, end);
    onSelect({ ...span, quote: body.slice(start, end) });
  }

  return (
    <div
      ref={ref}
      className="article-text"
      data-testid="article-text"
      onMouseUp={readSelection}
      onKeyUp={readSelection}
      onTouchEnd={readSelection}
    >
      {parts.map((run) => {
        const text = body.slice(run.start, run.end);
        if (run.ids.length === 0) return text;
        const statements = run.ids.map((id) => byId.get(id)?.statement ?? '').join(' · ');
        return (
          <mark key={run.start} title={statements} data-claims={run.ids.join(' ')}>
            {text}
          </mark>
        );
      })}
    </div>
  );
}
