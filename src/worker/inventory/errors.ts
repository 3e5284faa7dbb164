/**
 * The inventory's one error type. It carries the HTTP status the API answers with and, for invalid input, the field
 * at fault and every fault found, so the API, the CLI and an import report the same thing in their own form.
 */
import { formatPath, type Issue, type Path } from './validation';

export interface FieldError {
  field: string;
  error: string;
  line?: number;
  column?: number;
}

export class InventoryError extends Error {
  override name = 'InventoryError';

  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
    readonly details: { field?: string; errors?: FieldError[]; references?: string[] } = {}
  ) {
    super(message);
  }

  get field(): string | undefined {
    return this.details.field;
  }
}

/** 400 for a list of issues, their paths under `prefix` (the list and index of an entity in an import). */
export function invalid(issues: readonly Issue[], prefix: Path = []): InventoryError {
  const errors = issues.map((i) => ({ field: formatPath([...prefix, ...i.path]), error: i.message }));
  const first = errors[0]!;
  return new InventoryError(first.field ? `${first.field}: ${first.error}` : first.error, 400, {
    field: first.field || undefined,
    errors,
  });
}

export function badRequest(field: string, message: string): InventoryError {
  return invalid([{ path: [field], message }]);
}

export function notFound(what: string): InventoryError {
  return new InventoryError(`no ${what}`, 404);
}
