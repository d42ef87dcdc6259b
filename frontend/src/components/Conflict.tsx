/**
 * What a 412 looks like to the user: who changed the thing while they were typing, what
 * changed, and a choice that never throws their typing away.
 */
import { useEffect, useRef } from 'react';
import { ApiError } from '../api/client';
import { DateTime } from './forms';
import { changedFields } from '../lib/conflict';
import { changeWords, type LiveEvent } from '../lib/live';

/**
 * The 412 a save would get, built before the save from what the live desk refetched:
 * `current` is the server's version now, `lastChange` the event that changed it.
 */
export function conflictFromLive(current: unknown, lastChange: LiveEvent | undefined, fallbackAt: string): ApiError {
  return new ApiError({
    type: 'about:blank',
    title: 'Version conflict',
    status: 412,
    current,
    changed_by: lastChange
      ? { action: lastChange.action, actor_name: lastChange.actor_name ?? null, at: lastChange.at }
      : { action: 'update', actor_name: null, at: fallbackAt },
  });
}

/** "Rita changed the verdict while you were typing; your typing is still here. Show changes" */
export function ChangedElsewhere({
  lastChange,
  entity,
  testId,
  onShow,
}: {
  lastChange: LiveEvent | undefined;
  entity: 'verdict' | 'claim';
  testId: string;
  onShow: () => void;
}) {
  return (
    <p className="notice notice--warn" data-testid={testId}>
      <strong>{changeWords({ actor_name: lastChange?.actor_name ?? null, entity })}</strong> while you were typing; your
      typing is still here.{' '}
      <button type="button" className="link-button" onClick={onShow}>
        Show changes
      </button>
    </p>
  );
}

interface ConflictProps {
  error: unknown;
  /** The version the user started from (to list what changed). */
  mine: Record<string, unknown> | undefined;
  /** Field names to compare, with the words to show for them. */
  labels: Record<string, string>;
  /** Take the current version as the new base and keep the user's typing in the form. */
  onKeepMine: (current: unknown) => void;
  /** Throw the typing away and show the current version. */
  onDiscard: (current: unknown) => void;
}

export function ConflictNotice(props: ConflictProps) {
  const { error } = props;
  if (!(error instanceof ApiError) || error.status !== 412) return null;
  return <ConflictBox {...props} error={error} />;
}

/**
 * The notice itself. It may appear above the visible part of a long page while focus
 * is still on Save: it scrolls into view and takes focus, so neither the eye nor a
 * screen reader misses it.
 */
function ConflictBox({ error, mine, labels, onKeepMine, onDiscard }: ConflictProps & { error: ApiError }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.scrollIntoView?.({ block: 'center' });
    el.focus({ preventScroll: true });
  }, [error]);
  const { current, changed_by } = error.problem;
  const changed = changedFields(mine, current, Object.keys(labels)).map((f) => labels[f]);
  return (
    <div className="notice notice--warn" role="alert" tabIndex={-1} ref={box}>
      <strong>Someone else changed this while you were editing.</strong>{' '}
      {changed_by && (
        <span>
          {changed_by.actor_name ?? 'The system'} ({changed_by.action}) at{' '}
          <DateTime value={changed_by.at} />.{' '}
        </span>
      )}
      {changed.length > 0 ? <span>Changed: {changed.join(', ')}.</span> : null}
      <p>Your typing is still in the form.</p>
      <div className="button-row">
        <button type="button" onClick={() => onKeepMine(current)}>
          Keep my changes and save over theirs
        </button>
        <button type="button" className="secondary" onClick={() => onDiscard(current)}>
          Discard mine and load theirs
        </button>
      </div>
    </div>
  );
}
