/** The signed-in user's own account: profile, notification choices and password. */
import { useId, useState, type FormEvent } from 'react';
import { useChangePassword, useSetMe, useUpdateMe } from '../api/auth';
import { ApiError, type TimeZoneName, type User } from '../api/client';
import type { Channel, NotificationKind } from '../api/notifications';
import { useUser } from '../auth/session';
import { ConflictNotice } from '../components/Conflict';
import { Field, ProblemMessage } from '../components/forms';
import { CHANNEL_LABELS, KIND_LABELS } from '../lib/notifications';
import { usePageTitle } from '../lib/usePageTitle';

const PROFILE_LABELS = { display_name: 'Display name', time_zone: 'Time zone', notify: 'Notifications' };

interface Profile {
  display_name: string;
  time_zone: string;
  digest: boolean;
  channels: Partial<Record<NotificationKind, Channel>>;
}

function toProfile(u: User): Profile {
  return {
    display_name: u.display_name,
    time_zone: u.time_zone,
    digest: u.notify.digest,
    channels: Object.fromEntries(u.notify.channels.map((c) => [c.kind, c.channel])),
  };
}

function timeZones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

const ROLE_WORDS: Record<string, string> = { admin: 'an admin', editor: 'an editor', reviewer: 'a reviewer' };

export default function AccountPage() {
  usePageTitle('Your account');
  const user = useUser();
  return (
    <section className="narrow-wide">
      <h1>Your account</h1>
      <p className="lead">
        Signed in as {user.email}, {ROLE_WORDS[user.role] ?? user.role}.
      </p>
      <ProfileForm user={user} />
      <PasswordForm />
    </section>
  );
}

/** The body of `PATCH /auth/me` for the form's values. */
function bodyOf(p: Profile) {
  return {
    display_name: p.display_name,
    time_zone: p.time_zone.trim() as TimeZoneName,
    notify: { digest: p.digest, channels: p.channels },
  };
}

function ProfileForm({ user }: { user: User }) {
  const setMe = useSetMe();
  const [form, setForm] = useState<Profile | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const zonesId = useId();
  const values = form ?? toProfile(user);

  const save = useUpdateMe({
    onSuccess: () => {
      setForm(null);
      setVersion(null);
    },
  });

  const set = (patch: Partial<Profile>) => {
    if (save.isSuccess) save.reset();
    setForm({ ...values, ...patch });
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ body: bodyOf(values), version: version ?? user.version });
  }

  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  return (
    <>
      <h2>Profile</h2>
      {save.error instanceof ApiError && save.error.status === 412 ? (
        <ConflictNotice
          error={save.error}
          mine={user as unknown as Record<string, unknown>}
          labels={PROFILE_LABELS}
          onKeepMine={(current) => {
            const cur = current as User;
            setVersion(cur.version);
            save.mutate({ body: bodyOf(values), version: cur.version });
          }}
          onDiscard={(current) => {
            setMe(current as User);
            setForm(null);
            setVersion(null);
            save.reset();
          }}
        />
      ) : (
        <ProblemMessage error={save.error} fields={['display_name', 'time_zone', 'notify', 'notify.digest', ...user.notify.channels.map((c) => `notify.channels.${c.kind}`)]} />
      )}
      {save.isSuccess && (
        <p className="notice notice--ok" role="status">
          Your profile is saved.
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <Field label="Display name" name="display_name" error={save.error} hint="Colleagues see this name.">
          {(p) => (
            <input
              {...p}
              required
              maxLength={100}
              autoComplete="name"
              value={values.display_name}
              onChange={(e) => set({ display_name: e.target.value })}
            />
          )}
        </Field>
        <Field
          label="Time zone"
          name="time_zone"
          error={save.error}
          hint={
            <>
              Times in emails use it. An IANA name such as Europe/Kyiv.
              {browserZone && browserZone !== values.time_zone && (
                <>
                  {' '}
                  <button type="button" className="link-button" onClick={() => set({ time_zone: browserZone })}>
                    Use this device’s zone ({browserZone})
                  </button>
                </>
              )}
            </>
          }
        >
          {(p) => (
            <>
              <input
                {...p}
                list={zonesId}
                autoComplete="off"
                required
                value={values.time_zone}
                onChange={(e) => set({ time_zone: e.target.value })}
              />
              <datalist id={zonesId}>
                {timeZones().map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <fieldset>
          <legend>Notifications</legend>
          <p className="field-hint">
            How each reaches you. What is asked of you (a claim to check, one taken away, one overdue) cannot be
            turned off.
          </p>
          <table className="channel-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">How</th>
              </tr>
            </thead>
            <tbody>
              {user.notify.channels.map((c) => (
                <tr key={c.kind}>
                  <td>
                    <label htmlFor={`channel-${c.kind}`}>{KIND_LABELS[c.kind]}</label>
                  </td>
                  <td>
                    <select
                      id={`channel-${c.kind}`}
                      value={values.channels[c.kind] ?? c.channel}
                      onChange={(e) => set({ channels: { ...values.channels, [c.kind]: e.target.value as Channel } })}
                    >
                      {c.allowed.map((a) => (
                        <option key={a} value={a}>
                          {CHANNEL_LABELS[a]}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="check-row">
            <input
              type="checkbox"
              id="notify-digest"
              checked={values.digest}
              onChange={(e) => set({ digest: e.target.checked })}
            />
            <label htmlFor="notify-digest">A daily digest email of my open claims</label>
          </div>
        </fieldset>
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save profile'}
        </button>
      </form>
    </>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useChangePassword({
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setRepeat('');
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const differ = next !== repeat;
    setMismatch(differ);
    if (!differ) change.mutate({ current_password: current, new_password: next });
  }

  return (
    <>
      <h2>Password</h2>
      {change.isSuccess && (
        <p className="notice notice--ok" role="status">
          Your password is changed. Your other sessions are signed out; this one stays signed in.
        </p>
      )}
      <ProblemMessage error={change.error} fields={['current_password', 'new_password']} />
      <form onSubmit={submit} noValidate>
        <Field label="Current password" name="current_password" error={change.error}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              required
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="New password"
          name="new_password"
          error={change.error}
          hint="At least 12 characters. A passphrase of a few words is easy to remember."
        >
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              required
              value={next}
              onChange={(e) => setNext(e.target.value)}
            />
          )}
        </Field>
        <div className={`field${mismatch ? ' field--invalid' : ''}`}>
          <label htmlFor="repeat-password">Repeat the new password</label>
          <input
            id="repeat-password"
            type="password"
            autoComplete="new-password"
            required
            aria-invalid={mismatch}
            aria-describedby={mismatch ? 'repeat-password-error' : undefined}
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
          {mismatch && (
            <p className="field-error" id="repeat-password-error">
              The two passwords differ.
            </p>
          )}
        </div>
        <button type="submit" className="primary" disabled={change.isPending}>
          {change.isPending ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </>
  );
}
