/**
 * The controller's metrics and their Prometheus text form (format 0.0.4). Counters hold values by
 * label set; gauges are read when scraped, so a queue's depth is never stale.
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string>>;
type Sample = readonly [labels: Labels, value: number];

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples(): Iterable<Sample>;
}

export class Counter {
  private readonly values = new Map<string, Sample>();

  inc(labels: Labels, by = 1): void {
    const id = JSON.stringify(labels);
    this.values.set(id, [labels, (this.values.get(id)?.[1] ?? 0) + by]);
  }

  /** Makes the series exist at 0, so a rate over it is defined before the first event. */
  zero(labels: Labels): void {
    this.inc(labels, 0);
  }

  value(labels: Labels): number {
    return this.values.get(JSON.stringify(labels))?.[1] ?? 0;
  }

  samples(): Iterable<Sample> {
    return this.values.values();
  }
}

export class Metrics {
  private readonly families: Family[] = [];

  counter(name: string, help: string): Counter {
    const counter = new Counter();
    this.families.push({ name, help, type: 'counter', samples: () => counter.samples() });
    return counter;
  }

  gauge(name: string, help: string, read: () => Iterable<Sample>): void {
    this.families.push({ name, help, type: 'gauge', samples: read });
  }

  render(): string {
    const lines: string[] = [];
    for (const family of this.families) {
      lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
      for (const [labels, value] of family.samples()) lines.push(`${family.name}${labelText(labels)} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels);
  if (pairs.length === 0) return '';
  return `{${pairs.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}
