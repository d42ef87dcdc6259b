/** Your notifications: newest first, unread ones marked; opening one marks it read. */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMarkRead, useNotifications, type Notification } from '../api/notifications';
import { LoadMore } from '../components/LoadMore';
import { DateTime, ProblemMessage } from '../components/forms';
import { notificationWords } from '../lib/notifications';
import { usePageTitle } from '../lib/usePageTitle';

export default function NotificationsPage() {
  usePageTitle('Notifications');
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useNotifications(unreadOnly);
  const mark = useMarkRead();
  const navigate = useNavigate();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = list.data?.pages[0]?.unread ?? 0;

  function open(n: Notification) {
    if (!n.read_at) mark.mutate({ ids: [n.id] });
    navigate(n.link);
  }

  return (
    <section>
      <div className="page-head">
        <h1>Notifications</h1>
        <button type="button" className="secondary" disabled={unread === 0 || mark.isPending} onClick={() => mark.mutate({ all: true })}>
          Mark all read
        </button>
      </div>
      <p className="lead" role="status">
        {unread === 0 ? 'Nothing unread.' : unread === 1 ? '1 unread notification.' : `${unread} unread notifications.`}
      </p>
      <div className="check-row">
        <input type="checkbox" id="unread-only" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />
        <label htmlFor="unread-only">Unread only</label>
      </div>
      <ProblemMessage error={mark.error} />
      {list.isPending ? (
        <p role="status">Loading your notifications…</p>
      ) : list.isError ? (
        <p className="notice notice--bad" role="alert">
          Your notifications could not be loaded: {list.error.message}
        </p>
      ) : items.length === 0 ? (
        <p className="muted">{unreadOnly ? 'No unread notifications.' : 'No notifications yet.'}</p>
      ) : (
        <ul className="plain notification-list" data-testid="notifications">
          {items.map((n) => (
            <li key={n.id} className={n.read_at ? 'notification' : 'notification notification--unread'}>
              {!n.read_at && <span className="sr-only">Unread: </span>}
              <Link
                to={n.link}
                onClick={(e) => {
                  e.preventDefault();
                  open(n);
                }}
              >
                {notificationWords(n)}
              </Link>
              <span className="muted">
                {' '}
                · <DateTime value={n.created_at} />
              </span>
            </li>
          ))}
        </ul>
      )}
      {items.length > 0 && (
        <LoadMore
          hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage}
          fetchNextPage={list.fetchNextPage}
          shown={items.length}
        />
      )}
    </section>
  );
}
