import { useEffect, useState } from 'react';

export interface Loaded<T> {
  /** The latest answer; while a new one loads, the previous one, so that lists do not flicker. */
  value?: T;
  error?: string;
  loading: boolean;
}

/**
 * Runs `load` whenever `key` changes and keeps only the latest answer, so a slow earlier request cannot overwrite a
 * newer one. `key` stands for everything `load` depends on.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ key?: string; value?: T; error?: string }>({});
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setState({ key, value }),
      (err: unknown) => current && setState({ key, error: err instanceof Error ? err.message : String(err) })
    );
    return () => {
      current = false;
    };
    // `key` names what `load` reads; a new closure with the same key is the same request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const answered = state.key === key;
  return { value: state.value, error: answered ? state.error : undefined, loading: !answered };
}
