import type { WhistleChangedEvent } from '@yishi/shared';
import { useEffect, useEffectEvent } from 'react';
import { getSocket } from '../../lib/realtime';

/** Calls `onChange` for every live change of a whistle of this compound (the server sends only those the user may see). */
export function useWhistleChanges(compoundId: string, onChange: (e: WhistleChangedEvent) => void): void {
  const handle = useEffectEvent(onChange);
  useEffect(() => {
    const socket = getSocket();
    const listener = (e: WhistleChangedEvent) => {
      if (e.compoundId === compoundId) handle(e);
    };
    socket.on('whistle:changed', listener);
    // Missed while disconnected: load again on the way back.
    const reconnected = () => handle({ compoundId, whistleId: '', status: 'open' });
    socket.on('connect', reconnected);
    return () => {
      socket.off('whistle:changed', listener);
      socket.off('connect', reconnected);
    };
  }, [compoundId]);
}
