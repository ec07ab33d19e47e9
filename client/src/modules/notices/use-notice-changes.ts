import type { NoticeChangedEvent } from '@yishi/shared';
import { useEffect, useEffectEvent } from 'react';
import { getSocket } from '../../lib/realtime';

/**
 * Reloads whenever a notice of this compound changes (an objection, an answer, a withdrawal), and
 * after a reconnect, since changes made meanwhile were not heard. `noticeId`: only that one.
 */
export function useNoticeChanges(compoundId: string, noticeId: string | null, reload: () => void): void {
  const handle = useEffectEvent(reload);
  useEffect(() => {
    const socket = getSocket();
    const onChange = (e: NoticeChangedEvent) => {
      if (e.compoundId === compoundId && (noticeId === null || e.noticeId === noticeId)) handle();
    };
    const onReconnect = () => handle();
    socket.on('notice:changed', onChange);
    socket.on('connect', onReconnect);
    return () => {
      socket.off('notice:changed', onChange);
      socket.off('connect', onReconnect);
    };
  }, [compoundId, noticeId]);
}
