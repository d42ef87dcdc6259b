/**
 * The right of reply: every attempt to reach the claimant for comment (when, how, by
 * whom, what was asked) and what came back, each with the line the public page prints
 * when the editor publishes it. Editors and the claim's reviewers log and update them.
 */
import { useId, useState, type FormEvent } from 'react';
import { ApiError, type Claim } from '../../api/client';
import { REPLY_CHANNELS, useReplies, useSaveReply, type Reply, type ReplyChannel, type ReplyRequest } from '../../api/replies';
import { useUser } from '../../auth/session';
import { datetimeLocalToIso, humanize, toDatetimeLocal } from '../../lib/claimPage';
import { clearDraft, draftKey, readDraft, usePersistedDraft } from '../../lib/drafts';
import { DateTime, Field, ProblemMessage } from '../forms';
import type { Announce } from './shared';

interface Props {
  claim: Claim;
  /** Editor, or one of the claim's reviewers. */
  mayEdit: boolean;
  announce: Announce;
}

const FIELDS = ['contacted_at', 'channel', 'contact', 'asked', 'reply', 'replied_at', 'no_reply_by', 'publish'];

export function RepliesSection({ claim, mayEdit, announce }: Props) {
  const userId = useUser().id;
  const replies = useReplies(claim.id);
  const [editingId, setEditingId] = useState<string | null>(() => {
    for (const r of replies.data ?? []) if (readDraft(draftKey(userId, 'claim', claim.id, `reply-${r.id}`))) return r.id;
    return null;
  });
  const [adding, setAdding] = useState(() => Boolean(readDraft(draftKey(userId, 'claim', claim.id, 'reply-new'))));

  return (
    <section aria-labelledby="claim-replies-h" className="panel">
      <h2 id="claim-replies-h">Right of reply</h2>
      {replies.isPending && <p className="muted">Loading the attempts…</p>}
      {replies.isError && (
        <p className="notice notice--bad" role="alert">
          The attempts to reach the claimant could not be loaded: {replies.error.message}
        </p>
      )}
      {replies.data &&
        (replies.data.length === 0 ? (
          <p className="muted">
            Nobody has asked {claim.claimant || 'the claimant'} for comment yet.
          </p>
        ) : (
          <ol className="plain">
            {replies.data.map((r) =>
              editingId === r.id ? (
                <li key={r.id} className="claim-item">
                  <ReplyForm claim={claim} reply={r} announce={announce} onDone={() => setEditingId(null)} />
                </li>
              ) : (
                <ReplyItem key={r.id} reply={r} editable={mayEdit && editingId === null && !adding} onEdit={() => setEditingId(r.id)} />
              ),
            )}
          </ol>
        ))}
      {mayEdit && editingId === null && (adding ? (
        <ReplyForm claim={claim} announce={announce} onDone={() => setAdding(false)} />
      ) : (
        <button type="button" onClick={() => setAdding(true)}>
          Log an attempt to reach the claimant
        </button>
      ))}
    </section>
  );
}

function ReplyItem({ reply, editable, onEdit }: { reply: Reply; editable: boolean; onEdit: () => void }) {
  const headId = useId();
  return (
    <li className="claim-item" data-testid="reply">
      <p className="claim-item-head" id={headId}>
        <strong>{humanize(reply.channel)}</strong> by {reply.contacted_by_name}, <DateTime value={reply.contacted_at} />
        {reply.contact && <> · asked {reply.contact}</>}{' '}
        {reply.publish ? (
          <span className="badge badge--ok">On the public page</span>
        ) : (
          <span className="badge">Not published</span>
        )}
      </p>
      <p className="pre-wrap">
        <span className="muted">Asked: </span>
        {reply.asked}
      </p>
      {reply.reply ? (
        <p className="pre-wrap">
          <span className="muted">
            Replied <DateTime value={reply.replied_at!} />:{' '}
          </span>
          {reply.reply}
        </p>
      ) : (
        <p className="muted">
          No reply yet{reply.no_reply_by ? <> (deadline <DateTime value={reply.no_reply_by} />)</> : null}.
        </p>
      )}
      <p className="claim-meta">
        Public line: <span data-testid="public-line">{reply.public_line}</span>
      </p>
      {editable && (
        <button type="button" aria-describedby={headId} onClick={onEdit}>
          Update
        </button>
      )}
    </li>
  );
}

interface Values {
  contacted_at: string;
  channel: ReplyChannel;
  contact: string;
  asked: string;
  reply: string;
  replied_at: string;
  no_reply_by: string;
  publish: boolean;
}

function valuesOf(r?: Reply): Values {
  const local = (iso: string | null | undefined) => (iso ? toDatetimeLocal(new Date(iso)) : '');
  return {
    contacted_at: r ? local(r.contacted_at) : toDatetimeLocal(new Date()),
    channel: r?.channel ?? 'email',
    contact: r?.contact ?? '',
    asked: r?.asked ?? '',
    reply: r?.reply ?? '',
    replied_at: local(r?.replied_at),
    no_reply_by: local(r?.no_reply_by),
    publish: r?.publish ?? false,
  };
}

function ReplyForm({
  claim,
  reply,
  announce,
  onDone,
}: {
  claim: Claim;
  reply?: Reply;
  announce: Announce;
  onDone: () => void;
}) {
  const headingId = useId();
  const storeKey = draftKey(useUser().id, 'claim', claim.id, reply ? `reply-${reply.id}` : 'reply-new');
  const [restored] = useState(() => readDraft<Values>(storeKey));
  const [values, setValues] = useState<Values>(() => ({ ...valuesOf(reply), ...restored?.values }));
  const [base, setBase] = useState<number | null>(() => restored?.base ?? reply?.version ?? null);
  const dirty = JSON.stringify(values) !== JSON.stringify(valuesOf(reply));
  usePersistedDraft(storeKey, values, dirty, base);
  const set = <K extends keyof Values>(k: K, v: Values[K]) => setValues((old) => ({ ...old, [k]: v }));
  const save = useSaveReply(claim.id, {
    onSuccess: (saved) => {
      clearDraft(storeKey);
      announce(reply ? 'Attempt updated.' : `Attempt logged: ${saved.public_line}`);
      onDone();
    },
  });

  function body(version: number | null): ReplyRequest {
    const time = (v: string) => (v ? datetimeLocalToIso(v) : null);
    return {
      contacted_at: time(values.contacted_at),
      channel: values.channel,
      contact: values.contact,
      asked: values.asked,
      // An empty reply clears one recorded before.
      reply: values.reply.trim() ? values.reply : reply?.reply ? '' : null,
      replied_at: values.reply.trim() ? time(values.replied_at) : null,
      no_reply_by: time(values.no_reply_by),
      publish: values.publish,
      ...(reply ? { version: version ?? reply.version } : {}),
    };
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate(reply ? { op: 'edit', replyId: reply.id, body: body(base) } : { op: 'add', body: body(null) });
  }

  const conflict = save.error instanceof ApiError && save.error.status === 412;
  return (
    <form onSubmit={submit} noValidate aria-labelledby={headingId} className="claim-subform">
      <h3 id={headingId}>{reply ? 'Update the attempt' : 'Log an attempt to reach the claimant'}</h3>
      {restored && dirty && (
        <p className="notice notice--warn">
          Restored what you typed on <DateTime value={restored.at} /> and had not saved yet.
        </p>
      )}
      {conflict && reply ? (
        <p className="notice notice--warn" role="alert">
          Someone updated this attempt while you typed; the list shows their change and your typing is kept.{' '}
          <button
            type="button"
            onClick={() => {
              const current = (save.error as ApiError).problem?.current as Reply | undefined;
              const version = current?.version ?? reply.version;
              setBase(version);
              save.mutate({ op: 'edit', replyId: reply.id, body: body(version) });
            }}
          >
            Save mine over it
          </button>
        </p>
      ) : (
        <ProblemMessage error={save.error} fields={FIELDS} />
      )}
      <div className="form-grid">
        <Field label="When" name="contacted_at" error={save.error}>
          {(p) => (
            <input {...p} type="datetime-local" required value={values.contacted_at} onChange={(e) => set('contacted_at', e.target.value)} />
          )}
        </Field>
        <Field label="How" name="channel" error={save.error}>
          {(p) => (
            <select {...p} value={values.channel} onChange={(e) => set('channel', e.target.value as ReplyChannel)}>
              {REPLY_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {humanize(c)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Whom (if not the claimant)" name="contact" error={save.error} hint={claim.claimant ? `The claimant is ${claim.claimant}.` : undefined}>
          {(p) => <input {...p} value={values.contact} onChange={(e) => set('contact', e.target.value)} />}
        </Field>
        <Field label="No reply by (deadline)" name="no_reply_by" error={save.error}>
          {(p) => <input {...p} type="datetime-local" value={values.no_reply_by} onChange={(e) => set('no_reply_by', e.target.value)} />}
        </Field>
      </div>
      <Field label="What was asked" name="asked" error={save.error}>
        {(p) => <textarea {...p} rows={2} required value={values.asked} onChange={(e) => set('asked', e.target.value)} />}
      </Field>
      <div className="form-grid">
        <Field label="Their reply" name="reply" error={save.error}>
          {(p) => <textarea {...p} rows={2} value={values.reply} onChange={(e) => set('reply', e.target.value)} />}
        </Field>
        <Field label="Replied on" name="replied_at" error={save.error}>
          {(p) => <input {...p} type="datetime-local" value={values.replied_at} onChange={(e) => set('replied_at', e.target.value)} />}
        </Field>
      </div>
      <div className="field">
        <label>
          <input type="checkbox" checked={values.publish} onChange={(e) => set('publish', e.target.checked)} /> Tell of this
          attempt on the public page (from the next publication)
        </label>
      </div>
      <div className="button-row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : reply ? 'Save attempt' : 'Log attempt'}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            clearDraft(storeKey);
            onDone();
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
