import React from 'react';
import { Alert } from '@grafana/ui';

import { ApiError } from '../../api/client';
import type { InventoryErrorResponse } from '../../shared/api';

/** The worker's complaint about one field of a form, to show under that field. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError) || !error.body) {
    return undefined;
  }
  const body = error.body as InventoryErrorResponse;
  const fault = body.errors?.find((e) => e.field === field);
  if (fault) {
    return fault.error;
  }
  return body.field === field ? body.error : undefined;
}

/** A failed change, said once above the buttons: which field, or why the worker could not be asked. */
export function ApiErrorText({ error }: { error: unknown }) {
  if (!error) {
    return null;
  }
  return (
    <Alert severity="error" title="Not saved">
      {error instanceof Error ? error.message : String(error)}
    </Alert>
  );
}
