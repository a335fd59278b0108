/**
 * A Connector's `selector`: Kubernetes' label selector text (`app=hello`, `app=hello,tier!=db`,
 * `env in (a,b)`, `env notin (c)`, `key`, `!key`), parsed once and matched against pod labels.
 */
export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: readonly string[] }
  | { key: string; op: 'exists' | 'absent' };

export type ParsedSelector = { ok: true; requirements: Requirement[] } | { ok: false; problem: string };

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]{0,61}[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]{0,61}[a-z0-9A-Z])?)?$/;
const SET = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/;
const EQUALITY = /^([^=!\s]+)\s*(==|!=|=)\s*(\S*)$/;

/** Splits at commas outside parentheses. */
function terms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((t) => t.trim());
}

function requirement(term: string): Requirement | string {
  const set = SET.exec(term);
  if (set) {
    const [, key = '', op, list = ''] = set;
    const values = list.split(',').map((v) => v.trim());
    const bad = values.find((v) => !VALUE.test(v));
    if (!KEY.test(key)) return `'${key}' is not a label key`;
    if (bad !== undefined) return `'${bad}' is not a label value`;
    return { key, op: op === 'in' ? 'in' : 'notin', values };
  }
  const equality = EQUALITY.exec(term);
  if (equality) {
    const [, key = '', op, value = ''] = equality;
    if (!KEY.test(key)) return `'${key}' is not a label key`;
    if (!VALUE.test(value)) return `'${value}' is not a label value`;
    return { key, op: op === '!=' ? 'notin' : 'in', values: [value] };
  }
  const absent = term.startsWith('!');
  const key = absent ? term.slice(1).trim() : term;
  if (!KEY.test(key)) return `'${term}' is neither key=value, key!=value, key in (…), key notin (…), key nor !key`;
  return { key, op: absent ? 'absent' : 'exists' };
}

export function parseSelector(text: string): ParsedSelector {
  if (text.trim() === '') return { ok: false, problem: 'it is empty' };
  const requirements: Requirement[] = [];
  for (const term of terms(text)) {
    const parsed = requirement(term);
    if (typeof parsed === 'string') return { ok: false, problem: parsed };
    requirements.push(parsed);
  }
  return { ok: true, requirements };
}

export function matches(requirements: readonly Requirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  const have = labels ?? {};
  return requirements.every((r) => {
    const value = have[r.key];
    switch (r.op) {
      case 'exists':
        return value !== undefined;
      case 'absent':
        return value === undefined;
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
    }
  });
}
