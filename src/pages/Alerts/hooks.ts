import { useEffect, useState } from 'react';

/**
 * A number that grows every `intervalMs` and whenever `bump` is called: put it in useLoad's key to poll, and bump it
 * after a change so the list shows the worker's view at once.
 */
export function useRefresh(intervalMs: number): [number, () => void] {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return [tick, () => setTick((t) => t + 1)];
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
