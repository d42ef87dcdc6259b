/** The claim's discussion: comments oldest first, and a form to add one. */
import type { FormEvent } from 'react';
import { useClaimComments, usePostComment } from '../../api/claims';
import { useUser } from '../../auth/session';
import { draftKey, useDraftText } from '../../lib/drafts';
import { DateTime, Field, ProblemMessage } from '../forms';
import type { Announce } from './shared';

export function CommentsSection({ claimId, announce }: { claimId: string; announce: Announce }) {
  const [body, setBody, restoredAt, resetBody] = useDraftText(draftKey(useUser().id, 'claim', claimId, 'comment'));
  const comments = useClaimComments(claimId);
  const post = usePostComment(claimId, {
    onSuccess: () => {
      resetBody();
      announce('Comment posted.');
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    post.mutate(body.trim());
  }

  return (
    <section aria-labelledby="claim-comments-h" className="panel">
      <h2 id="claim-comments-h">Comments</h2>
      {comments.isPending && <p className="muted">Loading comments…</p>}
      {comments.isError && (
        <p className="notice notice--bad" role="alert">
          The comments could not be loaded: {comments.error.message}
        </p>
      )}
      {comments.data &&
        (comments.data.length === 0 ? (
          <p className="muted">No comments yet.</p>
        ) : (
          <ol className="plain">
            {comments.data.map((c) => (
              <li key={c.id} id={`comment-${c.id}`} className="claim-item">
                <p className="claim-meta">
                  <strong>{c.author_name}</strong> <DateTime value={c.created_at} />
                </p>
                <p className="pre-wrap">{c.body}</p>
              </li>
            ))}
          </ol>
        ))}
      <form onSubmit={submit} noValidate className="claim-subform">
        <ProblemMessage error={post.error} fields={['body']} />
        {restoredAt && body && (
          <p className="notice notice--warn">
            Restored the comment you typed on <DateTime value={restoredAt} /> and had not posted.
          </p>
        )}
        <Field label="Add a comment" name="body" error={post.error}>
          {(p) => <textarea {...p} rows={3} value={body} onChange={(e) => setBody(e.target.value)} />}
        </Field>
        <button type="submit" disabled={post.isPending}>
          {post.isPending ? 'Posting…' : 'Post comment'}
        </button>
      </form>
    </section>
  );
}
