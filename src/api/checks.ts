import type { ReadyResponse } from '../shared/api';
import { ApiError, type MissionControlClient } from './client';

/**
 * The connection checks behind "Save & test" and the app's Configuration page: can Grafana reach the worker, may the
 * key read, is the store ready. Each result says what was found and, when something is wrong, how to fix it.
 */

export type CheckId = 'reachable' | 'key' | 'store';
export type CheckStatus = 'ok' | 'failed' | 'skipped';

export interface CheckResult {
  id: CheckId;
  label: string;
  status: CheckStatus;
  message: string;
  fix?: string;
}

const LABELS: Record<CheckId, string> = {
  reachable: 'Worker',
  key: 'API key',
  store: 'Store',
};

/** Runs the checks in order; when the worker cannot be reached the others are skipped rather than failed twice. */
export async function checkConnection(client: MissionControlClient, workerUrl: string): Promise<CheckResult[]> {
  const reachable = await checkReachable(client, workerUrl);
  if (reachable.status !== 'ok') {
    const skipped = (id: CheckId): CheckResult => ({
      id,
      label: LABELS[id],
      status: 'skipped',
      message: 'Not checked: the worker did not answer.',
    });
    return [reachable, skipped('key'), skipped('store')];
  }
  const [key, store] = await Promise.all([checkKey(client), checkStore(client)]);
  return [reachable, key, store];
}

function ok(id: CheckId, message: string): CheckResult {
  return { id, label: LABELS[id], status: 'ok', message };
}

function failed(id: CheckId, message: string, fix: string): CheckResult {
  return { id, label: LABELS[id], status: 'failed', message, fix };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function checkReachable(client: MissionControlClient, workerUrl: string): Promise<CheckResult> {
  try {
    const health = await client.health();
    if (health.status === 'ok') {
      return ok('reachable', `The worker at ${workerUrl} is up.`);
    }
    return failed(
      'reachable',
      `${workerUrl} answered /healthz with status "${String(health.status)}" instead of "ok".`,
      'Check that the URL points at the Mission Control worker and look at its log.'
    );
  } catch (err) {
    if (err instanceof ApiError && (err.kind === 'unreachable' || err.kind === 'timeout')) {
      return failed(
        'reachable',
        `Grafana cannot reach the worker at ${workerUrl}: ${err.message}.`,
        'Start the worker, or correct the Worker URL. Grafana connects from its server, not from your browser, ' +
          'so the URL must resolve and be open from the Grafana host.'
      );
    }
    if (err instanceof ApiError && (err.kind === 'not-found' || err.kind === 'unexpected')) {
      return failed(
        'reachable',
        `Something answered at ${workerUrl}, but not the Mission Control worker: ${err.message}.`,
        "Set the Worker URL to the address of the worker's HTTP API (port 8686 unless configured otherwise)."
      );
    }
    return failed('reachable', `The health check failed: ${describe(err)}.`, "Look at the worker's log for the cause.");
  }
}

async function checkKey(client: MissionControlClient): Promise<CheckResult> {
  try {
    const { keyId, scopes } = await client.whoami();
    const scopeList = scopes.length > 0 ? scopes.join(', ') : 'none';
    if (!scopes.includes('read')) {
      return failed(
        'key',
        `The key "${keyId}" has the scopes ${scopeList}, but queries need "read".`,
        'Create a worker key with the "read" scope, then Reset the API key here, paste the new one and save.'
      );
    }
    return ok('key', `The key "${keyId}" is valid (scopes: ${scopeList}).`);
  } catch (err) {
    if (err instanceof ApiError && err.kind === 'unauthorized') {
      return failed(
        'key',
        `The worker rejected the API key: ${err.message}.`,
        'Paste a valid worker API key with the "read" scope in the API key field (Reset it first if one is set) and save.'
      );
    }
    if (err instanceof ApiError && err.kind === 'forbidden') {
      return failed(
        'key',
        `The request was refused: ${err.message}.`,
        'Give the key the "read" scope on the worker, and check that your Grafana user may query this data source.'
      );
    }
    return failed('key', `The key check failed: ${describe(err)}.`, "Look at the worker's log for the cause.");
  }
}

function failingChecks(ready: ReadyResponse): string {
  const failing = Object.entries(ready.checks)
    .filter(([, check]) => !check.ok)
    .map(([name, check]) => (check.message ? `${name} (${check.message})` : name));
  return failing.length > 0 ? failing.join('; ') : 'no check reported a cause';
}

async function checkStore(client: MissionControlClient): Promise<CheckResult> {
  try {
    const ready = await client.ready();
    switch (ready.status) {
      case 'ready':
        return ok('store', 'The store accepts writes and serves reads.');
      case 'starting':
        return failed(
          'store',
          `The store is still starting: ${failingChecks(ready)}.`,
          'Wait until the worker has finished starting (it replays its write-ahead log first), then test again.'
        );
      case 'degraded':
        return failed(
          'store',
          `The store is degraded: ${failingChecks(ready)}.`,
          "Fix the failing checks named above (the worker's log has the details), then test again."
        );
      default:
        return failed(
          'store',
          `/readyz answered with the unknown status "${String(ready.status)}".`,
          'Use a plugin version that matches the worker version.'
        );
    }
  } catch (err) {
    return failed('store', `The readiness check failed: ${describe(err)}.`, "Look at the worker's log for the cause.");
  }
}
