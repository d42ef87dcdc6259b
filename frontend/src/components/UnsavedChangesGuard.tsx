/**
 * Asks before leaving a page with unsaved changes: the browser's own prompt on reload
 * or closing the tab, and a dialog on a link or menu click inside the app. The typing
 * is kept as a local draft either way; this only makes leaving a choice.
 */
import { useEffect } from 'react';
import { useBlocker } from 'react-router';
import { hasUnsavedChanges, useHasUnsavedChanges } from '../lib/drafts';
import { ConfirmDialog } from './ConfirmDialog';

export function UnsavedChangesGuard() {
  const unsaved = useHasUnsavedChanges();
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      hasUnsavedChanges() && currentLocation.pathname !== nextLocation.pathname,
  );

  useEffect(() => {
    if (!unsaved) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);

  return (
    <ConfirmDialog
      open={blocker.state === 'blocked'}
      title="Leave without saving?"
      confirmLabel="Leave this page"
      cancelLabel="Stay and save"
      onConfirm={() => blocker.proceed?.()}
      onCancel={() => blocker.reset?.()}
    >
      <p>
        You have changes on this page that are not saved. They stay on this computer as a draft and come back when
        you open the page again, but nobody else sees them until you save.
      </p>
    </ConfirmDialog>
  );
}
