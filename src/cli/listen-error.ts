// What `npm run serve` and `npm run hub` print when their server cannot listen: a busy or
// forbidden port is the start failure people meet, so it is one line that says what to do.

/** "Circa <program>: ..." for a listen() that failed on host:port. */
export function cannotListenLine(
  program: 'station' | 'hub',
  host: string,
  port: number | string,
  error: unknown,
): string {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  const name = `Circa ${program}`;
  if (code === 'EADDRINUSE')
    return `${name}: port ${where} is already in use (another ${program}, or another program). Stop it or choose another port with --port.`;
  if (code === 'EACCES') return `${name}: this user may not listen on ${where}. Choose a port above 1023 with --port.`;
  if (code === 'EADDRNOTAVAIL') return `${name}: ${host} is not an address of this machine (--host).`;
  return `${name}: could not listen on ${where}: ${(error as Error).message}`;
}
