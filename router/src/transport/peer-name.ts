/**
 * A TLS server's name checked as skupper-router (Proton) checks it: the host as dialled, against the
 * certificate's DNS names and then its common names, case-insensitively, a `*` in any label standing
 * for the rest of that label. IP address entries are never used, so an address dialled as
 * 127.0.0.1 matches only a DNS name or common name that reads "127.0.0.1" (Skupper's certificates
 * list each IP as both).
 */
import type { PeerCertificate } from 'node:tls';

/** For `checkServerIdentity`: undefined when the certificate names `host`, else why not and what to do. */
export function checkPeerName(host: string, cert: PeerCertificate): Error | undefined {
  const altNames = subjectAltNames(cert.subjectaltname ?? '');
  const dnsNames = altNames.filter((n) => n.kind === 'DNS').map((n) => n.value);
  const subject = cert.subject as PeerCertificate['subject'] | undefined;
  const commonNames = [subject?.CN ?? []].flat();
  if ([...dnsNames, ...commonNames].some((pattern) => nameMatches(host, pattern))) return undefined;
  const listed = (names: string[]): string => (names.length === 0 ? 'none' : names.join(', '));
  const ipEntry = altNames.some((n) => n.kind === 'IP Address' && n.value === host) ? ` (its IP address entry ${host} is not used)` : '';
  return new Error(
    `the certificate does not name ${host}: its DNS names (${listed(dnsNames)}) and common name (${listed(commonNames)}) are checked, as skupper-router does${ipEntry}; ` +
      `issue it with ${host} as a DNS name, dial a name it lists, or set verifyHostname to false`,
  );
}

/** Node's `subjectaltname` text (`DNS:a, IP Address:1.2.3.4`, values with commas JSON-quoted) as entries. */
function subjectAltNames(text: string): Array<{ kind: string; value: string }> {
  return [...text.matchAll(/(?:^|, )([^:,]+):("(?:[^"\\]|\\.)*"|[^,]*)/g)].map((m) => ({
    kind: m[1]!,
    value: m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!,
  }));
}

const lower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

function nameMatches(host: string, pattern: string): boolean {
  if (!pattern.includes('*')) return lower(pattern) === lower(host);
  const patternLabels = lower(pattern).split('.');
  const hostLabels = lower(host).split('.');
  if (patternLabels.length !== hostLabels.length) return false;
  return patternLabels.every((p, i) => labelMatches(hostLabels[i]!, p));
}

/** One label; Proton refuses labels longer than 63 characters when the name has a wildcard. */
function labelMatches(label: string, pattern: string): boolean {
  if (label.length > 63 || pattern.length > 63) return false;
  const star = pattern.indexOf('*');
  if (star < 0) return label === pattern;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return label.startsWith(prefix) && label.length >= suffix.length && label.endsWith(suffix);
}
