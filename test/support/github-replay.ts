// A stand-in for api.github.com in tests: an HTTP server on 127.0.0.1 that
// answers from a recording and notes every request it gets.
//
// A recording is one JSON file per scenario, test/fixtures/github/<scenario>.json
// (see the README there): an object whose keys are requests, "METHOD /path?query"
// exactly as the client sends them (the query is part of the key, in the
// client's order), and whose values are responses:
//
//   { "GET /repos/northwind/access/pulls/42/reviews?per_page=100":
//       { "status": 200, "headers": { "link": "<{{origin}}/repositories/1/pulls/42/reviews?per_page=100&page=2>; rel=\"next\"" },
//         "body": [ … ] } }
//
// - status: the HTTP status; headers: response headers (content-type defaults
//   to application/json); body: any JSON value, sent serialized; rawBody: a
//   string sent as it is, for a body that is not JSON; delayMs: wait that long
//   before answering (a large value is a server that never answers).
// - {{origin}} anywhere in headers or body becomes this server's origin
//   (http://127.0.0.1:PORT), so next-page links come back here.
// - A request with no recording is answered 599 with a JSON message naming
//   it, and is listed in `unrecorded`, so a test that strays fails loudly.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export const GITHUB_FIXTURES = path.join(__dirname, '..', 'fixtures', 'github');

export interface RecordedResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly delayMs?: number;
}

/** Request key ("GET /path?query") to response. */
export type Recording = Readonly<Record<string, RecordedResponse>>;

export interface ReceivedRequest {
  /** "GET /path?query", as a recording's keys are written. */
  readonly key: string;
  /** The request headers as Node reads them (names in lower case), Authorization included. */
  readonly headers: http.IncomingHttpHeaders;
}

export interface Replay {
  /** The origin to give the client as its apiUrl: http://127.0.0.1:PORT. */
  readonly url: string;
  /** Every request's key, in the order they came. */
  readonly requests: string[];
  /** Every request with its headers, in the same order, to check what was sent (the token among it). */
  readonly received: ReceivedRequest[];
  /** The keys of requests that had no recording and were answered 599. */
  readonly unrecorded: string[];
  close(): Promise<void>;
}

const KEY = /^[A-Z]+ \/\S*$/;

/** A recording from a scenario name (test/fixtures/github/<name>.json) or a path to a JSON file. */
export function loadRecording(scenario: string): { recording: Recording; source: string } {
  const file = path.isAbsolute(scenario) || scenario.endsWith('.json') ? path.resolve(scenario) : path.join(GITHUB_FIXTURES, `${scenario}.json`);
  const source = path.basename(file);
  const data: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`${source}: a recording is an object of "METHOD /path" keys`);
  return { recording: data as Recording, source };
}

function check(recording: Recording, source: string): void {
  for (const [key, r] of Object.entries(recording)) {
    if (!KEY.test(key)) throw new Error(`${source}: "${key}" is not a request key such as "GET /repos/o/r/pulls/1"`);
    if (!Number.isInteger(r.status) || r.status < 100 || r.status > 599) throw new Error(`${source}: ${key} has no status from 100 to 599`);
    if (r.body !== undefined && r.rawBody !== undefined) throw new Error(`${source}: ${key} has both body and rawBody`);
  }
}

/**
 * Serves a recording (a scenario name, a JSON file, or a recording object)
 * on 127.0.0.1 on a free port until close().
 */
export async function startReplay(scenario: string | Recording): Promise<Replay> {
  const { recording, source } = typeof scenario === 'string' ? loadRecording(scenario) : { recording: scenario, source: 'the recording' };
  check(recording, source);
  const requests: string[] = [];
  const received: ReceivedRequest[] = [];
  const unrecorded: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let origin = '';

  const server = http.createServer((req, res) => {
    const key = `${req.method ?? 'GET'} ${req.url ?? '/'}`;
    requests.push(key);
    received.push({ key, headers: req.headers });
    const r = Object.prototype.hasOwnProperty.call(recording, key) ? recording[key] : undefined;
    if (r === undefined) {
      unrecorded.push(key);
      res.writeHead(599, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ message: `no recording for ${key} in ${source}` }));
      return;
    }
    const answer = (): void => {
      const fill = (s: string): string => s.split('{{origin}}').join(origin);
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      for (const [name, value] of Object.entries(r.headers ?? {})) headers[name.toLowerCase()] = fill(value);
      res.writeHead(r.status, headers);
      res.end(r.rawBody !== undefined ? fill(r.rawBody) : r.body !== undefined ? fill(JSON.stringify(r.body)) : undefined);
    };
    if (r.delayMs === undefined) return answer();
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer();
    }, r.delayMs);
    timers.add(timer);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;
  return {
    url: origin,
    requests,
    received,
    unrecorded,
    /** Stops the server; calling it again is harmless. */
    close: () => {
      if (closed !== undefined) return closed;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      // A delayed answer holds its connection open: end them all rather than wait.
      closed = new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      server.closeAllConnections();
      return closed;
    },
  };
}

/** A clock and a sleep for GitHubClient's rate-limit waits: sleep returns at once and moves the clock on. */
export interface FakeTime {
  /** now, sleep and log, to spread into GitHubClientOptions. */
  readonly options: { now: () => number; sleep: (ms: number) => Promise<void>; log: (line: string) => void };
  /** Every sleep's milliseconds, in order. */
  readonly slept: number[];
  /** Every line logged. */
  readonly logged: string[];
}

export function fakeTime(start: number): FakeTime {
  let now = start;
  const slept: number[] = [];
  const logged: string[] = [];
  return {
    options: {
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
      log: (line) => void logged.push(line),
    },
    slept,
    logged,
  };
}
