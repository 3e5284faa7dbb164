import type { BackendSrvRequest } from '@grafana/runtime';

import { FakeWorker } from '../../../test/fakeWorker';

export interface Recording {
  request: { method: string; path: string; body?: unknown };
  status: number;
  body: unknown;
}

/**
 * A worker that replays recorded answers by method and path. FakeWorker matches paths only, and the inventory answers
 * GET and POST on the same path differently (list and create), so each method gets its own FakeWorker.
 */
export class ReplayWorker {
  private readonly byMethod = new Map<string, FakeWorker>();

  constructor(
    private readonly datasourceUid: string,
    recordings: Recording[] = []
  ) {
    recordings.forEach((r) => this.replay(r));
  }

  /** Every request made, in order, whatever its method. */
  readonly requests: BackendSrvRequest[] = [];

  /** Recordings keep the path as sent (encoded); FakeWorker matches paths written decoded. */
  replay(recording: Recording): this {
    const { method, path } = recording.request;
    return this.answer(method, decodeURIComponent(path), recording.status, recording.body);
  }

  answer(method: string, path: string, status: number, body: unknown): this {
    this.worker(method).answer(path, status, body);
    return this;
  }

  readonly fetch = <T>(options: BackendSrvRequest) => {
    this.requests.push(options);
    return this.worker(options.method ?? 'GET').fetch<T>(options);
  };

  private worker(method: string): FakeWorker {
    let worker = this.byMethod.get(method);
    if (!worker) {
      worker = new FakeWorker(this.datasourceUid);
      this.byMethod.set(method, worker);
    }
    return worker;
  }
}
