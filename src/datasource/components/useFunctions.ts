import type { FunctionRegistry } from '../../api/graphite';
import { useLoad } from '../../utils/useLoad';
import type { MissionControlDataSource } from '../datasource';

/** The worker's function library, loaded once per data source and shared by every editor. */
export function useFunctions(datasource: MissionControlDataSource): { registry?: FunctionRegistry; error?: string } {
  const { value, error } = useLoad(() => datasource.getFunctions(), datasource.uid);
  return { registry: value, error };
}
