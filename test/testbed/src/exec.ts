/**
 * Runs short host commands (ip, nft, openssl) and fails with the command's own stderr, so a
 * broken network setup says exactly which step went wrong.
 */
import { execFile } from 'node:child_process';
import { TestbedError } from './errors.js';

export interface RunOptions {
  /** Written to the command's stdin. */
  input?: string;
  /** Resolve with stdout even when the command exits non-zero. */
  allowFailure?: boolean;
}

export function run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && !options.allowFailure) {
        const detail = stderr.trim() || error.message;
        reject(new TestbedError('SKIFF_ERR_TESTBED_COMMAND', `\`${cmd} ${args.join(' ')}\` failed: ${detail}`));
        return;
      }
      resolve(stdout);
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** `ip netns exec NS cmd args…` */
export function inNetns(ns: string, cmd: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  return run('ip', ['netns', 'exec', ns, cmd, ...args], options);
}

/** Loads an nft script into a namespace atomically (nft applies a whole file or nothing). */
export function nftApply(ns: string, script: string): Promise<string> {
  return inNetns(ns, 'nft', ['-f', '-'], { input: script });
}
