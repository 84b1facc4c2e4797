// The reader streams: on a generated ~60 MB log file, the heap grows by a small
// fraction of the file (a reader that loaded the file whole would hold it as a
// string, then as parsed records). The 1 GB measure is bench/usage.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { buildUsage } from '../../src/usage/build';
import { IdentityStoreUsers } from '../../src/usage/users';
import { ALICE_ID, DEV, otherCall, signIn, tempDir } from './cloudtrail-fixtures';

const MB = 1024 * 1024;

async function writeLog(file: string, targetBytes: number): Promise<{ bytes: number; records: number }> {
  let bytes = 0;
  let records = 0;
  function* text(): Generator<string> {
    yield '{"Records":[';
    while (bytes < targetBytes) {
      const batch: string[] = [];
      for (let i = 0; i < 500; i++, records++) {
        const t = `2026-${String(1 + (records % 12)).padStart(2, '0')}-01T00:00:${String(records % 60).padStart(2, '0')}Z`;
        batch.push(JSON.stringify(records % 10 === 0 ? signIn(`m${records}`, t, ALICE_ID, DEV, 'ReadOnly') : otherCall(`o${records}`, t)));
      }
      const chunk = (records > 500 ? ',' : '') + batch.join(',');
      bytes += chunk.length;
      yield chunk;
    }
    yield ']}';
  }
  await pipeline(Readable.from(text()), zlib.createGzip({ level: 1 }), fs.createWriteStream(file));
  return { bytes, records };
}

// Retained memory, not garbage waiting for a collection: collect, then measure.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const used = (): number => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

it('reads a 60 MB log with flat memory', async () => {
  const file = path.join(tempDir(), 'big.json.gz');
  const { bytes, records } = await writeLog(file, 60 * MB);
  const users = new IdentityStoreUsers();
  users.add(ALICE_ID, 'alice@example.com');
  const before = used();
  let peak = before;
  let samples = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, used());
    samples++;
  }, 50);
  const u = await buildUsage({ files: [{ file, shown: 'big.json.gz' }], users, now: new Date('2026-12-01T00:00:00Z') });
  clearInterval(timer);
  peak = Math.max(peak, used());
  expect(bytes).toBeGreaterThan(60 * MB);
  expect(u.sources).toEqual({ files: 1, records, used: records / 10 });
  // Sign-ins are every 10th record: the latest month is 1 + 10 (records ≡ 10 mod 12), second 10 (≡ 10 mod 60).
  expect(u.lastUse.map((e) => `${e.user} ${e.permissionSet} ${e.lastUsed}`)).toEqual(['alice@example.com ReadOnly 2026-11-01T00:00:10Z']);
  process.stdout.write(`retained growth ${((peak - before) / MB).toFixed(1)} MB over ${(bytes / MB).toFixed(0)} MB (${samples} samples)\n`);
  expect(samples).toBeGreaterThan(5);
  expect(peak - before).toBeLessThan(12 * MB);
}, 120_000);
