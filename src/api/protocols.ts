import type { IngestProtocol } from '../shared/api';

/** The worker's ingest protocols as people name them, for the Overview page and the worker-figures tables. */
export const PROTOCOL_NAMES: Record<IngestProtocol, string> = {
  statsd_udp: 'statsd (UDP)',
  statsd_tcp: 'statsd (TCP)',
  graphite_tcp: 'Graphite plaintext (TCP)',
  graphite_udp: 'Graphite plaintext (UDP)',
  http: 'HTTP JSON',
};
