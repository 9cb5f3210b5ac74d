import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';

/** The npm of the Node running the matrix (every cell's install runs it on the cell's Node). */
export const npmCli = join(dirname(dirname(process.execPath)), 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');

/** One line of progress. */
export const say = (line) => process.stdout.write(`${line}\n`);

export /** Runs a command to completion (bounded), returning its output; throws with the output on failure. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => {
      output += c;
    });
    child.stderr.on('data', (c) => {
      output += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(Object.assign(new Error(`${command} ${args.join(' ')} exited ${code}`), { output }));
    });
  });
}

/** `npm install` of `specs` into `dir`, run on `node` (so it resolves what a user of that Node gets). */
export function npmInstall(node, dir, specs) {
  return run(node, [npmCli, 'install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: dir });
}
