/** The timed workloads of a run and the metrics each yields. */
import type { GeneratorJob } from './load/protocol.js';

export type MetricKey = 'up1' | 'down1' | 'up8' | 'conn1' | 'conn32' | 'rttP50' | 'rttP99';

export interface MetricDef {
  key: MetricKey;
  label: string;
  unit: string;
  digits: number;
  /** Which figure of the generator's report holds the value. */
  figure: string;
}

export interface Workload {
  name: string;
  job: (port: number, seconds: number) => Exclude<GeneratorJob, { kind: 'idle' }>;
  metrics: MetricDef[];
}

const gbit = (key: MetricKey, label: string): MetricDef => ({ key, label, unit: 'Gbit/s', digits: 2, figure: 'gbps' });
const rate = (key: MetricKey, label: string): MetricDef => ({ key, label, unit: 'conn/s', digits: 0, figure: 'perSecond' });

export const WORKLOADS: Workload[] = [
  { name: 'upload 1 stream', job: (port, seconds) => ({ kind: 'upload', port, seconds, streams: 1 }), metrics: [gbit('up1', 'throughput 1 stream client→server')] },
  { name: 'download 1 stream', job: (port, seconds) => ({ kind: 'download', port, seconds }), metrics: [gbit('down1', 'throughput 1 stream server→client')] },
  { name: 'upload 8 streams', job: (port, seconds) => ({ kind: 'upload', port, seconds, streams: 8 }), metrics: [gbit('up8', 'throughput 8 streams client→server')] },
  { name: 'connect 1 client', job: (port, seconds) => ({ kind: 'connect', port, seconds, clients: 1 }), metrics: [rate('conn1', 'connections/s, 1 client')] },
  { name: 'connect 32 clients', job: (port, seconds) => ({ kind: 'connect', port, seconds, clients: 32 }), metrics: [rate('conn32', 'connections/s, 32 clients')] },
  {
    name: 'ping-pong',
    job: (port, seconds) => ({ kind: 'ping-pong', port, seconds }),
    metrics: [
      { key: 'rttP50', label: '1-byte RTT p50', unit: 'µs', digits: 0, figure: 'p50Us' },
      { key: 'rttP99', label: '1-byte RTT p99', unit: 'µs', digits: 0, figure: 'p99Us' },
    ],
  },
];

export const METRICS: MetricDef[] = WORKLOADS.flatMap((w) => w.metrics);
