import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A bounded load on the machine, as a deploy or a test suite puts on it while a fleet starts:
// `cpu` hashes without pause; `io` writes 1 MiB chunks and fsyncs them, in a file kept under
// 64 MiB. Each stops by itself after the given seconds (and when its parent goes).
const [kind = 'cpu', seconds = '30'] = process.argv.slice(2);
const end = Date.now() + Number(seconds) * 1000;
process.on('disconnect', () => process.exit(0));
if (kind === 'cpu') {
  const block = randomBytes(64 * 1024);
  while (Date.now() < end) createHash('sha256').update(block).digest();
} else {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-load-'));
  const chunk = randomBytes(1024 * 1024);
  try {
    while (Date.now() < end) {
      const fd = openSync(join(dir, 'load.bin'), 'w');
      for (let i = 0; i < 64 && Date.now() < end; i++) {
        writeSync(fd, chunk);
        fsyncSync(fd);
      }
      closeSync(fd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
