import { connect } from 'node:net';

/**
 * The real services some suites need. Locally, a missing one is skipped with a clear message; in CI (`CI=true`)
 * nothing may be skipped, so a missing service fails the suite instead.
 */
export const POSTGRES_URL = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.GATEHOUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const inCi = process.env.CI === 'true';

function connectOnce(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Whether a service answers, asked once per test process. A loaded machine (CI runs the browser suites alongside) can
 * be slow to accept, so a few patient tries, not one quick one: a false "unreachable" fails CI.
 */
const probes = new Map<string, Promise<boolean>>();
function reachable(url: string): Promise<boolean> {
  let probe = probes.get(url);
  if (!probe) {
    const { hostname, port } = new URL(url);
    probe = (async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        if (await connectOnce(hostname, Number(port), 5000)) return true;
      }
      return false;
    })();
    probes.set(url, probe);
  }
  return probe;
}

/**
 * `false` when the suite may run; a skip message when it may not. Throws in CI, where skipping is not allowed.
 */
export async function unavailable(name: 'PostgreSQL' | 'Redis'): Promise<string | false> {
  const url = name === 'PostgreSQL' ? POSTGRES_URL : REDIS_URL;
  if (await reachable(url)) return false;
  const message = `${name} is not reachable at ${new URL(url).host}: SKIPPED (start it, or set ${name === 'PostgreSQL' ? 'GATEHOUSE_TEST_POSTGRES_URL' : 'GATEHOUSE_TEST_REDIS_URL'})`;
  if (inCi) throw new Error(`${message}. CI=true: nothing may be skipped.`);
  process.stderr.write(`# ${message}\n`);
  return message;
}
