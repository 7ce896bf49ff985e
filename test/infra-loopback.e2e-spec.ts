import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Local address and owning pid of every listening TCP socket, from `ss -ltnpH`. */
async function listeners(): Promise<Array<{ address: string; port: number; pid: number | null }>> {
  const { stdout } = await run('ss', ['-ltnpH']);
  return stdout
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const local = line.trim().split(/\s+/)[3] ?? '';
      const at = local.lastIndexOf(':');
      const pid = /pid=(\d+),/.exec(line)?.[1];
      return { address: local.slice(0, at), port: Number(local.slice(at + 1)), pid: pid ? Number(pid) : null };
    });
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|\[::ffff:127\.\d+\.\d+\.\d+\])$/;

/** The servers `npm run infra:up` runs from Maven Central jars, by the ports it gives them. */
const SERVICES = { kafka: 9092, s3mock: 9090, 'greenmail smtp': 3025, 'greenmail api': 8025 };

describe('infra:up services listen on loopback only', () => {
  it.each(Object.entries(SERVICES))('%s (port %i): every socket of its process is bound to 127.0.0.1', async (_, port) => {
    const all = await listeners();
    const owners = new Set(all.filter((socket) => socket.port === port).map((socket) => socket.pid));
    expect(owners.size).toBe(1);
    const [pid] = [...owners];
    expect(pid).not.toBeNull(); // ss names the process (we run as its owner or root)
    const sockets = all.filter((socket) => socket.pid === pid);
    expect(sockets.filter((socket) => !LOOPBACK.test(socket.address))).toEqual([]);
    expect(sockets.map((socket) => socket.port)).toContain(port);
  });
});
