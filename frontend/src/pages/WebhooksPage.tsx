/**
 * Webhooks (admins): endpoints that hear the desk's events, signed as the Standard
 * Webhooks specification says, or as Slack-compatible text for a Slack or Mattermost
 * channel. Add, change, turn off, remove; send a test event; read the delivery log and
 * retry a delivery that was given up.
 */
import { useId, useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import {
  useCreateWebhook,
  useDeleteWebhook,
  useDeliveries,
  useRetryDelivery,
  useSendTest,
  useUpdateWebhook,
  useWebhooks,
  type CreatedWebhook,
  type NewWebhook,
  type Webhook,
  type WebhookEvent,
  type WebhookFormat,
} from '../api/webhooks';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DateTime, Field, ProblemMessage } from '../components/forms';
import { LoadMore } from '../components/LoadMore';
import { useUnsaved } from '../lib/drafts';
import { usePageTitle } from '../lib/usePageTitle';
import { deliveryState, eventInWords, WEBHOOK_EVENTS } from '../lib/webhooks';

interface FormValues {
  name: string;
  url: string;
  format: WebhookFormat;
  events: WebhookEvent[];
  active: boolean;
  secret: string;
}

const EMPTY: FormValues = {
  name: '',
  url: '',
  format: 'standard',
  events: ['claim.submitted', 'claim.approved', 'article.published'],
  active: true,
  secret: '',
};

const FIELDS = ['name', 'url', 'format', 'events', 'active', 'secret', ...WEBHOOK_EVENTS.map((_, i) => `events[${i}]`)];

/** The request body of the form's values (a secret only when one was typed). */
function bodyOf(v: FormValues): NewWebhook {
  return {
    name: v.name,
    url: v.url,
    format: v.format,
    events: v.events,
    active: v.active,
    ...(v.secret.trim() ? { secret: v.secret.trim() } : {}),
  };
}

function valuesOf(w: Webhook): FormValues {
  return { name: w.name, url: w.url, format: w.format, events: w.events, active: w.active, secret: '' };
}

/** The add and edit form; `initial` is the endpoint being changed, if any. */
function WebhookForm({
  initial,
  busy,
  error,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: FormValues;
  busy: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (v: FormValues) => void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState(initial);
  const dirty = useMemo(() => JSON.stringify(values) !== JSON.stringify(initial), [values, initial]);
  useUnsaved(dirty);
  const eventsId = useId();
  const eventsError = error instanceof ApiError ? error.fieldError('events') : undefined;
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit(values);
  }

  return (
    <form onSubmit={submit} noValidate className="webhook-form">
      <ProblemMessage error={error} fields={FIELDS} />
      <Field label="Name" name="name" error={error} hint="What the desk calls it, such as “Slack #factcheck”.">
        {(p) => <input {...p} value={values.name} maxLength={100} onChange={(e) => set('name', e.target.value)} />}
      </Field>
      <Field
        label="URL"
        name="url"
        error={error}
        hint="Where Factdesk sends each event (POST). Private and local addresses are refused unless the server’s FACTDESK_OUTBOUND_ALLOW names them."
      >
        {(p) => (
          <input {...p} type="url" inputMode="url" value={values.url} onChange={(e) => set('url', e.target.value)} />
        )}
      </Field>
      <Field label="Format" name="format" error={error}>
        {(p) => (
          <select {...p} value={values.format} onChange={(e) => set('format', e.target.value as WebhookFormat)}>
            <option value="standard">Standard Webhooks JSON (for your own tools and CMS)</option>
            <option value="slack">Slack-compatible text (Slack, Mattermost incoming webhooks)</option>
          </select>
        )}
      </Field>
      <fieldset
        className={eventsError ? 'field--invalid' : undefined}
        aria-describedby={eventsError ? `${eventsId}-error` : undefined}
      >
        <legend>Events</legend>
        {WEBHOOK_EVENTS.map(({ event, label }) => (
          <div className="check-row" key={event}>
            <input
              type="checkbox"
              id={`${eventsId}-${event}`}
              checked={values.events.includes(event)}
              onChange={(e) =>
                set(
                  'events',
                  e.target.checked ? [...values.events, event] : values.events.filter((x) => x !== event),
                )
              }
            />
            <label htmlFor={`${eventsId}-${event}`}>
              {label} <code className="muted">{event}</code>
            </label>
          </div>
        ))}
        {eventsError && (
          <p className="field-error" id={`${eventsId}-error`}>
            {eventsError}
          </p>
        )}
      </fieldset>
      <div className="check-row">
        <input
          type="checkbox"
          id={`${eventsId}-active`}
          checked={values.active}
          onChange={(e) => set('active', e.target.checked)}
        />
        <label htmlFor={`${eventsId}-active`}>On: send events to this endpoint</label>
      </div>
      <Field
        label={onCancel ? 'New signing secret (optional)' : 'Signing secret (optional)'}
        name="secret"
        error={error}
        hint={
          onCancel
            ? 'Leave empty to keep the current secret. A new one (whsec_…) signs from the next delivery on.'
            : 'Leave empty and Factdesk makes one (shown once, after adding). To use your own: whsec_ followed by 24 to 64 bytes in base64.'
        }
      >
        {(p) => (
          <input
            {...p}
            value={values.secret}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => set('secret', e.target.value)}
          />
        )}
      </Field>
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function SecretShownOnce({ created, onDone }: { created: CreatedWebhook; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="notice notice--ok" role="status">
      <p>
        <strong>“{created.webhook.name}” was added.</strong> Its signing secret is shown only now: keep it in the
        receiver, which checks each request’s <code>webhook-signature</code> with it.
      </p>
      <p>
        <code className="secret" data-testid="webhook-secret">
          {created.secret}
        </code>{' '}
        <button
          type="button"
          className="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(created.secret).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>{' '}
        <button type="button" className="link-button" onClick={onDone}>
          I have kept it
        </button>
      </p>
    </div>
  );
}

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const log = useDeliveries(webhook.id);
  const retry = useRetryDelivery();
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby={`log-${webhook.id}`} className="panel">
      <h3 id={`log-${webhook.id}`}>Delivery log of “{webhook.name}”</h3>
      <ProblemMessage error={retry.error} />
      {log.isPending ? (
        <p role="status">Loading deliveries…</p>
      ) : log.isError ? (
        <ProblemMessage error={log.error} />
      ) : items.length === 0 ? (
        <p className="muted">Nothing sent yet. Send a test event to try the endpoint.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Event</th>
                <th scope="col">State</th>
                <th scope="col">Answer</th>
                <th scope="col">Last try</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => {
                const state = deliveryState(d);
                return (
                  <tr key={d.id} data-testid="delivery">
                    <td>
                      <DateTime value={d.created_at} />
                    </td>
                    <td>{eventInWords(d.event)}</td>
                    <td>
                      <span className={state.tone === 'neutral' ? 'badge' : `badge badge--${state.tone}`}>
                        {state.label}
                      </span>
                      {!d.delivered_at && !d.failed_at && d.attempts > 0 && (
                        <div className="muted">
                          Next try <DateTime value={d.next_attempt_at} />
                        </div>
                      )}
                    </td>
                    <td>
                      {d.last_status != null ? `HTTP ${d.last_status}` : d.attempts > 0 ? 'No answer' : '—'}
                      {d.last_duration_ms != null && d.attempts > 0 && (
                        <span className="muted"> · {d.last_duration_ms} ms</span>
                      )}
                      {d.last_error && <div className="muted delivery-error">{d.last_error}</div>}
                    </td>
                    <td>
                      <DateTime value={d.last_attempt_at} />
                    </td>
                    <td>
                      {d.failed_at && (
                        <button
                          type="button"
                          className="secondary"
                          disabled={retry.isPending}
                          onClick={() => retry.mutate({ id: webhook.id, deliveryId: d.id })}
                        >
                          Retry
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {items.length > 0 && (
        <LoadMore
          hasNextPage={log.hasNextPage}
          isFetchingNextPage={log.isFetchingNextPage}
          fetchNextPage={() => log.fetchNextPage()}
          shown={items.length}
        />
      )}
    </section>
  );
}

function WebhookCard({ webhook }: { webhook: Webhook }) {
  const [editing, setEditing] = useState(false);
  const [showLog, setShowLog] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [tested, setTested] = useState(false);
  const update = useUpdateWebhook({ onSuccess: () => setEditing(false) });
  const remove = useDeleteWebhook();
  const test = useSendTest({
    onSuccess: () => {
      setTested(true);
      setShowLog(true);
    },
  });

  return (
    <li className="panel webhook" data-testid="webhook">
      <div className="webhook__head">
        <h2>{webhook.name}</h2>
        <span className={webhook.active ? 'badge badge--ok' : 'badge badge--bad'}>{webhook.active ? 'On' : 'Off'}</span>
        <span className="badge">{webhook.format === 'slack' ? 'Slack-compatible' : 'Standard Webhooks'}</span>
        {webhook.pending > 0 && <span className="badge badge--warn">{webhook.pending} waiting</span>}
      </div>
      <p className="webhook__url">
        <code>{webhook.url}</code>
      </p>
      {webhook.disabled_reason && (
        <p className="notice notice--bad">
          Turned off by Factdesk: {webhook.disabled_reason} Change the URL if the receiver moved, and turn it on again.
        </p>
      )}
      <p className="muted">
        {webhook.events.map(eventInWords).join(' · ')}. Secret {webhook.secret_hint}
      </p>
      {tested && (
        <p className="notice notice--ok" role="status">
          A test event is on its way; the log below shows how it went.
        </p>
      )}
      <ProblemMessage error={test.error ?? remove.error} />
      {editing ? (
        <WebhookForm
          initial={valuesOf(webhook)}
          busy={update.isPending}
          error={update.error}
          submitLabel="Save changes"
          onCancel={() => {
            update.reset();
            setEditing(false);
          }}
          onSubmit={(v) =>
            update.mutate({
              id: webhook.id,
              version: webhook.version,
              changes: bodyOf(v),
            })
          }
        />
      ) : (
        <div className="button-row">
          <button type="button" className="secondary" disabled={test.isPending} onClick={() => test.mutate(webhook.id)}>
            Send a test event
          </button>
          <button type="button" className="secondary" onClick={() => setShowLog((s) => !s)} aria-expanded={showLog}>
            {showLog ? 'Hide the delivery log' : 'Delivery log'}
          </button>
          <button type="button" className="secondary" onClick={() => setEditing(true)}>
            Edit
          </button>
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
            Remove
          </button>
        </div>
      )}
      {showLog && <DeliveryLog webhook={webhook} />}
      <ConfirmDialog
        open={confirmDelete}
        title={`Remove “${webhook.name}”?`}
        confirmLabel="Remove the endpoint"
        danger
        busy={remove.isPending}
        onConfirm={() => remove.mutate(webhook.id, { onSettled: () => setConfirmDelete(false) })}
        onCancel={() => setConfirmDelete(false)}
      >
        It stops receiving events at once, and its delivery log is deleted.
      </ConfirmDialog>
    </li>
  );
}

export default function WebhooksPage() {
  usePageTitle('Webhooks');
  const webhooks = useWebhooks();
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [formKey, setFormKey] = useState(0);
  const create = useCreateWebhook({
    onSuccess: (c) => {
      setCreated(c);
      setFormKey((k) => k + 1);
    },
  });

  return (
    <section className="narrow-wide">
      <h1>Webhooks</h1>
      <p className="lead">
        Send the desk’s events to the tools your newsroom already uses: a Slack or Mattermost channel, Teams, your CMS.
        Each request carries <code>webhook-id</code>, <code>webhook-timestamp</code> and <code>webhook-signature</code>{' '}
        (HMAC-SHA256, as the Standard Webhooks specification says); an endpoint that is down gets every event, in order,
        when it is back.
      </p>
      {created && <SecretShownOnce created={created} onDone={() => setCreated(null)} />}
      {webhooks.isPending ? (
        <p role="status">Loading webhooks…</p>
      ) : webhooks.isError ? (
        <ProblemMessage error={webhooks.error} />
      ) : webhooks.data.length === 0 ? (
        <p className="notice">No endpoint yet. Add one below.</p>
      ) : (
        <ul className="plain webhooks">
          {webhooks.data.map((w) => (
            <WebhookCard key={w.id} webhook={w} />
          ))}
        </ul>
      )}
      <section className="panel" aria-labelledby="add-webhook">
        <h2 id="add-webhook">Add an endpoint</h2>
        <WebhookForm
          key={formKey}
          initial={EMPTY}
          busy={create.isPending}
          error={create.error}
          submitLabel="Add the endpoint"
          onSubmit={(v) => create.mutate(bodyOf(v))}
        />
      </section>
    </section>
  );
}
