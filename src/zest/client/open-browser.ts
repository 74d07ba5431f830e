import { spawn } from 'node:child_process';

/** Asks the desktop to open `url` in the user's browser; resolves false where there is no opener (a server, CI). */
export function openBrowser(url: string): Promise<boolean> {
  const [command, ...args] =
    process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url];
  return new Promise((resolve) => {
    const child = spawn(command!, args, { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
