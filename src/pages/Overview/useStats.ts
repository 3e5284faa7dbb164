import { useEffect, useState } from 'react';

import type { MissionControlClient } from '../../api/client';
import type { StatsResponse } from '../../shared/api';

export interface StatsState {
  stats?: StatsResponse;
  /** Why the last poll failed; the previous figures stay on screen meanwhile. */
  error?: string;
  loading: boolean;
}

/**
 * Polls the worker's figures every `intervalMs` (after each answer, so a slow worker is never asked twice at once).
 * One client per mount: the page mounts anew for another data source.
 */
export function useStats(client: MissionControlClient, intervalMs: number): StatsState {
  const [state, setState] = useState<StatsState>({ loading: true });

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const stats = await client.stats();
        if (!cancelled) {
          setState({ stats, loading: false });
        }
      } catch (err) {
        if (!cancelled) {
          const error = err instanceof Error ? err.message : String(err);
          setState((previous) => ({ stats: previous.stats, error, loading: false }));
        }
      }
      if (!cancelled) {
        timer = setTimeout(poll, intervalMs);
      }
    };
    poll();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [client, intervalMs]);

  return state;
}
