import type { CommentView } from '@yishi/shared';
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';
import { getSocket } from '../../lib/realtime';

/** Comments arrive over HTTP only; while the screen is open they are fetched again every few seconds. */
const COMMENT_POLL_MS = 30_000;

export function useComments(compoundId: string, proposalId: string) {
  const [comments, setComments] = useState<CommentView[]>([]);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    const load = () =>
      api.comments(compoundId, proposalId).then(
        (c) => current && setComments(c),
        () => undefined,
      );
    void load();
    // The server says when the threads change; the slow poll only covers what a dropped
    // connection missed.
    const socket = getSocket();
    const changed = (p: { docId: string }) => p.docId === proposalId && void load();
    const reconnected = () => void load();
    socket.on('doc:comments', changed);
    socket.on('connect', reconnected);
    const timer = setInterval(() => void load(), COMMENT_POLL_MS);
    return () => {
      current = false;
      socket.off('doc:comments', changed);
      socket.off('connect', reconnected);
      clearInterval(timer);
    };
  }, [compoundId, proposalId, tick]);
  return { comments, reload: () => setTick((n) => n + 1) };
}
